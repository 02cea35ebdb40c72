/** Typed reads of fields from a parsed JSON request body. */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function stringField(body: JsonObject | undefined, key: string): string | undefined {
  const value = body?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(body: JsonObject | undefined, key: string): number | undefined {
  const value = body?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A stop option: one string or a list of strings (both are accepted by Ollama and OpenAI). */
export function stopField(body: JsonObject | undefined, key: string): string[] {
  const value = body?.[key];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}
