/** Strategies over independent chains sampled from the problem: `cot` (one greedy chain), `majority`
 * (self-consistency: the most common answer), `best-of-n` (the chain the scorer likes best) and
 * `weighted` (answers weighted by their chains' scores, summed per answer). */
import { aggregate, type Aggregation } from '../../reward/types';
import { ROOT_ID } from '../../trace/schema';
import type { SearchContext } from '../context';
import { settleAll } from '../settle';
import { AGGREGATION_PARAM, num, str, type ParamSpec, type Strategy, type StrategyParams } from '../strategy';

export interface SampledChain {
  sample: number;
  last: string;
  /** The answer leaf, when the chain has an answer. */
  answer?: string;
}

const N: ParamSpec = { name: 'n', kind: 'int', default: 8, min: 1, max: 4096, description: 'chains sampled' };

/** Samples `count` chains (lanes `s0`, `s1`…, chain i seeded base+i) and concludes each with its answer. */
export async function sampleChains(ctx: SearchContext, count: number): Promise<SampledChain[]> {
  const chains: SampledChain[] = [];
  await settleAll(Array.from({ length: count }, async (_, sample) => {
    const lane = `s${sample}`;
    const grown = await ctx.extend(ROOT_ID, { lane, sample, seed: ctx.generation.sampling.seed + sample });
    if (grown.failed) return;
    if (grown.ids.length === 0) {
      ctx.fail({ lane, sample }, 'the model returned an empty response');
      return;
    }
    chains.push({ sample, last: grown.last, answer: ctx.conclude(grown.last, lane) });
  }));
  return chains.sort((a, b) => a.sample - b.sample);
}

/** Each answered chain with its aggregated score. */
async function scoredAnswers(ctx: SearchContext, params: StrategyParams): Promise<{ leaf: string; score: number }[]> {
  const answered = (await sampleChains(ctx, num(params, 'n'))).filter((c) => c.answer !== undefined);
  const how = str(params, 'aggregation') as Aggregation;
  const scored: { leaf: string; score: number }[] = [];
  await settleAll(answered.map(async (chain) => {
    const leaf = chain.answer as string;
    const scores = (await ctx.score(leaf)).filter(Number.isFinite);
    scored.push({ leaf, score: aggregate(scores, how) });
  }));
  return scored.sort((a, b) => ctx.node(a.leaf).sample! - ctx.node(b.leaf).sample!);
}

export const cot: Strategy = {
  name: 'cot',
  title: 'Chain of thought',
  description: 'one chain, greedy (temperature 0)',
  params: [],
  scored: false,
  defaultTemperature: 0,
  async run(ctx) {
    const [chain] = await sampleChains(ctx, 1);
    return { selected: chain?.answer };
  },
};

export const majority: Strategy = {
  name: 'majority',
  title: 'Majority vote (self-consistency)',
  description: 'n chains, the most common answer wins',
  params: [N],
  scored: false,
  async run(ctx, params) {
    await sampleChains(ctx, num(params, 'n'));
    return {};
  },
};

export const bestOfN: Strategy = {
  name: 'best-of-n',
  title: 'Best-of-N',
  description: 'n chains, the one with the best score wins',
  params: [N, AGGREGATION_PARAM],
  scored: true,
  async run(ctx, params) {
    const scored = await scoredAnswers(ctx, params);
    // Ties go to the earlier chain, so a rerun picks the same one.
    const best = scored.reduce<(typeof scored)[number] | undefined>((b, c) => (!b || c.score > b.score ? c : b), undefined);
    return { selected: best?.leaf };
  },
};

export const weightedMajority: Strategy = {
  name: 'weighted',
  title: 'Weighted majority',
  description: 'n chains, each answer weighted by the summed scores of its chains',
  params: [N, AGGREGATION_PARAM],
  scored: true,
  async run(ctx, params) {
    const scored = await scoredAnswers(ctx, params);
    const weights: Record<string, number> = {};
    const best = new Map<string, { leaf: string; score: number }>();
    for (const entry of scored) {
      const group = ctx.node(entry.leaf).answer?.normalized;
      if (!group) continue;
      weights[group] = (weights[group] ?? 0) + entry.score;
      if (!best.has(group) || entry.score > best.get(group)!.score) best.set(group, entry);
    }
    const winner = Object.entries(weights).reduce<[string, number] | undefined>((w, e) => (!w || e[1] > w[1] ? e : w), undefined);
    return { selected: winner && best.get(winner[0])?.leaf, weights };
  },
};
