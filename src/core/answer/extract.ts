/** Final-answer extraction from a whole solution: which text is the answer, and which rule found it. */
import { matchBrace, stripMathDelimiters } from './latex';

import type { AnswerRule } from '../trace/schema';

export type ExtractionRule = AnswerRule;

export interface Extraction {
  /** The answer text, without math delimiters or a closing period. */
  answer: string;
  rule: ExtractionRule;
  /** Where the answer lies in the text given (UTF-16 offsets, `end` exclusive). */
  start: number;
  end: number;
}

export interface ExtractOptions {
  /** Fall back to the last number in the text when no other rule fires (off by default: it guesses). */
  lastNumberFallback?: boolean;
}

interface Box { start: number; end: number; contentStart: number; contentEnd: number; braced: boolean }

/**
 * The final answer of a solution. Rules, most trusted first: the last `\boxed{…}`/`\fbox{…}` (with
 * boxes right before it joined into a list, as in `\boxed{1}, \boxed{2}`), `\boxed 9`, "The final answer
 * is …" (Minerva), a PRM800K `# Answer` block, "the answer is …", and the last number only when asked.
 * In R1-style output the text after the last `</think>` is searched first.
 */
export function extractAnswer(text: string, opts: ExtractOptions = {}): Extraction | null {
  const thinkEnd = text.lastIndexOf('</think>');
  if (thinkEnd >= 0) {
    const after = thinkEnd + '</think>'.length;
    const found = extractFrom(text.slice(after), opts);
    if (found) return { ...found, start: found.start + after, end: found.end + after };
  }
  return extractFrom(text, opts);
}

function extractFrom(text: string, opts: ExtractOptions): Extraction | null {
  return fromBoxes(text) ?? fromFinalAnswer(text) ?? fromAnswerBlock(text) ?? fromAnswerIs(text) ?? (opts.lastNumberFallback ? fromLastNumber(text) : null);
}

/** The content of the last `\boxed{…}` (or `\fbox{…}`), with nested braces; null when there is none. */
export function extractBoxed(text: string): string | null {
  const last = findBoxes(text).filter((b) => b.braced).at(-1);
  return last ? text.slice(last.contentStart, last.contentEnd) : null;
}

function findBoxes(text: string): Box[] {
  const boxes: Box[] = [];
  const re = /\\(?:boxed|fbox)(?![a-zA-Z])\s*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[0].length;
    if (text[at] === '{') {
      const close = matchBrace(text, at);
      if (close < 0) continue;
      boxes.push({ start: m.index, end: close, contentStart: at + 1, contentEnd: close - 1, braced: true });
      re.lastIndex = close;
    } else if (m[0].length > '\\boxed'.length || /^\\fbox\s/.test(m[0])) {
      const token = /^[^\s$]+/.exec(text.slice(at))?.[0].replace(/[.,;]+$/, '') ?? '';
      if (token) boxes.push({ start: m.index, end: at + token.length, contentStart: at, contentEnd: at + token.length, braced: false });
    }
  }
  return boxes;
}

/** What may stand between boxes that together give one list answer: commas, "and"/"or", spacing, math delimiters. */
const BETWEEN_BOXES = /^(?:\s|[,;]|\$|\\[()[\]]|\\q?quad|\\[,;: ]|~|\b(?:and|or)\b|\\text\{\s*(?:and|or|,)?\s*\})*$/;

function fromBoxes(text: string): Extraction | null {
  const boxes = findBoxes(text);
  const last = boxes.at(-1);
  if (!last) return null;
  let first = boxes.length - 1;
  while (first > 0 && BETWEEN_BOXES.test(text.slice(boxes[first - 1].end, boxes[first].start))) first--;
  const group = boxes.slice(first);
  const answer = group.map((b) => cleanAnswer(text.slice(b.contentStart, b.contentEnd))).filter(Boolean).join(', ');
  if (!answer) return null;
  return { answer, rule: last.braced ? 'boxed' : 'boxed-unbraced', start: group[0].contentStart, end: last.contentEnd };
}

