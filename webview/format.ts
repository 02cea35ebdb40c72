/** Short human-readable numbers for the header, legend and detail panel. */
import type { TreeNode } from '../src/core/trace/tree';

type TokenLogprob = NonNullable<TreeNode['tokens']>[number];

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  return `${Math.round(n / 1000)}k`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatShare(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((100 * part) / whole)}%` : '–';
}

export function meanLogprob(tokens: TokenLogprob[]): number | undefined {
  if (tokens.length === 0) return undefined;
  return tokens.reduce((sum, t) => sum + t.logprob, 0) / tokens.length;
}

/** First `max` characters of a step on one line, for tooltips. */
export function snippet(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
