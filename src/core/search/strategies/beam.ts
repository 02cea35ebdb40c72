/** Step-level beam search, after search-and-learn's beam search: every iteration samples n steps —
 * at first n first steps, then M continuations of each of the n/M chains kept — scores each new step
 * (with its lookahead), sets aside the chains that finished as completed beams, drops duplicates,
 * and keeps the n/M best open chains. When fewer than n/M are kept, the n expansions are shared among
 * them, the better ones first, as search-and-learn refills its beams. The search ends once n beams
 * have completed or the iterations run out; the answer is the best-scored completed beam, and every
 * completed beam votes. Lanes are `b<iteration>.<beam>.<k>`. */
import { ROOT_ID } from '../../trace/schema';
import { AGGREGATION_PARAM, bool, type Strategy } from '../strategy';
import {
  bestCompleted, duplicateFinder, expandCandidates, keepTopBeams, LOOKAHEAD, MAX_ITERATIONS, pruneCandidate, rankReason, stepSettings,
  type Candidate, type Expansion,
} from './stepSearch';

type Selectable = Pick<Candidate, 'lane' | 'order' | 'score' | 'finished' | 'text' | 'ids'>;

export interface BeamSelection<T> {
  /** The open chains that go on, best first. */
  kept: T[];
  /** The chains that finished, in lane order. */
  completed: T[];
  /** The open chains that leave the beam, with why. */
  pruned: { candidate: T; reason: string }[];
}

/** One iteration's choice: finished chains are set aside, an open chain that reads like an earlier
 * one is a duplicate (when filtering), and of the rest the `keep` best by score stay, ties to the
 * earlier lane. */
export function selectBeams<T extends Selectable>(candidates: readonly T[], keep: number, filterDuplicates: boolean): BeamSelection<T> {
  const pruned: BeamSelection<T>['pruned'] = [];
  const open: T[] = [];
  const twinOf = duplicateFinder<T>();
  for (const c of [...candidates].sort((a, b) => a.order - b.order)) {
    if (c.finished) continue;
    const twin = filterDuplicates ? twinOf(c) : undefined;
    if (twin) pruned.push({ candidate: c, reason: `duplicate of ${twin.ids[0] ?? twin.lane}` });
    else open.push(c);
  }
  const { kept, dropped } = keepTopBeams(open, keep);
  const bar = kept.at(-1)?.score ?? Number.NaN;
  for (const c of dropped) pruned.push({ candidate: c, reason: rankReason(c.score, bar, `the lowest of the ${keep} kept`) });
  return { kept, completed: candidates.filter((c) => c.finished), pruned };
}

/** How many expansions each kept beam gets: n shared as evenly as it goes, the better beams first
 * (M each when n/M are kept). */
export function shareOut(n: number, beams: number): number[] {
  return Array.from({ length: beams }, (_, b) => Math.floor(n / beams) + (b < n % beams ? 1 : 0));
}

export const beam: Strategy = {
  name: 'beam',
  title: 'Step-level beam search',
  description: 'n chains grown a step at a time; each iteration keeps the n/M best by step score and expands each M times, until n have finished',
  params: [
    { name: 'n', kind: 'int', default: 16, min: 1, max: 4096, description: 'beams: steps sampled per iteration, and completed chains after which the search ends (search-and-learn\'s recipe uses 16)' },
    { name: 'beamWidth', kind: 'int', default: 4, min: 1, max: 256, description: 'expansions of each kept chain (M); the n/M best open chains are kept each iteration (search-and-learn\'s beam_width)' },
    MAX_ITERATIONS,
    LOOKAHEAD,
    { name: 'filterDuplicates', kind: 'bool', default: true, description: 'prune an open chain whose text equals an earlier one\'s, so the beam holds different chains (as search-and-learn\'s recipe sets)' },
    AGGREGATION_PARAM,
  ],
  scored: true,
  defaultTemperature: 0.8,
  async run(ctx, params) {
    const s = stepSettings(params);
    const filterDuplicates = bool(params, 'filterDuplicates');
    const base = ctx.generation.sampling.seed;
    const completed: Candidate[] = [];
    let beams = [ROOT_ID];
    for (let iteration = 0; iteration < s.maxIterations && beams.length > 0; iteration++) {
      const final = iteration === s.maxIterations - 1;
      const widths = shareOut(s.n, beams.length);
      const expansions: Expansion[] = [];
      beams.forEach((parent, b) => {
        for (let k = 0; k < widths[b]; k++) {
          const order = iteration * s.n + expansions.length;
          expansions.push({ parent, lane: `b${iteration}.${b}.${k}`, seed: base + order, order });
        }
      });
      const candidates = await expandCandidates(ctx, expansions, { final, lookahead: s.lookahead, aggregation: s.aggregation, skipDuplicates: filterDuplicates });
      const chosen = selectBeams(candidates, s.groups, filterDuplicates);
      for (const { candidate, reason } of chosen.pruned) pruneCandidate(ctx, candidate, reason);
      completed.push(...chosen.completed);
      ctx.provisional = bestCompleted(completed)?.answer;
      const ended = completed.length >= s.n ? `search ended: ${completed.length} beams completed` : final ? `max iterations (${s.maxIterations}) reached` : undefined;
      if (ended) {
        for (const c of chosen.kept) pruneCandidate(ctx, c, ended);
        break;
      }
      beams = chosen.kept.map((c) => c.last);
    }
    return { selected: bestCompleted(completed)?.answer };
  },
};
