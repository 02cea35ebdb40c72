/** Intervals for rollout proportions. Analyses sample a handful to a few dozen rollouts per prefix,
 * where the textbook Wald interval (p ± z·√(p(1−p)/n)) collapses to a point at 0/n and n/n. Wilson's
 * score interval keeps close to its nominal coverage there, and Newcombe's hybrid score interval
 * for a difference of two proportions (method 10 of Newcombe 1998) is built from the two Wilson
 * intervals, so it inherits that behaviour. */
import type { RolloutTally } from '../trace/schema';

/** The normal quantile for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** The share of rollouts that agreed with the reference; NaN when there were none. */
export function proportion(tally: RolloutTally): number {
  return tally.rollouts > 0 ? tally.correct / tally.rollouts : Number.NaN;
}

/** Wilson score interval for `correct` out of `rollouts`; [0, 1] when nothing was sampled. */
export function wilsonInterval(tally: RolloutTally, z = Z95): [number, number] {
  checkTally(tally);
  const n = tally.rollouts;
  if (n === 0) return [0, 1];
  const p = tally.correct / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Newcombe's hybrid score interval for P(a) − P(b); [−1, 1] when either side has no rollouts. */
export function differenceInterval(a: RolloutTally, b: RolloutTally, z = Z95): [number, number] {
  if (a.rollouts === 0 || b.rollouts === 0) return [-1, 1];
  const [pa, pb] = [proportion(a), proportion(b)];
  const [la, ua] = wilsonInterval(a, z);
  const [lb, ub] = wilsonInterval(b, z);
  const d = pa - pb;
  return [Math.max(-1, d - Math.hypot(pa - la, ub - pb)), Math.min(1, d + Math.hypot(ua - pa, pb - lb))];
}

function checkTally({ rollouts, correct }: RolloutTally): void {
  if (!Number.isInteger(rollouts) || !Number.isInteger(correct) || rollouts < 0 || correct < 0 || correct > rollouts) {
    throw new RangeError(`a rollout tally needs whole counts with 0 ≤ correct ≤ rollouts, got ${correct} of ${rollouts}`);
  }
}
