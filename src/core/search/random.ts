/** Seeded randomness for the strategies that draw (QAlign's cut points and acceptance draws). Every
 * draw comes from a generator keyed by the run's seed and a label naming what is drawn, so a rerun
 * or a resumed run draws the same numbers whatever order requests completed in. */

/** A generator of numbers in [0, 1) determined by `seed` and `label`. */
export function seededRandom(seed: number, label: string): () => number {
  return createRandom(`${seed}|${label}`);
}

/** 32-bit FNV-1a hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A mulberry32 generator seeded from the hash of `key`: numbers in [0, 1). */
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
