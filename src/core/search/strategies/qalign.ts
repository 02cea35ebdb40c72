/** QAlign (Faria & Smith, 2025; the QUEST sampler): Metropolis–Hastings over full responses, whose
 * stationary distribution is p(y | x)·exp(r(y)/β). From the current chain y with n steps, a step
 * boundary k is drawn uniformly from 0…n−1, the steps from k on are resampled from the model (a new
 * lane hanging from step k−1, or from the root), and the proposal y′ with n′ steps is accepted with
 *
 *   α = min(1, exp((r(y′) − r(y)) / β) · n / n′)
 *
 * The model's own probabilities cancel because the proposal is drawn from it; what remains is the
 * reward ratio and the ratio of the uniform cut-point probabilities (1/n′ back, 1/n forth). QAlign
 * cuts at a uniformly drawn token and uses token counts; cutting at steps makes the counts steps.
 * The rule holds for suffixes sampled at temperature 1 (QAlign's setting, the default here).
 *
 * Rejected proposals stay in the tree, pruned with both rewards. The answer is QAlign's vote: every
 * step of the chain counts the state it is in (a rejection counts the kept state again), from
 * `burnIn` on; the counts per answer are the run's weights. */
import { aggregate, type Aggregation } from '../../reward/types';
import { ROOT_ID } from '../../trace/schema';
import type { SearchContext } from '../context';
import { seededRandom } from '../random';
import { AGGREGATION_PARAM, num, str, type Strategy } from '../strategy';

/** The Metropolis–Hastings acceptance probability of moving from a chain with reward `r` and `n`
 * steps to a proposal with reward `rNew` and `nNew` steps. */
export function acceptance(r: number, rNew: number, n: number, nNew: number, beta: number): number {
  return Math.min(1, Math.exp((rNew - r) / beta) * (n / nNew));
}

/** Step `t`'s two draws, from their own generator so they do not depend on earlier steps: the cut
 * point, uniform over 0…n−1, and the acceptance draw u (the proposal is accepted when u < α). */
export function mhDraws(seed: number, t: number, n: number): { cut: number; u: number } {
  const random = seededRandom(seed, `qalign:${t}`);
  return { cut: Math.floor(random() * n), u: random() };
}

interface State {
  /** The chain's steps, root first. */
  steps: string[];
  /** Its answer leaf, if it has an answer. */
  answer?: string;
  reward: number;
}

export const qalign: Strategy = {
  name: 'qalign',
  title: 'QAlign (Metropolis–Hastings)',
  description: 'a Markov chain over whole responses: resample from a random step, accept by the reward ratio; the chain\'s states vote',
  params: [
    { name: 'steps', kind: 'int', default: 100, min: 1, max: 100000, description: 'proposals made after the first chain (QAlign\'s default chain length)' },
    { name: 'beta', kind: 'number', default: 1, min: 0.0001, description: 'temperature β of the target p(y)·exp(r/β): smaller trusts the scorer more' },
    { name: 'burnIn', kind: 'int', default: 0, min: 0, description: 'states at the start of the chain left out of the vote' },
    AGGREGATION_PARAM,
  ],
  scored: true,
  defaultTemperature: 1,
  async run(ctx, params) {
    const beta = num(params, 'beta');
    const how = str(params, 'aggregation') as Aggregation;
    const seed = ctx.generation.sampling.seed;
    let state = await propose(ctx, [], 'q0', seed, how);
    if (!state) return {};
    const states: State[] = [state];
    for (let t = 1; t <= num(params, 'steps'); t++) {
      const { cut, u } = mhDraws(seed, t, state.steps.length);
      const proposal = await propose(ctx, state.steps.slice(0, cut), `q${t}`, seed + t, how);
      if (proposal) {
        const alpha = acceptance(state.reward, proposal.reward, state.steps.length, proposal.steps.length, beta);
        if (u < alpha) state = proposal;
        else ctx.prune(proposal.steps[cut], `rejected: r′ ${fmt(proposal.reward)} vs r ${fmt(state.reward)}, ${proposal.steps.length} vs ${state.steps.length} steps (α ${fmt(alpha)}, u ${fmt(u)})`);
      }
      states.push(state);
    }
    // A burn-in as long as the chain still leaves its last state to vote.
    return vote(ctx, states.slice(Math.min(num(params, 'burnIn'), states.length - 1)));
  },
};

/** Samples the rest of a chain after `prefix` (lane `lane`), concludes it and scores it. Undefined
 * when the lane wrote nothing (a failure, recorded by the context). */
async function propose(ctx: SearchContext, prefix: string[], lane: string, seed: number, how: Aggregation): Promise<State | undefined> {
  const ext = await ctx.extend(prefix.at(-1) ?? ROOT_ID, { lane, seed });
  if (ext.failed) return undefined;
  if (ext.ids.length === 0) {
    ctx.fail({ lane }, 'the model returned an empty response');
    return undefined;
  }
  // Votes are the chain's states, counted below, not every proposal.
  const answer = ctx.conclude(ext.last, lane, { vote: false });
  const reward = aggregate((await ctx.score(answer ?? ext.last)).filter(Number.isFinite), how);
  return { steps: [...prefix, ...ext.ids], ...(answer !== undefined && { answer }), reward };
}

/** QAlign's majority vote over the chain's states: each state counts once per step it held (and so
 * do the run's votes). The
 * selected leaf is the first state's with the winning answer (ties: the answer reached first). */
function vote(ctx: SearchContext, states: readonly State[]): { selected?: string; weights: Record<string, number> } {
  const weights: Record<string, number> = {};
  const firstLeaf = new Map<string, string>();
  for (const s of states) {
    const group = s.answer === undefined ? undefined : ctx.node(s.answer).answer?.normalized;
    if (!group || !s.answer) continue;
    weights[group] = (weights[group] ?? 0) + 1;
    ctx.vote(s.answer);
    if (!firstLeaf.has(group)) firstLeaf.set(group, s.answer);
  }
  const winner = Object.entries(weights).reduce<[string, number] | undefined>((w, e) => (!w || e[1] > w[1] ? e : w), undefined);
  return { ...(winner && { selected: firstLeaf.get(winner[0]) }), weights };
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(3));
