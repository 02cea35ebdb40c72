/** Document symbols, for the editor's Outline, breadcrumbs and Go to Symbol: a problem file's front matter
 * (its keys as children) and Markdown headings as a tree; a problem set's records by id. Clients without
 * hierarchical symbols get the same list flattened, each entry naming its container. */
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { markdownOutline, type Heading } from '../core/authoring/markdownOutline';
import { plainStatement } from '../core/authoring/plainStatement';
import type { Field, ProblemDocument } from '../core/authoring/types';
import { spanToRange } from './positions';

/** How much of a statement or value a symbol's detail shows. */
const DETAIL_CHARS = 60;

export function documentSymbolsFor(document: TextDocument, problem: ProblemDocument, hierarchical: boolean): DocumentSymbol[] | SymbolInformation[] {
  const symbols = problem.kind === 'problem-set' ? recordSymbols(document, problem) : problem.kind === 'problem' ? problemFileSymbols(document, problem) : [];
  return hierarchical ? symbols : flatten(document.uri, symbols);
}

/** Statement → its detail. The outline and breadcrumbs ask again after every keystroke, and reading
 * math as plain text is most of the cost (~15 ms for MATH-500's 500 records, ~1 ms remembered); an edit
 * changes one statement at a time. Bounded: cleared when full. */
const details = new Map<string, string>();
const MAX_DETAILS = 5000;

function detailOf(statement: string): string {
  let detail = details.get(statement);
  if (detail === undefined) {
    if (details.size >= MAX_DETAILS) details.clear();
    details.set(statement, (detail = shorten(plainStatement(statement))));
  }
  return detail;
}

function recordSymbols(document: TextDocument, problem: ProblemDocument): DocumentSymbol[] {
  return problem.units.map((unit) => {
    const range = spanToRange(document, unit.span);
    // Editors reject a symbol without a name: an empty id counts as none.
    return { name: unit.id || `line ${unit.line}`, detail: detailOf(unit.statement.text), kind: SymbolKind.Object, range, selectionRange: range };
  });
}

function problemFileSymbols(document: TextDocument, problem: ProblemDocument): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  const front = problem.frontMatter;
  if (front) {
    const fields = problem.units[0]?.fields ?? [];
    symbols.push({
      name: 'front matter',
      kind: SymbolKind.Module,
      range: spanToRange(document, front.span),
      selectionRange: spanToRange(document, { start: front.span.start, end: front.span.start + 3 }),
      children: fields.map((f) => fieldSymbol(document, f)),
    });
  }
  return symbols.concat(headingTree(document, markdownOutline(problem).headings));
}

function fieldSymbol(document: TextDocument, field: Field): DocumentSymbol {
  return {
    name: field.key || '""',
    detail: shorten(valueText(field.value)),
    kind: SymbolKind.Property,
    range: spanToRange(document, { start: field.keySpan.start, end: Math.max(field.keySpan.end, field.valueSpan.end) }),
    selectionRange: spanToRange(document, field.keySpan),
  };
}

/** A key's value as the author reads it: LaTeX kept (it is what the grader compares), no YAML quoting. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Headings nest under the nearest heading above them of a lower level. */
function headingTree(document: TextDocument, headings: Heading[]): DocumentSymbol[] {
  const roots: DocumentSymbol[] = [];
  const open: { level: number; symbol: DocumentSymbol }[] = [];
  for (const heading of headings) {
    while (open.length && open[open.length - 1].level >= heading.level) open.pop();
    const symbol: DocumentSymbol = {
      // Outline entries are plain text, math included; an empty heading goes by its `#`s (a name may not be empty).
      name: plainStatement(heading.text).trim() || '#'.repeat(heading.level),
      kind: SymbolKind.String,
      range: spanToRange(document, heading.section),
      selectionRange: spanToRange(document, heading.span),
      children: [],
    };
    (open.length ? open[open.length - 1].symbol.children! : roots).push(symbol);
    open.push({ level: heading.level, symbol });
  }
  return roots;
}

/** One line, at most DETAIL_CHARS characters, cut between words where one ends late enough. */
function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= DETAIL_CHARS) return line;
  const cut = line.slice(0, DETAIL_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > DETAIL_CHARS * 0.6 ? cut.slice(0, space) : cut.trimEnd()}…`;
}

function flatten(uri: string, symbols: DocumentSymbol[], containerName?: string): SymbolInformation[] {
  return symbols.flatMap((s) => [
    { name: s.name, kind: s.kind, location: { uri, range: s.range }, ...(containerName ? { containerName } : {}) },
    ...flatten(uri, s.children ?? [], s.name),
  ]);
}
