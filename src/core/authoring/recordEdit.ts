/** Writes one top-level key of one record of a JSONL problem set as a single text edit, touching nothing
 * else on the line or in the file (the JSONL counterpart of frontMatterEdit.ts), so "Estimate
 * difficulty" on a record keeps the set's escapes, key order, spacing and line ends. */
import { jsonlLines, readJsonLine } from './jsonRecords';
import type { TextEdit } from './types';

/**
 * Sets `key` to `jsonValue` (already JSON, e.g. `"hard"`) in the record on 1-based `line`:
 * - an existing key keeps its place and only its value is replaced (the last one when the key is
 *   repeated: it is the one JSON readers keep);
 * - otherwise the key goes last, before the closing brace, spaced as the line's own members are
 *   (`, "k": v` as Python's json.dumps writes MATH-500, `,"k":v` in compact lines).
 * Undefined when the line does not exist or is not a JSON object.
 */
export function setRecordKey(text: string, line: number, key: string, jsonValue: string): TextEdit | undefined {
  const at = lineSpan(text, line);
  if (!at) return undefined;
  const record = readJsonLine(text, at.start, at.end);
  if (record.error || record.closeBrace === undefined) return undefined;
  const { members } = record;
  const existing = members.filter((m) => m.key === key).pop();
  if (existing) return { span: existing.valueSpan, newText: jsonValue };
  const last = members[members.length - 1];
  const colon = last ? text.slice(last.keySpan.end, last.valueSpan.start) : ': ';
  if (!last) return { span: { start: record.closeBrace, end: record.closeBrace }, newText: `${JSON.stringify(key)}${colon}${jsonValue}` };
  const comma = members.length > 1 ? text.slice(members[0].valueSpan.end, members[1].keySpan.start) : colon.endsWith(' ') ? ', ' : ',';
  return { span: { start: last.valueSpan.end, end: last.valueSpan.end }, newText: `${comma}${JSON.stringify(key)}${colon}${jsonValue}` };
}

function lineSpan(text: string, line: number): { start: number; end: number } | undefined {
  if (!Number.isInteger(line) || line < 1) return undefined;
  for (const at of jsonlLines(text)) if (at.line === line) return at;
  return undefined;
}
