/** Monte Carlo tree search over reasoning steps, after OpenR's MCTS: a node is a step, its children
 * are `expansions` one-step continuations sampled when it is first selected, and each iteration
 * walks down by PUCT, expands the leaf it reaches, and backs up the value of the child PUCT picks
 * there. Priors come from the children's mean token logprob (softmax over siblings, as OpenR
 * normalises exp(mean logprob)); values come from the scorer. Iterations run one after another so
 * the search is deterministic; the expansions of one iteration run concurrently. */
import { aggregate, type Aggregation } from '../../reward/types';
import { ROOT_ID } from '../../trace/schema';
import { meanLogprob, type SearchContext } from '../context';
import { settleAll } from '../settle';
import { AGGREGATION_PARAM, num, str, type Strategy } from '../strategy';

/** What PUCT reads of a child. */
export interface PuctChild {
  visits: number;
  valueSum: number;
  prior: number;
  /** The scorer's value of the child's chain: its Q until it is visited (OpenR's initial value). */
  value: number;
}

/** Q + c·P·√N_parent / (1 + N). */
export function puctScore(child: PuctChild, parentVisits: number, cPuct: number): number {
  const q = child.visits > 0 ? child.valueSum / child.visits : child.value;
  return q + (cPuct * child.prior * Math.sqrt(parentVisits)) / (1 + child.visits);
}

/** The index of the child PUCT picks; ties go to the earlier child (lane order). */
export function puctSelect(children: readonly PuctChild[], parentVisits: number, cPuct: number): number {
  let best = 0;
  for (let i = 1; i < children.length; i++) {
    if (puctScore(children[i], parentVisits, cPuct) > puctScore(children[best], parentVisits, cPuct)) best = i;
  }
  return best;
}

/** Priors of siblings from their mean token logprobs: softmax over the siblings, uniform when any
 * of them has no logprobs (an old server, or logprobs turned off). */
