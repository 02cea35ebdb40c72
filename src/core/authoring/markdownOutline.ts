/** The structure of a problem file's Markdown body, for the editor's outline and folding (the
 * `math-problem` language gets neither from VS Code's Markdown support): ATX headings with their
 * sections, and the blocks that may span lines — display math, fenced code, MATH's `[asy]` drawings.
 * The blocks come from scanMath, so outline, checks and hovers agree on what is math and what is code. */
import { scanMath } from './mathRegions';
import type { ProblemDocument, Span } from './types';

export interface Heading {
  /** 1–6, the number of `#`s. */
  level: number;
  /** The heading's text without its `#`s (opening and closing); may be empty. */
  text: string;
  /** The heading line, without its line break. */
  span: Span;
  /** The heading and its section: up to the last non-blank line before the next heading of the same or
   * a higher level (or the end of the file). */
  section: Span;
}

export interface Block {
  kind: 'math' | 'code' | 'asy';
  /** From the opening delimiter to just past the closing one (for code, past the closing fence's line). */
  span: Span;
  /** Math only: the LaTeX between the delimiters. */
  content?: Span;
}

export interface MarkdownOutline {
  headings: Heading[];
  blocks: Block[];
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

/** Empty for problem sets and other documents: their lines are records, not Markdown. */
export function markdownOutline(problem: ProblemDocument): MarkdownOutline {
  if (problem.kind !== 'problem') return { headings: [], blocks: [] };
  const { text } = problem;
  const from = problem.frontMatter?.span.end ?? (text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const scan = scanMath(text.slice(from));
  const shift = (start: number, end: number): Span => ({ start: from + start, end: from + end });
  const blocks: Block[] = [
    // An unclosed display region ends at its paragraph: a mistake being typed, not a block to fold.
    ...scan.regions.filter((r) => r.display && r.end !== undefined).map((r): Block => ({ kind: 'math', span: shift(r.open, r.end!), content: shift(r.contentStart, r.contentEnd) })),
    ...scan.skipped.map((b): Block => ({ kind: b.kind, span: shift(b.start, b.end) })),
  ].sort((a, b) => a.span.start - b.span.start);
  // A `#` line inside math, code or a drawing is not a heading; inline math may span lines too.
  const covered = [...scan.regions.map((r) => shift(r.open, r.end ?? r.contentEnd)), ...blocks.map((b) => b.span)].sort((a, b) => a.start - b.start);
  return { headings: headingsOf(text, from, covered), blocks };
}

function headingsOf(text: string, from: number, covered: Span[]): Heading[] {
  const headings: Heading[] = [];
  const open: Heading[] = [];
  /** Where the last non-blank line so far ends: sections end there, not on trailing blank lines. */
  let lastNonBlank = from;
  const close = (level: number) => {
    while (open.length && open[open.length - 1].level >= level) open.pop()!.section.end = lastNonBlank;
  };
  let c = 0;
  for (let lineStart = from; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const next = newline < 0 ? text.length : newline;
    const lineEnd = text[next - 1] === '\r' ? next - 1 : next;
    const line = text.slice(lineStart, lineEnd);
    while (c < covered.length && covered[c].end <= lineStart) c++;
    const atx = c < covered.length && covered[c].start < lineStart ? null : ATX.exec(line);
    if (atx) {
      const level = atx[1].length;
      close(level);
      const span = { start: lineStart, end: lineEnd };
      const heading = { level, text: atx[2] ?? '', span, section: { ...span } };
      headings.push(heading);
      open.push(heading);
    }
    if (line.trim()) lastNonBlank = lineEnd;
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  close(1);
  return headings;
}
