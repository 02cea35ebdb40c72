/** Diverse verifier tree search, after search-and-learn's DVTS: n/M independent subtrees, each
 * growing from its own first step. Every iteration each subtree expands its current step M times,
 * scores the children (with their lookahead) and keeps its single best one; a subtree never sees
 * another's candidates. A subtree ends when its best child finishes the chain. Subtrees advance in
 * lock step, as in search-and-learn, so answers are concluded in lane order. The answer is the
 * best-scored finished chain over all subtrees, and every finished chain votes. Lanes are
 * `t<subtree>.<iteration>.<k>`, and nodes carry their subtree as `sample`. */
import { ROOT_ID } from '../../trace/schema';
import { AGGREGATION_PARAM, type Strategy } from '../strategy';
import {
  bestCompleted, expandCandidates, keepTopBeams, LOOKAHEAD, MAX_ITERATIONS, pruneCandidate, rankReason, stepSettings,
  type Candidate, type Expansion,
} from './stepSearch';

type Selectable = Pick<Candidate, 'order' | 'score' | 'finished' | 'sample'>;

/** Each subtree's best candidate among its own children only (ties to the earlier lane). Its open
 * children that lose are pruned with why; finished ones stay complete, since they are answers. */
export function bestOfEachSubtree<T extends Selectable>(candidates: readonly T[]): { best: Map<number, T>; pruned: { candidate: T; reason: string }[] } {
  const bySubtree = new Map<number, T[]>();
  for (const c of candidates) bySubtree.set(c.sample ?? 0, [...(bySubtree.get(c.sample ?? 0) ?? []), c]);
  const best = new Map<number, T>();
  const pruned: { candidate: T; reason: string }[] = [];
  for (const [subtree, own] of bySubtree) {
    const { kept: [top], dropped } = keepTopBeams(own, 1);
    best.set(subtree, top);
    for (const c of dropped) if (!c.finished) pruned.push({ candidate: c, reason: rankReason(c.score, top.score, 'the subtree\'s best') });
  }
  return { best, pruned };
}

export const dvts: Strategy = {
  name: 'dvts',
  title: 'Diverse verifier tree search',
  description: 'n/M independent subtrees, each expanding its current step M times and keeping its best child; the best finished chain wins',
  params: [
    { name: 'n', kind: 'int', default: 16, min: 1, max: 4096, description: 'steps sampled per iteration over all subtrees: n/beamWidth subtrees of beamWidth each; a multiple of beamWidth' },
    { name: 'beamWidth', kind: 'int', default: 4, min: 1, max: 256, description: 'expansions of each subtree\'s current step per iteration (M, search-and-learn\'s beam_width)' },
    MAX_ITERATIONS,
    LOOKAHEAD,
    AGGREGATION_PARAM,
  ],
  scored: true,
  defaultTemperature: 0.8,
  async run(ctx, params) {
    const s = stepSettings(params);
    if (s.n % s.width !== 0) throw new Error(`dvts needs n to be a multiple of beamWidth (n ${s.n}, beamWidth ${s.width})`);
    const base = ctx.generation.sampling.seed;
    const completed: Candidate[] = [];
    let current = new Map(Array.from({ length: s.groups }, (_, subtree) => [subtree, ROOT_ID]));
    for (let iteration = 0; iteration < s.maxIterations && current.size > 0; iteration++) {
      const final = iteration === s.maxIterations - 1;
      const expansions: Expansion[] = [...current].flatMap(([subtree, parent]) => Array.from({ length: s.width }, (_, k) => {
        const order = (iteration * s.groups + subtree) * s.width + k;
        return { parent, lane: `t${subtree}.${iteration}.${k}`, seed: base + order, order, sample: subtree };
      }));
      const candidates = await expandCandidates(ctx, expansions, { final, lookahead: s.lookahead, aggregation: s.aggregation, skipDuplicates: false });
      completed.push(...candidates.filter((c) => c.finished));
      ctx.provisional = bestCompleted(completed)?.answer;
      const { best, pruned } = bestOfEachSubtree(candidates);
      for (const { candidate, reason } of pruned) pruneCandidate(ctx, candidate, reason);
      current = new Map();
      for (const [subtree, top] of best) {
        if (top.finished) continue; // the subtree's chain is complete
        if (final) pruneCandidate(ctx, top, `max iterations (${s.maxIterations}) reached`);
        else current.set(subtree, top.last);
      }
    }
    return { selected: bestCompleted(completed)?.answer };
  },
};
