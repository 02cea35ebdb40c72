/** Completion in problem files: front-matter keys and their values, LaTeX commands inside math. */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FRONT_MATTER_KEYS } from '../core/authoring/frontMatterKeys';
import { scanMath } from '../core/authoring/mathRegions';
import type { ProblemDocument } from '../core/authoring/types';
import { LATEX_COMMANDS } from './latexCommands';

/** A command being typed; `\\` is a line break, not the start of a command. */
const LATEX_PREFIX = /(?<!\\)\\[A-Za-z]*$/;

export function completionsAt(document: TextDocument, problem: ProblemDocument, position: Position): CompletionItem[] {
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
  const range: Range = { start: { line: position.line, character: position.character - typed[0].length }, end: position };
  return LATEX_COMMANDS.map((c) => ({
    label: `\\${c.name}`,
    kind: CompletionItemKind.Function,
    detail: c.detail,
    filterText: `\\${c.name}`,
    insertTextFormat: InsertTextFormat.Snippet,
    // Snippet syntax takes `\` as an escape: literal backslashes are doubled.
    textEdit: { range, newText: `\\\\${c.insert.replace(/\\/g, '\\\\')}` },
  }));
}
