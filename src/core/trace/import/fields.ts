/** Reading fields of untrusted JSON records without trusting their types. Datasets spell the same
 * thing several ways (`True`, `"True"`, `1`; `3.5`, `"[3.5]"`), so the readers accept each. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first of `keys` holding a non-blank string. */
export function firstString(record: JsonObject, keys: readonly string[]): { key: string; value: string } | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return { key, value };
  }
  return undefined;
}

/** A string, or a list of strings (one per sample); undefined for anything else. */
export function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  return undefined;
}

/** A finite number, also from `"3.5"` or a one-element list such as `[3.5]` or `"[3.5]"`. */
export function asNumber(value: unknown): number | undefined {
  if (Array.isArray(value) && value.length === 1) return asNumber(value[0]);
  if (typeof value === 'string') {
    const bare = value.trim().replace(/^\[(.*)\]$/s, '$1').trim();
    return /^-?\.?\d/.test(bare) ? asNumber(Number(bare)) : undefined;
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Field `key` for sample `i`: one value per sample in a list, or one value for a single sample. */
export function perSample(value: unknown, i: number, samples: number): unknown {
  if (Array.isArray(value)) return value.length === samples ? value[i] : undefined;
  return samples === 1 ? value : undefined;
}

/** Where datasets keep the reference answer, most specific first. */
const GOLD_KEYS = ['gt_answer', 'ground_truth_answer', 'gt', 'answer'];

export function goldAnswer(record: JsonObject): string | undefined {
  for (const key of GOLD_KEYS) {
    const value = record[key];
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string' && value.trim() && value.trim() !== 'None') return value.trim();
  }
  return undefined;
}

/** A record's own id, when it has one. */
export function recordId(record: JsonObject): string | undefined {
  for (const key of ['id', 'unique_id', 'problem_id', 'idx']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** One line of at most `max` characters, for picker labels. */
export function oneLine(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
