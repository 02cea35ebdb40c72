/** Seeded randomness for the scripted solver. Everything random is derived from a string key, so
 * the same request always produces the same chain and the same token probabilities. */

/** 32-bit FNV-1a hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A number in [0, 1) determined by `key`. */
export function unitFromKey(key: string): number {
  return createRandom(key)();
}

/** A mulberry32 generator seeded from `key`: returns numbers in [0, 1). */
export function createRandom(key: string): () => number {
  let state = hashString(key);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
