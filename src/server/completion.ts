/** Completion in problem files: front-matter keys and their values, LaTeX commands inside math (also in a
 * problem set's statements and answers, JSON-escaped). */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FRONT_MATTER_KEYS } from '../core/authoring/frontMatterKeys';
import { indexAt } from '../core/authoring/mappedText';
import { scanMath } from '../core/authoring/mathRegions';
import type { MappedText, ProblemDocument } from '../core/authoring/types';
import { LATEX_COMMANDS } from './latexCommands';

/** A command being typed; `\\` is a line break, not the start of a command. */
const LATEX_PREFIX = /(?<!\\)\\[A-Za-z]*$/;

export function completionsAt(document: TextDocument, problem: ProblemDocument, position: Position): CompletionItem[] {
  if (problem.kind === 'problem-set') return recordCompletions(document, problem, position);
  if (problem.kind !== 'problem') return [];
  const text = document.getText();
  const offset = document.offsetAt(position);
  const lineStart = document.offsetAt({ line: position.line, character: 0 });
  const prefix = text.slice(lineStart, offset);
  const frontMatter = problem.frontMatter;
  // A line of the YAML, not the closing `---` line (which starts where the content ends).
  if (frontMatter && lineStart >= frontMatter.contentSpan.start && lineStart < frontMatter.contentSpan.end) {
    return frontMatterCompletions(document, problem, position, prefix);
  }
  const bodyStart = frontMatter?.span.end ?? 0;
  // The trigger characters fire on every space typed: the body is scanned only after a `\`.
  if (offset < bodyStart || !LATEX_PREFIX.test(prefix) || !insideMath(text.slice(bodyStart), offset - bodyStart)) return [];
  return latexCompletions(position, prefix);
}

/** Inside `$…$`, `$$…$$`, `\(…\)` or `\[…\]` — also one still being typed (not closed yet). */
function insideMath(body: string, at: number): boolean {
  return scanMath(body).regions.some((r) => r.contentStart <= at && at <= r.contentEnd);
}

function frontMatterCompletions(document: TextDocument, problem: ProblemDocument, position: Position, prefix: string): CompletionItem[] {
  const typedKey = /^[A-Za-z_]*$/.exec(prefix);
  if (typedKey) {
    const present = new Set(problem.units[0]?.fields.filter((f) => document.positionAt(f.keySpan.start).line !== position.line).map((f) => f.key));
    const range = { start: { line: position.line, character: 0 }, end: position };
    return FRONT_MATTER_KEYS.filter((k) => !present.has(k.key)).map((k) => ({
      label: k.key,
      kind: CompletionItemKind.Property,
      documentation: { kind: MarkupKind.Markdown, value: k.description },
      textEdit: { range, newText: `${k.key}: ` },
      // Keys with a closed list of values open that list straight away.
      command: k.values ? { title: 'Suggest values', command: 'editor.action.triggerSuggest' } : undefined,
    }));
  }
  const value = /^([A-Za-z_]+):([ \t]*)(.*)$/.exec(prefix);
  if (!value) return [];
  const [, key, space, typed] = value;
  if (key === 'answer') return latexCompletions(position, prefix);
  const values = FRONT_MATTER_KEYS.find((k) => k.key === key)?.values ?? [];
  const range = { start: { line: position.line, character: position.character - typed.length }, end: position };
  return values.map((v, i) => ({
    label: v,
    kind: CompletionItemKind.EnumMember,
    sortText: String(i).padStart(3, '0'),
    filterText: v,
    textEdit: { range, newText: space === '' ? ` ${v}` : v },
  }));
}

function latexCompletions(position: Position, prefix: string): CompletionItem[] {
  const typed = LATEX_PREFIX.exec(prefix);
  if (!typed) return [];
  return latexItems({ start: { line: position.line, character: position.character - typed[0].length }, end: position });
}

/** A record's LaTeX is in JSON strings, where `\frac` is written `\\frac`: the command being typed is read
 * from the decoded statement or answer, found through its map to the line (so escapes elsewhere in the
 * string cannot mislead it), and replaced, raw characters and all, by the JSON-escaped snippet. The
 * answer is math throughout, as the front matter's `answer:` is; the statement only inside its math. */
function recordCompletions(document: TextDocument, problem: ProblemDocument, position: Position): CompletionItem[] {
  const unit = problem.units.find((u) => u.line === position.line + 1);
  const offset = document.offsetAt(position);
  // Between a string's quotes: an answer written as a number or an array is no LaTeX.
  if (!unit?.fields.some((f) => typeof f.value === 'string' && f.valueSpan.start < offset && offset < f.valueSpan.end)) return [];
  const typedIn = (mapped: MappedText | undefined, inMath: (text: string, at: number) => boolean): Range | undefined => {
    const at = mapped && indexAt(mapped, offset);
    if (!mapped || at === undefined) return undefined;
    const typed = LATEX_PREFIX.exec(mapped.text.slice(0, at));
    if (!typed || !inMath(mapped.text, at)) return undefined;
    return { start: document.positionAt(mapped.offsetAt(at - typed[0].length)), end: position };
  };
  const range = typedIn(unit.statement, insideMath) ?? typedIn(unit.answer, () => true);
  return range ? latexItems(range, (latex) => JSON.stringify(latex).slice(1, -1)) : [];
}

/** The commands as snippets over `range`; `encode` writes LaTeX as the document holds it. */
function latexItems(range: Range, encode = (latex: string) => latex): CompletionItem[] {
  return LATEX_COMMANDS.map((c) => ({
    label: `\\${c.name}`,
    kind: CompletionItemKind.Function,
    detail: c.detail,
    // Matched against what was typed in the document, escapes included.
    filterText: encode(`\\${c.name}`),
    insertTextFormat: InsertTextFormat.Snippet,
    // Snippet syntax takes `\` as an escape: literal backslashes are doubled.
    textEdit: { range, newText: encode(`\\${c.insert}`).replace(/\\/g, '\\\\') },
  }));
}
