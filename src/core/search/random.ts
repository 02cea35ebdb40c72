/** Seeded randomness for the strategies that draw (QAlign's cut points and acceptance draws). Every
 * draw comes from a generator keyed by the run's seed and a label naming what is drawn, so a rerun
 * or a resumed run draws the same numbers whatever order requests completed in. */

/** A generator of numbers in [0, 1) determined by `seed` and `label` (FNV-1a of both, then
 * mulberry32). */
export function seededRandom(seed: number, label: string): () => number {
  let state = 0x811c9dc5;
  for (const ch of `${seed}|${label}`) {
    state ^= ch.charCodeAt(0);
    state = Math.imul(state, 0x01000193);
  }
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
