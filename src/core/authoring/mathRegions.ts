/** The math in a Markdown + LaTeX statement: `$…$`, `$$…$$`, `\(…\)`, `\[…\]`, skipping escaped `\$`,
 * code spans, fenced code blocks and MATH's `[asy]…[/asy]` Asymptote drawings (not LaTeX). One linear
 * pass; a region may not cross a blank line (as Markdown math renderers read it), so an unclosed
 * delimiter ends at its paragraph instead of swallowing the rest of the file. */

export interface MathRegion {
  /** Index of the opening delimiter. */
  open: number;
  opener: '$' | '$$' | '\\(' | '\\[';
  /** The LaTeX between the delimiters. */
  contentStart: number;
  contentEnd: number;
  /** Index just past the closing delimiter; undefined when the region is never closed. */
  end?: number;
  display: boolean;
}

export interface StrayCloser {
  at: number;
  closer: '\\)' | '\\]';
}

/** A fenced code block or an `[asy]…[/asy]` drawing: not math, skipped by the scan. An unclosed one runs
 * to the end of the text. */
export interface SkippedBlock {
  kind: 'code' | 'asy';
  start: number;
  /** Just past the closing fence's line (its line break included) or the `[/asy]`. */
  end: number;
}

export interface MathScan {
  regions: MathRegion[];
  strays: StrayCloser[];
  skipped: SkippedBlock[];
}

const CLOSER = { $: '$', $$: '$$', '\\(': '\\)', '\\[': '\\]' } as const;

export function scanMath(text: string): MathScan {
  const regions: MathRegion[] = [];
  const strays: StrayCloser[] = [];
  const skipped: SkippedBlock[] = [];
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    if (lineStart) {
      const fenceEnd = skipFencedCode(text, i);
      if (fenceEnd !== i) {
        skipped.push({ kind: 'code', start: i, end: fenceEnd });
        i = fenceEnd;
        continue;
      }
    }
    const c = text[i];
    lineStart = c === '\n';
    if (c === '`') {
      i = skipCodeSpan(text, i);
    } else if (c === '[' && text.startsWith('[asy]', i)) {
      const close = text.indexOf('[/asy]', i);
      const end = close < 0 ? text.length : close + 6;
      skipped.push({ kind: 'asy', start: i, end });
      i = end;
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next === '(' || next === '[') i = readRegion(text, i, next === '(' ? '\\(' : '\\[', regions);
      else if (next === ')' || next === ']') {
        strays.push({ at: i, closer: next === ')' ? '\\)' : '\\]' });
        i += 2;
      } else i += 2;
    } else if (c === '$') {
      i = readRegion(text, i, text[i + 1] === '$' ? '$$' : '$', regions);
    } else i++;
  }
  return { regions, strays, skipped };
}

/** Reads the region opened at `open`; returns where scanning resumes. */
function readRegion(text: string, open: number, opener: MathRegion['opener'], regions: MathRegion[]): number {
  const closer = CLOSER[opener];
  const contentStart = open + opener.length;
  const display = opener === '$$' || opener === '\\[';
  const priceLike = opener === '$' && isDigit(text[contentStart]);
  let i = contentStart;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      if (text.startsWith(closer, i)) break;
      i += 2;
    } else if (c === '$' && (closer === '$' || closer === '$$')) {
      // "$5 and $10": between two prices, a `$` right before a digit opens the second price rather than
      // closing math, so the first `$` is reported as unclosed, with its `\$` fix. MATH's own idiom
      // `$\$$1500` still closes: its math does not start with a digit.
      if (text.startsWith(closer, i) && !(priceLike && isDigit(text[i + 1]))) break;
      i++;
    } else if (c === '\n' && isBlankLineAfter(text, i)) {
      regions.push({ open, opener, contentStart, contentEnd: i, display });
      return i;
    } else i++;
  }
  if (i >= text.length) {
    regions.push({ open, opener, contentStart, contentEnd: text.length, display });
    return text.length;
  }
  regions.push({ open, opener, contentStart, contentEnd: i, end: i + closer.length, display });
  return i + closer.length;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Whether the line after the break at `i` is blank (a paragraph ends). */
function isBlankLineAfter(text: string, i: number): boolean {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r') return false;
  }
  return true;
}

/** At a line start: past a fenced code block (``` or ~~~, closed by a fence as long, or the end). */
function skipFencedCode(text: string, i: number): number {
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(text.slice(i, i + 40));
  if (!open) return i;
  const fence = open[1];
  let lineStart = text.indexOf('\n', i);
  while (lineStart >= 0) {
    const line = text.slice(lineStart + 1, lineStart + 1 + 40 + fence.length);
    const close = /^ {0,3}(`{3,}|~{3,})[ \t]*(?:\r?\n|\r?$)/.exec(line);
    const next = text.indexOf('\n', lineStart + 1);
    if (close && close[1][0] === fence[0] && close[1].length >= fence.length) return next < 0 ? text.length : next + 1;
    lineStart = next;
  }
  return text.length;
}

/** Past a code span (a backtick run closed by a run as long, within the paragraph); a lone run is text. */
function skipCodeSpan(text: string, i: number): number {
  let runEnd = i;
  while (text[runEnd] === '`') runEnd++;
  const run = runEnd - i;
  for (let j = runEnd; j < text.length; ) {
    if (text[j] === '`') {
      let k = j;
      while (text[k] === '`') k++;
      if (k - j === run) return k;
      j = k;
    } else if (text[j] === '\n' && isBlankLineAfter(text, j)) break;
    else j++;
  }
  return runEnd;
}
