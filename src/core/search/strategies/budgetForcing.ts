/** Budget forcing (s1): when the model tries to finish, write a trigger such as "Wait," for it and
 * let it go on, up to `maxWaits` times. s1 appends "Wait" where the model would end its thinking;
 * here the model's attempt to finish is the chain stopping on its own, so the trigger starts a new
 * step after its last one.
 *
 * Iterative deepening, as read here: each forced continuation is a deeper round of thinking with
 * its own token allowance, growing geometrically — round k (after the k-th trigger) may write
 * `initialTokens · growth^(k−1)` tokens; the first attempt has the run's own token limit. A round
 * that uses up its allowance did not try to finish, so nothing more is forced.
 *
 * Each trigger is a branch point: the chain's last step keeps the answer it had as an answer leaf,
 * and the continuation hangs beside it (lanes `b0`, `b1`…, the trigger step tagged `injected`), so
 * every intermediate answer stays in the tree. The final answer is the last one, as in s1. */
import { ROOT_ID } from '../../trace/schema';
import { num, str, type Strategy } from '../strategy';

/** Triggers in one parameter: ` / ` separates them (a `|` would break tables and shells alike). */
const TRIGGER_SEPARATOR = ' / ';

/** The token allowance of each forced round: `initialTokens · growth^k` for k = 0 … count−1. */
export function allowances(initialTokens: number, growth: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => Math.round(initialTokens * growth ** k));
}

export const budgetForcing: Strategy = {
  name: 'budget-forcing',
  title: 'Budget forcing (iterative deepening)',
  description: 'when the model tries to finish, a trigger such as "Wait," makes it think again, each round with a larger token allowance; the last answer wins',
  params: [
    { name: 'maxWaits', kind: 'int', default: 1, min: 0, max: 64, description: 'how many times the model is made to go on when it tries to finish (s1\'s NUM_IGNORE)' },
    {
      name: 'triggers', kind: 'text', default: 'Wait,',
      description: 'text written for the model to continue from, e.g. `Wait,`; several separated by ` / ` are used in turn',
    },
    { name: 'initialTokens', kind: 'int', default: 512, min: 1, description: 'token allowance of the first forced round' },
    { name: 'growth', kind: 'number', default: 2, min: 1, description: 'factor by which each later round\'s allowance grows' },
  ],
  scored: false,
  defaultTemperature: 0,
  async run(ctx, params) {
    const triggers = str(params, 'triggers').split(TRIGGER_SEPARATOR).map((t) => t.trim()).filter(Boolean);
    const rounds = allowances(num(params, 'initialTokens'), num(params, 'growth'), num(params, 'maxWaits'));
    const seed = ctx.generation.sampling.seed;
    let ext = await ctx.extend(ROOT_ID, { lane: 'b0', seed, sample: 0 });
    if (ext.failed) return {};
    if (ext.ids.length === 0) {
      ctx.fail({ lane: 'b0', sample: 0 }, 'the model returned an empty response');
      return {};
    }
    let selected = ctx.conclude(ext.last, 'b0');
    for (let k = 1; k <= rounds.length; k++) {
      // Only a chain the model ended itself is forced on; one cut at its allowance ends the search.
      if (ctx.node(ext.last).stopReason !== 'stop') break;
      const lane = `b${k}`;
      ext = await ctx.extend(ext.last, { lane, seed: seed + k, sample: 0, inject: triggers[(k - 1) % triggers.length], maxTokens: rounds[k - 1] });
      if (ext.failed || ctx.node(ext.last).stopReason !== 'stop') break;
      selected = ctx.conclude(ext.last, lane) ?? selected;
    }
    return { selected };
  },
};
