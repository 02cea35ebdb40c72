/** Which JSONL files are problem sets. The rule, applied to the first non-empty line only (so a file is
 * classified before the rest is read): it is a JSON object with a non-empty string `problem` or
 * `question`, and none of the fields that make a record a reasoning trace rather than a problem —
 * ProcessBench's `steps`/`label`, generic traces' responses (`response(s)`, `output(s)`,
 * `completion(s)`, `generation(s)`, `code`), chat transcripts' `messages`/`conversations`, PRM800K's
 * `label`. `solution` does not count: MATH-500 records carry their reference solution. */

const TRACE_KEYS = [
  'steps', 'label', 'response', 'responses', 'output', 'outputs', 'completion', 'completions',
  'generation', 'generations', 'code', 'messages', 'conversations',
];

export function isProblemRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const statement = ['problem', 'question'].some((key) => typeof record[key] === 'string' && (record[key] as string).trim() !== '');
  return statement && !TRACE_KEYS.some((key) => key in record);
}
