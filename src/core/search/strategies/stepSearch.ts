/** What step beam search and DVTS share, after search-and-learn: growing chains one step at a time
 * (a step ends at a blank line; the last iteration writes each chain to its end), scoring each new
 * step together with an optional greedy lookahead that is recorded but not kept, ranking candidates
 * by their aggregated step scores with ties to the earlier lane, and taking the final answer from
 * the best completed chain. */
import { aggregate, type Aggregation } from '../../reward/types';
import { ROOT_ID } from '../../trace/schema';
import type { SearchContext } from '../context';
import { settleAll } from '../settle';
import { num, str, type ParamSpec, type StrategyParams } from '../strategy';

/** One line of generation the search starts: which node it grows from, and its place in lane order. */
export interface Expansion {
  parent: string;
  lane: string;
  seed: number;
  /** Lane order, from the strategy's loop counters: equal scores go to the smaller. */
  order: number;
  /** The subtree (DVTS), for the views' colouring. */
  sample?: number;
}

export interface Candidate extends Expansion {
  /** The nodes its lane wrote: one step, or the rest of the chain in the last iteration. None
   * when the model stopped at once, so the chain ends at `parent`. */
  ids: string[];
  /** The chain's last node. */
  last: string;
  /** The chain ended: a final answer, the model stopped, or it ran out of tokens. */
  finished: boolean;
  /** The chain's text from the root, to find duplicates. */
  text: string;
  /** The answer leaf of a finished chain that has an answer. */
  answer?: string;
  /** Aggregated step scores (with the lookahead's); NaN for a duplicate, which is never scored. */
  score: number;
}

export interface StepSettings {
  /** Steps sampled per iteration in all. */
  n: number;
  /** Expansions of each kept chain (M), at most n. */
  width: number;
  /** n/M: the beams kept, or the subtrees. */
  groups: number;
  maxIterations: number;
  lookahead: number;
  aggregation: Aggregation;
}

export const MAX_ITERATIONS: ParamSpec = {
  name: 'maxIterations', kind: 'int', default: 40, min: 1, max: 1000,
  description: 'steps the search takes at most; the last iteration writes each open chain to its end (search-and-learn\'s num_iterations)',
};

export const LOOKAHEAD: ParamSpec = {
  name: 'lookahead', kind: 'int', default: 1, min: 0, max: 20,
  description: 'greedy steps (temperature 0) written after each new step and scored with it, then pruned as "lookahead": they judge the step and are not kept (search-and-learn\'s lookahead)',
};

export function stepSettings(params: StrategyParams): StepSettings {
  const n = num(params, 'n');
  const width = Math.min(num(params, 'beamWidth'), n);
  return {
    n, width, groups: Math.floor(n / width),
    maxIterations: num(params, 'maxIterations'), lookahead: num(params, 'lookahead'), aggregation: str(params, 'aggregation') as Aggregation,
  };
}

/** Higher scores first; equal scores (and unscored ones, last) in lane order. */
function byRank(a: Pick<Candidate, 'score' | 'order'>, b: Pick<Candidate, 'score' | 'order'>): number {
  const sa = Number.isNaN(a.score) ? -Infinity : a.score;
  const sb = Number.isNaN(b.score) ? -Infinity : b.score;
  return sa === sb ? a.order - b.order : sb - sa;
}

/** The `keep` best candidates by score, ties to the earlier lane; the others in rank order. */
export function keepTopBeams<T extends Pick<Candidate, 'score' | 'order'>>(candidates: readonly T[], keep: number): { kept: T[]; dropped: T[] } {
  const ranked = [...candidates].sort(byRank);
  return { kept: ranked.slice(0, keep), dropped: ranked.slice(keep) };
}

/** A check to call on candidates in lane order: for an open chain that reads like an earlier open
 * one, that earlier one (the first of its text). */
export function duplicateFinder<T extends Pick<Candidate, 'finished' | 'text'>>(): (candidate: T) => T | undefined {
  const first = new Map<string, T>();
  return (candidate) => {
    if (candidate.finished) return undefined;
    const twin = first.get(candidate.text);
    if (!twin) first.set(candidate.text, candidate);
    return twin;
  };
}

