/** One JSONL line read as a record with the raw extent of each top-level key and value, so findings in
 * a problem set point at the characters of the line (through JSON's escapes). `JSON.parse` decides
 * validity; the scanner only runs on lines it accepted. */
import { plainMapped, scatteredMapped } from './mappedText';
import type { MappedText, Span } from './types';

export interface RawMember {
  key: string;
  keySpan: Span;
  /** The literal, quotes included. */
  valueSpan: Span;
  value: unknown;
}

export interface JsonLine {
  /** The line without its line break (and `\r`). */
  span: Span;
  value?: unknown;
  /** Top-level members in order, when the line is an object. */
  members: RawMember[];
  /** Offset of the closing `}` of an object line. */
  closeBrace?: number;
  /** Why `JSON.parse` refused the line, and where when it says. */
  error?: { message: string; offset?: number };
}

/** Each line of a JSONL text: its 1-based number and extent without the line break (and `\r`). A byte
 * order mark is not part of line 1. The one reading of line numbers, so an edit addressed by a record's
 * line lands on the line the reader numbered so. */
export function* jsonlLines(text: string): Generator<{ line: number; start: number; end: number }> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 1; ; line++) {
    const newline = text.indexOf('\n', start);
    const next = newline < 0 ? text.length : newline;
    yield { line, start, end: text[next - 1] === '\r' ? next - 1 : next };
    if (newline < 0) return;
    start = newline + 1;
  }
}

/** Reads the line `text[start, end)`. */
export function readJsonLine(text: string, start: number, end: number): JsonLine {
  const raw = text.slice(start, end);
  const span = { start, end };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message);
    return { span, members: [], error: { message, offset: position ? start + Number(position[1]) : undefined } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { span, value, members: [] };
  const object = value as Record<string, unknown>;
  const members: RawMember[] = [];
  let i = skipSpace(raw, raw.indexOf('{') + 1);
  while (raw[i] === '"') {
    const keyEnd = skipString(raw, i);
    const key = JSON.parse(raw.slice(i, keyEnd)) as string;
    const valueStart = skipSpace(raw, skipSpace(raw, keyEnd) + 1);
    const valueEnd = skipValue(raw, valueStart);
    members.push({ key, keySpan: { start: start + i, end: start + keyEnd }, valueSpan: { start: start + valueStart, end: start + valueEnd }, value: object[key] });
    i = skipSpace(raw, valueEnd);
    if (raw[i] === ',') i = skipSpace(raw, i + 1);
  }
  return { span, value, members, closeBrace: start + i };
}

function skipSpace(raw: string, i: number): number {
  while (i < raw.length && (raw[i] === ' ' || raw[i] === '\t' || raw[i] === '\r' || raw[i] === '\n')) i++;
  return i;
}

/** Index just past the string literal opening at `i`. */
function skipString(raw: string, i: number): number {
  for (let j = i + 1; j < raw.length; j++) {
    if (raw[j] === '\\') j++;
    else if (raw[j] === '"') return j + 1;
  }
  return raw.length;
}

/** Index just past the (valid) JSON value at `i`. */
function skipValue(raw: string, i: number): number {
  if (raw[i] === '"') return skipString(raw, i);
  let depth = 0;
  let j = i;
  for (; j < raw.length; j++) {
    const c = raw[j];
    if (c === '"') j = skipString(raw, j) - 1;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) break;
      if (--depth === 0) return j + 1;
    } else if (depth === 0 && (c === ',' || c === ' ' || c === '\t' || c === '\r')) break;
  }
  return j;
}

const ESCAPED: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** A JSON string literal at `span` decoded, each character mapped to the raw escape it came from
 * (`\uD83D\uDE00` is two UTF-16 units, one per escape). */
export function mapJsonString(text: string, span: Span): MappedText {
  const first = span.start + 1;
  const last = span.end - 1;
  const raw = text.slice(first, last);
  if (!raw.includes('\\')) return plainMapped(raw, first);
  let decoded = '';
  const offsets: number[] = [];
  for (let i = 0; i < raw.length; ) {
    if (raw[i] !== '\\') {
      decoded += raw[i];
      offsets.push(first + i++);
    } else if (raw[i + 1] === 'u') {
      decoded += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      offsets.push(first + i);
      i += 6;
    } else {
      decoded += ESCAPED[raw[i + 1]] ?? raw[i + 1];
      offsets.push(first + i);
      i += 2;
    }
  }
  return scatteredMapped(decoded, offsets, last);
}
