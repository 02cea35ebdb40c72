/** Intervals for rollout proportions. Analyses sample a handful to a few dozen rollouts per prefix,
 * where the textbook Wald interval (p ± z·√(p(1−p)/n)) collapses to a point at 0/n and n/n. Wilson's
 * score interval keeps close to its nominal coverage there, and Newcombe's hybrid score interval
 * for a difference of two proportions (method 10 of Newcombe 1998) is built from the two Wilson
 * intervals, so it inherits that behaviour. */
import type { RolloutTally } from '../trace/schema';

/** The normal quantile for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** The z of two-sided 95% intervals that hold at every one of `looks` looks at growing data
 * together (Bonferroni: each look at 5%/looks), so a test that stops as soon as one interval clears
 * zero is wrong at most 5% of the time, and the interval where it stopped is still a 95% interval
 * (a repeated confidence interval, Jennison & Turnbull). One look: the usual 1.96. */
export function repeatedZ(looks: number): number {
  if (!Number.isInteger(looks) || looks < 1) throw new RangeError(`looks must be a whole number of at least 1, got ${looks}`);
  return looks === 1 ? Z95 : normalQuantile(1 - 0.025 / looks);
}

/** The standard normal quantile Φ⁻¹(p) for 0 < p < 1, by Acklam's rational approximation (relative
 * error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a normal quantile needs 0 < p < 1, got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  const low = 0.02425;
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

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
