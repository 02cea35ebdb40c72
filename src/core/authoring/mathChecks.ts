/** LaTeX in statements and answers: delimiters that do not close, braces that do not pair, and what
 * KaTeX (the renderer of the extension's views) cannot parse — each mapped to the characters at fault. */
import katex from 'katex';
import { unmatchedBraces } from './braces';
import { scanMath, type MathRegion } from './mathRegions';
import type { Finding, MappedText, Span } from './types';

/** `encode` writes inserted text in the document's syntax (JSON-escaped in a problem set). */
export function statementMathFindings(statement: MappedText, encode: (s: string) => string): Finding[] {
  const { text } = statement;
  const span = (from: number, to: number): Span => ({ start: statement.offsetAt(from), end: statement.offsetAt(to) });
  const out: Finding[] = [];
  const { regions, strays } = scanMath(text);
  for (const stray of strays) {
    out.push({
      code: 'unbalanced-math',
      severity: 'error',
      span: span(stray.at, stray.at + 2),
      message: `\`${stray.closer}\` closes math that was never opened.`,
      fixes: [{ title: `Remove \`${stray.closer}\``, edits: [{ span: span(stray.at, stray.at + 2), newText: '' }] }],
    });
  }
  for (const region of regions) {
    if (region.end === undefined) {
      out.push(unclosed(statement, region, encode));
      continue;
    }
    const braces = unmatchedBraces(text, region.contentStart, region.contentEnd);
    for (const at of braces) {
      out.push({
        code: 'unbalanced-brace',
        severity: 'error',
        span: span(at, at + 1),
        message: text[at] === '{' ? 'This `{` is never closed inside its math.' : 'This `}` closes no `{` inside its math.',
      });
    }
    if (braces.length === 0) out.push(...latexFindings(statement, region.contentStart, region.contentEnd, region.display));
  }
  return out;
}

/** An answer is LaTeX without delimiters (MATH style), unless it has some. Unbalanced braces are left
 * to the answer-unparsed check, which says what they mean for grading. */
export function answerMathFindings(answer: MappedText): Finding[] {
  const { regions } = scanMath(answer.text);
  const parts = regions.length ? regions.filter((r) => r.end !== undefined) : [{ contentStart: 0, contentEnd: answer.text.length, display: false }];
  return parts
    .filter((r) => unmatchedBraces(answer.text, r.contentStart, r.contentEnd).length === 0)
    .flatMap((r) => latexFindings(answer, r.contentStart, r.contentEnd, r.display));
}

const CLOSERS = { $: '$', $$: '$$', '\\(': '\\)', '\\[': '\\]' } as const;

function unclosed(statement: MappedText, region: MathRegion, encode: (s: string) => string): Finding {
  const { text } = statement;
  const closer = CLOSERS[region.opener];
  let end = region.contentEnd;
  while (end > region.contentStart && /\s/.test(text[end - 1])) end--;
  const at = statement.offsetAt(end);
  const fixes = [{ title: `Close it with \`${closer}\` at the end of the paragraph`, edits: [{ span: { start: at, end: at }, newText: encode(closer) }], preferred: true }];
  const currency = region.opener === '$' && /\d/.test(text[region.contentStart] ?? '');
  if (currency) {
    const open = statement.offsetAt(region.open);
    fixes.unshift({ title: 'Escape as `\\$` (a dollar sign, not math)', edits: [{ span: { start: open, end: open }, newText: encode('\\') }], preferred: true });
    fixes[1].preferred = false;
  }
  return {
    code: 'unbalanced-math',
    severity: 'error',
    span: { start: statement.offsetAt(region.open), end: statement.offsetAt(region.open + region.opener.length) },
    message: `\`${region.opener}\` opens math that is not closed before the end of its paragraph${currency ? '; if it is a dollar sign, write `\\$`' : ''}.`,
    fixes,
  };
}

/** Notation MATH problems use that KaTeX does not define. */
const MACROS: Record<string, string> = {
  '\\mbox': '\\text{#1}',
  '\\hbox': '\\text{#1}',
};

interface KatexFailure {
  message: string;
  position?: number;
  length?: number;
}

/** KaTeX's parser alone (no rendering): the part of the public bundle that reports parse errors. */
const parse = (katex as unknown as { __parse(latex: string, options: katex.KatexOptions): unknown }).__parse;

/** Results by input: while a document is edited, almost every region is the same as last time. */
const cache = new Map<string, KatexFailure | null>();
const CACHE_SIZE = 8192;

function katexFailure(latex: string, display: boolean): KatexFailure | null {
  const key = (display ? 'D' : 'I') + latex;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let failure: KatexFailure | null = null;
  try {
    // A fresh macro table each time: `\gdef` in one region must not leak into the next.
    parse(latex, { displayMode: display, throwOnError: true, strict: 'ignore', macros: { ...MACROS } });
  } catch (err) {
    if (err instanceof katex.ParseError) {
      const e = err as katex.ParseError;
      failure = { message: e.rawMessage ?? e.message, position: e.position, length: e.length };
    } else failure = { message: err instanceof Error ? err.message : String(err) };
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, failure);
  return failure;
}

function latexFindings(mapped: MappedText, from: number, to: number, display: boolean): Finding[] {
  const failure = katexFailure(mapped.text.slice(from, to), display);
  if (!failure) return [];
  let start = from;
  let end = to;
  if (failure.position !== undefined) {
    start = Math.min(to, from + failure.position);
    end = Math.min(to, start + (failure.length ?? 0));
    // An error at the very end ("unexpected end of input") marks the last character.
    if (end === start) start = Math.max(from, start - 1);
    if (end === start) end = to;
  }
  return [{ code: 'latex-error', severity: 'error', span: { start: mapped.offsetAt(start), end: mapped.offsetAt(end) }, message: `LaTeX error (KaTeX): ${failure.message}` }];
}