function fromFinalAnswer(text: string): Extraction | null {
  const re = /(?:final answer is|final answer\s*:)[ \t]*:?[ \t]*/gi;
  return lastSentenceAfter(text, re, 'final-answer');
}

function fromAnswerIs(text: string): Extraction | null {
  const re = /\banswer(?:\s+to\s+the\s+problem)?\s+(?:is|=)\s*:?\s*|\banswer\s*:\s*/gi;
  return lastSentenceAfter(text, re, 'the-answer-is');
}

function fromAnswerBlock(text: string): Extraction | null {
  // The answer follows on the next line (PRM800K) or, now and then, on the heading's own line.
  const re = /^#{1,6}[ \t]*Answer[ \t]*:?(?:[ \t]*\n\s*|[ \t]+(?=\S))/gim;
  let found: Extraction | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const blank = text.slice(start).search(/\n[ \t]*\n/);
    const end = blank < 0 ? text.length : start + blank;
    found = spanAnswer(text, start, end, 'answer-block') ?? found;
  }
  return found;
}

function fromLastNumber(text: string): Extraction | null {
  const re = /-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+/g;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m;
  if (!last) return null;
  return { answer: last[0].replace(/,/g, ''), rule: 'last-number', start: last.index, end: last.index + last[0].length };
}

/** The answer in the sentence after the last match of `lead`: its first math span, else the words up to the sentence's end. */
function lastSentenceAfter(text: string, lead: RegExp, rule: ExtractionRule): Extraction | null {
  let found: Extraction | null = null;
  for (let m = lead.exec(text); m; m = lead.exec(text)) {
    const start = m.index + m[0].length;
    const math = mathSpanAt(text, start);
    if (math) {
      found = spanAnswer(text, math.start, math.end, rule) ?? found;
      continue;
    }
    const rest = text.slice(start);
    const stop = rest.search(/\.?\s*I hope it is correct|\.(?=\s|$)|\n/);
    const sentence = rest.slice(0, stop < 0 ? rest.length : stop);
    // "The largest $n$ is 34": the answer is what the sentence says something is.
    const is = /^.*\sis\s+/.exec(sentence)?.[0].length ?? 0;
    found = spanAnswer(text, start + is, start + sentence.length, rule) ?? found;
  }
  return found;
}

/** A `$…$`, `$$…$$`, `\(…\)` or `\[…\]` span starting at `at`: the offsets of its content. */
function mathSpanAt(text: string, at: number): { start: number; end: number } | null {
  const open = /^(\$\$|\$|\\\(|\\\[)/.exec(text.slice(at))?.[1];
  if (!open) return null;
  const close = open === '\\(' ? '\\)' : open === '\\[' ? '\\]' : open;
  const end = text.indexOf(close, at + open.length);
  return end < 0 ? null : { start: at + open.length, end };
}

function spanAnswer(text: string, start: number, end: number, rule: ExtractionRule): Extraction | null {
  const raw = text.slice(start, end);
  const answer = cleanAnswer(raw);
  if (!answer) return null;
  const lead = raw.length - raw.trimStart().length;
  return { answer, rule, start: start + lead, end: start + lead + raw.trim().length };
}

function cleanAnswer(raw: string): string {
  return stripMathDelimiters(raw.trim().replace(/[.。]+$/, '').trim()).replace(/[.,;]+$/, '').trim();
}

/** Canonical spelling for grouping: spacing, \left/\right, \dfrac/\tfrac, a trailing period, `x =`. */
export function normalizeAnswer(raw: string): string {
  let s = raw.trim();
  s = s.replace(/\\left|\\right/g, '');
  s = s.replace(/\\[dt]frac/g, '\\frac');
  s = s.replace(/\\!|\\,|\\;|\\:|\\ /g, '');
  s = s.replace(/^\$+|\$+$/g, '');
  s = s.replace(/^[a-zA-Z]\s*=\s*/, '');
  s = s.replace(/\s+/g, '');
  s = s.replace(/\.$/, '');
  s = s.replace(/^\\text\{(.*)\}$/, '$1');
  return s;
}
