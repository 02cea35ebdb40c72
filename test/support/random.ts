/** Seeded randomness for the scripted solver (the engine's own generator). Everything random is
 * derived from a string key, so the same request always produces the same chain and the same token
 * probabilities. */

export { createRandom, hashString } from '../../src/core/search/random';
import { createRandom } from '../../src/core/search/random';

/** A number in [0, 1) determined by `key`. */
export function unitFromKey(key: string): number {
  return createRandom(key)();
}

/** Index drawn from non-negative weights with the uniform number `u` in [0, 1). */
export function drawIndex(weights: readonly number[], u: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i];
    if (u * total < acc) return i;
  }
  return weights.length - 1;
}

/** Index of the largest weight (the first one on ties). */
export function argmax(weights: readonly number[]): number {
  return weights.reduce((best, w, i) => (w > weights[best] ? i : best), 0);
}
