/** Timing for the benches: durations of repeated calls, and the summaries the results files report. */

/** Milliseconds of each of `runs` calls of `fn`, sorted. */
export function timeCalls(runs: number, fn: () => void): number[] {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b);
}

/** The q-quantile of sorted values (nearest rank). */
export const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

export const median = (xs: number[]): number => quantile([...xs].sort((a, b) => a - b), 0.5);