export function priorsFromLogprobs(means: readonly (number | undefined)[]): number[] {
  if (means.some((m) => m === undefined)) return means.map(() => 1 / means.length);
  const top = Math.max(...(means as number[]));
  const weights = (means as number[]).map((m) => Math.exp(m - top));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

export const FINAL_BY = ['visits', 'value', 'vote'] as const;

interface SearchNode extends PuctChild {
  /** The tree node: the root, or the last step the child's lane wrote. */
  id: string;
  lane: string;
  /** Steps from the root. */
  depth: number;
  parent?: SearchNode;
  /** Set once expanded. */
  children?: SearchNode[];
  /** A chain that ended (an answer, the model stopped, out of tokens), hit the depth limit, or could
   * not be expanded: it is evaluated again when selected, never expanded. */
  terminal: boolean;
  /** The answer leaf, when the chain ended with an answer. */
  answer?: string;
  /** Stopped by the depth limit, not by the chain ending. */
  limited?: boolean;
}

interface Settings {
  iterations: number;
  cPuct: number;
  expansions: number;
  maxDepth: number;
  aggregation: Aggregation;
}

export const mcts: Strategy = {
  name: 'mcts',
  title: 'Monte Carlo tree search',
  description: 'PUCT over steps: priors from the steps\' mean logprob, values from the scorer, one expansion per iteration',
  params: [
    { name: 'iterations', kind: 'int', default: 20, min: 1, max: 10000, description: 'selection–expansion–backup rounds (OpenR\'s num_simulations)' },
    { name: 'cPuct', kind: 'number', default: 1.25, min: 0, description: 'exploration weight c in Q + c·P·√N_parent/(1+N) (OpenR\'s pb_c_init)' },
    { name: 'expansions', kind: 'int', default: 4, min: 1, max: 64, description: 'one-step children sampled when a node is expanded (OpenR\'s tree_max_width)' },
    { name: 'maxDepth', kind: 'int', default: 50, min: 1, max: 1000, description: 'steps from the root after which a chain is not expanded further (OpenR\'s tree_max_depth)' },
    AGGREGATION_PARAM,
    {
      name: 'finalBy', kind: 'choice', default: 'visits', choices: FINAL_BY,
      description: 'the answer: the answered chain visited most, the one with the best mean value, or a vote over every answered chain',
    },
  ],
  scored: true,
  defaultTemperature: 0.7,
  async run(ctx, params) {
    const settings: Settings = {
      iterations: num(params, 'iterations'),
      cPuct: num(params, 'cPuct'),
      expansions: num(params, 'expansions'),
      maxDepth: num(params, 'maxDepth'),
      aggregation: str(params, 'aggregation') as Aggregation,
    };
    const root: SearchNode = { id: ROOT_ID, lane: '', depth: 0, visits: 0, valueSum: 0, prior: 1, value: 0, terminal: false };
    const nodes: SearchNode[] = [];
    // A resumed run replays the logged iterations (their lanes come back from the log) to rebuild the
    // visit counts, and records backups only for the iterations the log does not have.
    const logged = ctx.recorder.tree.iterations ?? 0;
    for (let iteration = 0; iteration < settings.iterations; iteration++) {
      let leaf = root;
      while (leaf.children?.length && !leaf.terminal) leaf = leaf.children[puctSelect(leaf.children, leaf.visits, settings.cPuct)];
      if (!leaf.terminal) {
        leaf.children = await expand(ctx, leaf, iteration, settings);
        nodes.push(...leaf.children);
        if (leaf.children.length === 0) leaf.terminal = true; // nothing could be sampled here: a dead end worth 0
        else leaf = leaf.children[puctSelect(leaf.children, leaf.visits, settings.cPuct)];
      }
      backUp(ctx, leaf, iteration, iteration >= logged);
    }
    const answered = nodes.filter((n) => n.answer !== undefined);
    if (answered.length === 0) return { selected: await finishMostVisited(ctx, root, settings) };
    switch (str(params, 'finalBy')) {
      case 'visits':
        return { selected: best(answered, (n) => [n.visits, meanValue(n)]).answer };
      case 'value':
        return { selected: best(answered, (n) => [meanValue(n), n.visits]).answer };
      default:
        return {}; // the vote over every answered chain decides
    }
  },
};

/** Samples the node's children one step each (lanes `m<iteration>.x<j>`), then gives each its prior
 * and value. A child that repeats an earlier sibling's step is pruned, as OpenR drops duplicate
 * actions, so visits are not split between equal steps. */
async function expand(ctx: SearchContext, node: SearchNode, iteration: number, settings: Settings): Promise<SearchNode[]> {
  const lanes = Array.from({ length: settings.expansions }, (_, j) => `m${iteration}.x${j}`);
  const base = ctx.generation.sampling.seed + iteration * settings.expansions;
  const grown = await settleAll(lanes.map((lane, j) => ctx.extend(node.id, { lane, seed: base + j, oneStep: true })));
  const children: SearchNode[] = [];
  const finished = new Set<SearchNode>();
  const seen = new Map<string, string>();
  grown.forEach((ext, j) => {
    if (ext.failed) return;
    if (ext.ids.length === 0) {
      ctx.fail({ lane: lanes[j] }, 'the model wrote no step');
      return;
    }
    const text = ext.ids.map((id) => ctx.node(id).text).join('\n\n');
    const twin = seen.get(text);
    if (twin !== undefined) {
      ctx.prune(ext.ids[0], `the same step as ${twin}`);
      return;
    }
    seen.set(text, ext.ids[0]);
    const child: SearchNode = {
      id: ext.last, lane: lanes[j], depth: ctx.steps(ext.last).length, parent: node,
      visits: 0, valueSum: 0, prior: 0, value: 0, terminal: false,
    };
    if (ext.finished) finished.add(child);
    children.push(child);
  });
  const priors = priorsFromLogprobs(children.map((c) => meanLogprob(ctx.steps(c.id).slice(node.depth).flatMap((s) => s.tokens ?? []))));
  children.forEach((c, i) => (c.prior = priors[i]));
  await settleAll(children.map((c) => evaluate(ctx, c, finished.has(c), settings)));
  return children;
}

/** A node's value: the aggregated scores of its chain. A finished chain is concluded and valued by
 * its answer (0 without one); a chain at the depth limit is pruned and worth 0. */
async function evaluate(ctx: SearchContext, node: SearchNode, finished: boolean, settings: Settings): Promise<void> {
  const valueOf = async (id: string) => aggregate((await ctx.score(id)).filter(Number.isFinite), settings.aggregation);
  if (finished) {
    node.terminal = true;
    node.answer = ctx.conclude(node.id, node.lane);
    node.value = node.answer === undefined ? 0 : await valueOf(node.answer);
  } else if (node.depth >= settings.maxDepth) {
    node.terminal = true;
    node.limited = true;
    ctx.prune(node.id, `depth limit of ${settings.maxDepth} steps reached without an answer`);
  } else {
    node.value = await valueOf(node.id);
  }
}

/** Adds the leaf's value to it and its ancestors and records it (`mcts_backup` on the answer leaf
 * when there is one, so answers carry their visit counts). */
function backUp(ctx: SearchContext, leaf: SearchNode, iteration: number, record: boolean): void {
  for (let n: SearchNode | undefined = leaf; n; n = n.parent) {
    n.visits++;
    n.valueSum += leaf.value;
  }
  if (record) ctx.recorder.emit({ type: 'mcts_backup', t: ctx.recorder.now(), iteration, id: leaf.answer ?? leaf.id, value: leaf.value });
}

/** When no chain reached an answer within the iterations or the depth limit, the most visited path
 * is written to the end in one go (lane `m.finish`), so the search still answers. */
async function finishMostVisited(ctx: SearchContext, root: SearchNode, settings: Settings): Promise<string | undefined> {
  let node = root;
  while (node.children?.length) node = best(node.children, (n) => [n.visits, meanValue(n)]);
  if (node.terminal && !node.limited) return undefined;
  const lane = 'm.finish';
  const ext = await ctx.extend(node.id, { lane, seed: ctx.generation.sampling.seed + settings.iterations * settings.expansions });
  if (ext.failed || ext.ids.length === 0) return undefined;
  return ctx.conclude(ext.last, lane);
}

function meanValue(n: SearchNode): number {
  return n.visits > 0 ? n.valueSum / n.visits : n.value;
}

/** The first node with the largest key (compared in order). */
function best(nodes: readonly SearchNode[], key: (n: SearchNode) => number[]): SearchNode {
  const greater = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
    return false;
  };
  return nodes.reduce((b, n) => (greater(key(n), key(b)) ? n : b));
}
