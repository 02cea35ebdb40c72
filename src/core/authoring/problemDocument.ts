/** Reads a problem document — a `*.problem.md` file or a MATH-500-style JSONL problem set — into
 * problem units whose texts map back to exact document offsets (see types.ts). Pure and linear in the
 * document's length: the language server runs it on every keystroke. */
import { locateFrontMatter, parseFrontMatter, unclosedFrontMatter } from './frontMatter';
import { jsonlLines, mapJsonString, readJsonLine, type JsonLine } from './jsonRecords';
import { plainMapped, trimMapped } from './mappedText';
import { isProblemRecord } from './problemRecord';
import type { MappedText, ProblemDocument, ProblemUnit, Span } from './types';

export function parseProblemDocument(text: string, fileName: string): ProblemDocument {
  const name = fileName.toLowerCase();
  if (name.endsWith('.problem.md')) return parseProblemFileDocument(text);
  if (name.endsWith('.jsonl')) return parseProblemSet(text);
  return { kind: 'other', text, units: [] };
}

/** A `*.problem.md` file, whatever its name: the one reader of the format (Solve's `parseProblemFile`
 * reads through it too). */
export function parseProblemFileDocument(text: string): ProblemDocument {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const block = locateFrontMatter(text, start);
  const front = block ? parseFrontMatter(text, block) : undefined;
  const readErrors = front ? front.errors : [unclosedFrontMatter(text, start)].filter((e) => e !== undefined);
  const bodyStart = block ? block.span.end : start;
  const statement = trimMapped(plainMapped(text.slice(bodyStart), bodyStart));
  const id = front?.fields.find((f) => f.key === 'id');
  const unit: ProblemUnit = {
    span: { start: 0, end: text.length },
    id: id && id.value !== null && typeof id.value !== 'object' ? String(id.value) : undefined,
    statement,
    answer: answerText(front?.fields.find((f) => f.key === 'answer'), front?.texts.get('answer')),
    fields: front?.fields ?? [],
    titleSpan: titleOf(statement, block?.span ?? { start, end: start }),
    insertAt: block?.contentSpan.end,
    ...(readErrors.length ? { readErrors } : {}),
  };
  return { kind: 'problem', text, units: [unit], frontMatter: block };
}

/** The answer as written; a key without a value (`answer:`) is an empty answer at the key's end. */
function answerText(field: { valueSpan: Span } | undefined, mapped: MappedText | undefined): MappedText | undefined {
  if (!field) return undefined;
  return mapped ?? plainMapped('', field.valueSpan.start);
}

/** The first Markdown heading of the body, else the statement's first non-empty line. */
function titleOf(statement: MappedText, fallback: Span): Span {
  const body = statement.text;
  if (!body) return fallback;
  let lineStart = 0;
  while (lineStart < body.length) {
    const newline = body.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? body.length : newline;
    if (/^ {0,3}#{1,6}(?:[ \t]|$)/.test(body.slice(lineStart, Math.min(lineEnd, lineStart + 12)))) return lineSpan(statement, lineStart, lineEnd);
    lineStart = lineEnd + 1;
  }
  const firstEnd = body.indexOf('\n');
  return lineSpan(statement, 0, firstEnd < 0 ? body.length : firstEnd);
}

function lineSpan(statement: MappedText, from: number, to: number): Span {
  const end = statement.text[to - 1] === '\r' ? to - 1 : to;
  return { start: statement.offsetAt(from), end: statement.offsetAt(end) };
}

/** Keys that hold a problem statement, as `parseDataset` reads them. */
const STATEMENT_KEYS = ['problem', 'question'];
/** Where a record keeps its reference answer, id, as `parseDataset` reads them. */
const ANSWER_KEYS = ['answer', 'gt', 'gt_answer'];
const ID_KEYS = ['unique_id', 'id', 'idx'];

function parseProblemSet(text: string): ProblemDocument {
  const lines = nonEmptyLines(text);
  // Trace files can be hundreds of megabytes: their first record decides before the rest is split.
  const firstLine = lines.next();
  const first = firstLine.done ? undefined : readJsonLine(text, firstLine.value.start, firstLine.value.end);
  if (firstLine.done || !first || !isProblemRecord(first.value)) return { kind: 'other', text, units: [] };
  const units = [recordUnit(text, firstLine.value.line, first)];
  for (const { line, start, end } of lines) units.push(recordUnit(text, line, readJsonLine(text, start, end)));
  return { kind: 'problem-set', text, units };
}

function* nonEmptyLines(text: string): Generator<{ line: number; start: number; end: number }> {
  for (const line of jsonlLines(text)) if (text.slice(line.start, line.end).trim()) yield line;
}

function recordUnit(text: string, line: number, json: JsonLine): ProblemUnit {
  const { members, span } = json;
  const member = (keys: string[]) => {
    for (const key of keys) {
      const found = members.find((m) => m.key === key);
      if (found) return found;
    }
    return undefined;
  };
  const statementMember = members.find((m) => STATEMENT_KEYS.includes(m.key) && typeof m.value === 'string' && m.value.trim()) ?? member(STATEMENT_KEYS);
  const answer = member(ANSWER_KEYS);
  const id = member(ID_KEYS);
  const unit: ProblemUnit = {
    span,
    line,
    id: id && (typeof id.value === 'string' || typeof id.value === 'number') ? String(id.value) : undefined,
    statement: statementMember && typeof statementMember.value === 'string' ? mapJsonString(text, statementMember.valueSpan) : plainMapped('', span.start),
    answer: answer ? valueText(text, answer.valueSpan, answer.value) : undefined,
    fields: members.map(({ key, keySpan, valueSpan, value }) => ({ key, keySpan, valueSpan, value })),
    titleSpan: span,
    insertAt: json.closeBrace,
  };
  const error = json.error
    ? { message: `Not JSON: ${json.error.message}`, offset: json.error.offset }
    : members.length === 0 && (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value))
      ? { message: 'This line is JSON but not an object: a problem record is `{"problem": "…", "answer": "…"}`.' }
      : undefined;
  if (error) {
    const at = error.offset !== undefined && error.offset < span.end ? { start: error.offset, end: error.offset + 1 } : span;
    unit.readErrors = [{ code: 'not-json', message: error.message, span: at }];
  }
  return unit;
}

/** A string answer decoded; `null` as an empty answer; any other literal (`42`) as written. */
function valueText(text: string, span: Span, value: unknown): MappedText {
  if (typeof value === 'string') return mapJsonString(text, span);
  if (value === null) return plainMapped('', span.start);
  return plainMapped(text.slice(span.start, span.end), span.start);
}