/** The best finished chain with an answer, ties to the earlier lane. */
export function bestCompleted<T extends Pick<Candidate, 'score' | 'order' | 'answer'>>(completed: readonly T[]): T | undefined {
  return keepTopBeams(completed.filter((c) => c.answer !== undefined), 1).kept[0];
}

/** Why a candidate was ranked out: below the one it had to beat, or level with it and later. */
export function rankReason(score: number, bar: number, what: string): string {
  const shown = (x: number) => (Number.isNaN(x) ? 'none' : x.toFixed(3));
  return score < bar ? `score ${shown(score)} below ${what} (${shown(bar)})` : `score ${shown(score)} ties ${what} (${shown(bar)}); the earlier lane goes first`;
}

export function pruneCandidate(ctx: SearchContext, candidate: Candidate, reason: string): void {
  for (const id of candidate.ids) ctx.prune(id, reason);
}

export interface ExpandSettings {
  /** The last iteration: chains are written to their end, with no lookahead. */
  final: boolean;
  lookahead: number;
  aggregation: Aggregation;
  /** Leave a duplicate of an earlier open candidate unscored (the selection prunes it). */
  skipDuplicates: boolean;
}

/** Grows every expansion (all issued together, so the scheduler serves them in lane order),
 * concludes the finished ones with their answers and scores each candidate. Failed lanes are left
 * out (their failure is in the run). Candidate k waits for the earlier ones to have grown: finished
 * chains are concluded in lane order, because the ballot names an answer group after its first
 * member and that must not depend on timing, and a duplicate is always of an earlier chain. */
export async function expandCandidates(ctx: SearchContext, expansions: readonly Expansion[], settings: ExpandSettings): Promise<Candidate[]> {
  const grown = expansions.map((e) => grow(ctx, e, settings.final));
  const twinOf = duplicateFinder<Candidate>();
  const duplicates = new Set<Candidate>();
  let previous: Promise<unknown> = Promise.resolve();
  const turns = grown.map((pending) => {
    // allSettled handles each growth's rejection at once, and waits for it even after a cancel.
    const turn = Promise.allSettled([previous, pending]).then(([, mine]) => {
      if (mine.status === 'rejected') throw mine.reason;
      const c = mine.value;
      if (c?.finished) c.answer = ctx.conclude(c.last, c.lane);
      if (c && settings.skipDuplicates && twinOf(c)) duplicates.add(c);
      return c;
    });
    previous = turn.catch(() => undefined);
    return turn;
  });
  const done = await settleAll(turns.map(async (turn) => {
    const c = await turn;
    if (!c || duplicates.has(c)) return c;
    c.score = await scoreCandidate(ctx, c, settings);
    return c;
  }));
  return done.filter((c): c is Candidate => c !== undefined);
}

async function grow(ctx: SearchContext, e: Expansion, final: boolean): Promise<Candidate | undefined> {
  const ext = await ctx.extend(e.parent, { lane: e.lane, seed: e.seed, oneStep: !final, ...(e.sample !== undefined && { sample: e.sample }) });
  if (ext.failed) return undefined;
  if (ext.ids.length === 0 && e.parent === ROOT_ID) {
    ctx.fail(e, 'the model returned an empty response');
    return undefined;
  }
  return { ...e, ids: ext.ids, last: ext.last, finished: ext.finished, text: ctx.chainText(ext.last), score: Number.NaN };
}

/** A finished chain scores on its answer leaf (outcome scorers need the answer); an open one on
 * its new step followed by `lookahead` greedy steps, which are then pruned. */
async function scoreCandidate(ctx: SearchContext, c: Candidate, settings: ExpandSettings): Promise<number> {
  const valueOf = async (id: string) => aggregate((await ctx.score(id)).filter(Number.isFinite), settings.aggregation);
  if (c.finished) return valueOf(c.answer ?? c.last);
  const ahead: string[] = [];
  let end = c.last;
  for (let j = 0; j < (settings.final ? 0 : settings.lookahead); j++) {
    const ext = await ctx.extend(end, { lane: `${c.lane}.l${j}`, seed: c.seed, oneStep: true, temperature: 0, ...(c.sample !== undefined && { sample: c.sample }) });
    ahead.push(...ext.ids);
    end = ext.last;
    if (ext.finished || ext.failed || ext.ids.length === 0) break;
  }
  const score = await valueOf(end);
  for (const id of ahead) ctx.prune(id, 'lookahead');
  return score;
}
