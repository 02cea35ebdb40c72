/** How hard a problem is for a model, from how many of its sampled solutions were correct. */

export type DifficultyBin = 'easy' | 'medium' | 'hard';

export interface DifficultyEstimate {
  correct: number;
  total: number;
  /** correct / total. */
  rate: number;
  /** Wilson 95% interval of the pass rate. */
  low: number;
  high: number;
  bin: DifficultyBin;
}

// Snell et al. 2024 ("Scaling LLM Test-Time Compute Optimally…") bin problems by the model's pass@1
// into five quantiles over a dataset. A single problem being authored has no dataset to take quantiles
// over, so it gets one of three bins with fixed thresholds on its own pass rate.
/** A pass rate at or above this is easy. */
const EASY_AT_LEAST = 0.7;
/** A pass rate below this is hard. */
const HARD_BELOW = 0.3;

const Z95 = 1.959963984540054;

/** Bins the pass rate and gives its Wilson interval, which stays inside [0, 1] and is honest at 0/n
 * and n/n, unlike the normal approximation, with the handful of samples an author will pay for. */
export function estimateDifficulty(correct: number, total: number): DifficultyEstimate {
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`total must be a whole number ≥ 1, got ${total}`);
  if (!Number.isInteger(correct) || correct < 0 || correct > total) throw new RangeError(`correct must be a whole number in [0, ${total}], got ${correct}`);
  const rate = correct / total;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / total;
  const center = (rate + z2 / (2 * total)) / denominator;
  const half = (Z95 * Math.sqrt((rate * (1 - rate)) / total + z2 / (4 * total * total))) / denominator;
  const bin: DifficultyBin = rate >= EASY_AT_LEAST ? 'easy' : rate < HARD_BELOW ? 'hard' : 'medium';
  return { correct, total, rate, low: Math.max(0, center - half), high: Math.min(1, center + half), bin };
}

/** e.g. "hard for qwen2.5:1.5b (2/8 correct, 95% CI 7–59%)". */
export function formatDifficulty(e: DifficultyEstimate, model: string): string {
  const pct = (x: number) => Math.round(100 * x);
  return `${e.bin} for ${model} (${e.correct}/${e.total} correct, 95% CI ${pct(e.low)}–${pct(e.high)}%)`;
}
