/** Critical tokens, by the rollout definition of "Critical Tokens Matter" (cDPO): at a position of a
 * chain, sample continuations from the prefix ending with the token the model wrote and from the
 * prefix ending with each likely alternative instead; criticality = P(correct | original) − the best
 * P(correct | alternative). Strongly negative: the written token sent the chain wrong.
 *
 * Sampling every token is far beyond a laptop (64 rollouts × every token of every step), so:
 * - triage: only positions with a likely alternative (different modulo whitespace, above a
 *   probability floor) are candidates, probed in order of surprisal + entropy, first tokens of steps
 *   first (where a chain picks what the step does);
 * - a sequential test: each position is sampled in rounds of a few rollouts per token and stops as
 *   soon as its interval excludes zero or is narrower than a tolerance (both "decided"), or at a
 *   per-token cap; the interval is 95% over all the rounds a position may take (see `sequentialZ`),
 *   so looking after every round does not inflate false alarms;
 * - a budget on rollouts, tokens and time for the whole search (the scheduler's), after which the
 *   position being sampled is written with what it has (stopped: 'budget') and the search ends. */
import { CancelledError } from '../model/errors';
import type { TokenLogprob } from '../model/types';
import { settleAll } from '../search/settle';
import type { AnalysisReference, RolloutTally, TokenProbedEvent } from '../trace/schema';
import type { TreeNode } from '../trace/tree';
import { differenceInterval, proportion, repeatedZ, Z95 } from './intervals';
import { analysisOptions, DEFAULT_REFERENCE_SAMPLES, withRollouts, type ChainAnalysisInput, type RolloutBudgetOptions, type RolloutSampler, type RolloutSpend } from './rollouts';
import { tokenConfidence } from './tokenConfidence';

export interface CriticalOptions extends RolloutBudgetOptions {
  /** Positions probed at most, the most promising by triage first. */
  positions: number;
  /** Alternatives sampled per position: the likeliest eligible ones from the token's `top` list. */
  alternatives: number;
  /** Alternatives less likely than this are never sampled (the model would hardly write them). */
  minAlternativeProbability: number;
  /** Rollouts per token (original and each alternative) in each round of the sequential test. */
  batch: number;
  /** Most rollouts per token at one position. */
  maxRolloutsPerToken: number;
  /** A position whose interval is narrower than this is decided even if it holds zero. */
  tolerance: number;
}

export const DEFAULT_CRITICAL_OPTIONS: Readonly<CriticalOptions> = {
  positions: 8,
  alternatives: 2,
  minAlternativeProbability: 0.05,
  batch: 4,
  maxRolloutsPerToken: 16,
  tolerance: 0.7,
  budget: { maxRequests: 160 },
  concurrency: 2,
  referenceSamples: DEFAULT_REFERENCE_SAMPLES,
};

/** Triage's head start for a step's first token, in nats: a step's opening word often decides what
 * the step does ("Wait", "So", "Alternatively"). */
const STEP_START_BONUS = 1;
/** How far past where it is expected a step's next token may be found in its text (after a
 * `<think>` marker), and how far before (after byte pieces that stood for fewer characters). */
const MARKER_SLACK = 16;
const LOOK_BACK = 256;

export type CriticalSearchInput = ChainAnalysisInput<CriticalOptions>;

export interface CriticalSearchResult extends RolloutSpend {
  /** The positions probed by this search, most critical first. */
  ranking: TokenProbedEvent[];
  /** Positions triage found worth probing, probed or not. */
  candidates: number;
}

/** A position worth probing, with the tokens to sample there. */
export interface Candidate {
  node: TreeNode;
  index: number;
  token: TokenLogprob;
  alternatives: TokenLogprob[];
  /** −logprob of the written token, in nats. */
  surprisal: number;
  /** Entropy of the returned alternatives, in nats (see `tokenConfidence`). */
  entropy: number;
  stepStart: boolean;
  /** Triage order: surprisal + entropy, plus a bonus for a step's first token. */
  score: number;
}

/** Probes the chain's most promising positions within the budget, writing a `token_probed` event
 * for each. Throws `CancelledError` when cancelled (positions finished so far stay in the run). */
export async function findCriticalTokens(input: CriticalSearchInput): Promise<CriticalSearchResult> {
  const options = criticalOptions(input.options);
  const within = input.within && new Set(input.within);
  const steps = input.chain.filter((s) => !within || within.has(s.id));
  if (within && steps.length < within.size) throw new Error(`critical-token search: ${[...within].filter((id) => !steps.some((s) => s.id === id)).join(', ')} is not a step of the chain`);
  if (!steps.some((s) => s.tokens?.some((t) => t.top?.length))) {
    throw new Error('critical-token search needs each token\'s likely alternatives, and this chain has none: generate it with logprobs on (Ollama 0.12.11 or newer), or pick a chain that has them');
  }
  const candidates = triage(steps, options);
  // Say so before any rollout is spent (finding the reference costs samples too).
  if (candidates.length === 0) throw new Error(`critical-token search: no position qualifies — every alternative is less likely than ${options.minAlternativeProbability} or differs only in spacing`);
  return withRollouts(input, options, async (sampler, reference) => {
    const probes: TokenProbedEvent[] = [];
    for (const candidate of candidates.slice(0, options.positions)) {
      if (sampler.scheduler.stopped) break;
      const probe = await probePosition(sampler, input.chain, candidate, reference, options);
      if (!probe) continue;
      const event: TokenProbedEvent = { type: 'token_probed', t: input.sink.now(), ...probe };
      input.sink.emit(event);
      probes.push(event);
    }
    return { ranking: rankCriticalTokens(probes), candidates: candidates.length };
  });
}

/** Positions worth probing, most promising first: those with at least one eligible alternative. */
export function triage(steps: readonly TreeNode[], options: Pick<CriticalOptions, 'alternatives' | 'minAlternativeProbability'> = DEFAULT_CRITICAL_OPTIONS): Candidate[] {
  const candidates: Candidate[] = [];
  for (const node of steps) {
    const tokens = node.tokens ?? [];
    const first = tokens.findIndex((t) => t.token.trim() !== '');
    tokens.forEach((token, index) => {
      const alternatives = eligibleAlternatives(token, options);
      if (alternatives.length === 0) return;
      const { surprisal, entropy = 0 } = tokenConfidence(token);
      const stepStart = index === first;
      candidates.push({ node, index, token, alternatives, surprisal, entropy, stepStart, score: surprisal + entropy + (stepStart ? STEP_START_BONUS : 0) });
    });
  }
  return candidates.sort((a, b) => b.score - a.score);
}

/** The alternatives worth sampling at a token: likely enough, and not the same token but for spacing
 * (" x" for "x" would only measure the tokenizer). Likeliest first. */
function eligibleAlternatives(token: TokenLogprob, { alternatives, minAlternativeProbability }: Pick<CriticalOptions, 'alternatives' | 'minAlternativeProbability'>): TokenLogprob[] {
  const seen = new Set([squash(token.token)]);
  const eligible: TokenLogprob[] = [];
  for (const alt of [...(token.top ?? [])].sort((a, b) => b.logprob - a.logprob)) {
    const key = squash(alt.token);
    if (seen.has(key) || Math.exp(alt.logprob) < minAlternativeProbability) continue;
    seen.add(key);
    eligible.push({ token: alt.token, logprob: alt.logprob });
  }
  return eligible.slice(0, alternatives);
}

type Probe = Omit<TokenProbedEvent, 'type' | 't'>;

/** Samples one position in rounds until the stopping rule says so or the scheduler stops. Returns
 * undefined when it learned nothing (stopped before the original and an alternative had a rollout). */
async function probePosition(sampler: RolloutSampler, chain: readonly TreeNode[], candidate: Candidate, reference: AnalysisReference, options: CriticalOptions): Promise<Probe | undefined> {
  const { node, index } = candidate;
  const arms = [candidate.token, ...candidate.alternatives].map((token) => ({
    token: token.token,
    prefix: prefixWith(chain, node, index, token.token),
    key: `${node.id}|${index}|${token.token}`,
    tally: { rollouts: 0, correct: 0 },
  }));
  for (;;) {
    const batches = await settleAll(arms.map((arm) => {
      const count = Math.min(options.batch, options.maxRolloutsPerToken - arm.tally.rollouts);
      return sampler.tally(arm.prefix, arm.key, arm.tally.rollouts, count, reference);
    }));
    batches.forEach(({ tally }, i) => {
      arms[i].tally = { rollouts: arms[i].tally.rollouts + tally.rollouts, correct: arms[i].tally.correct + tally.correct };
    });
    const [original, ...alternatives] = arms.map((arm) => arm.tally);
    const interrupted = batches.some((b) => !b.complete);
    // A position cut short by a cancel is not written: 'budget' would misstate why it stopped.
    if (interrupted && sampler.cancelled) throw new CancelledError();
    const stopped = interrupted ? 'budget' : stoppingRule(original, alternatives, options);
    if (!stopped) continue;
    if (original.rollouts === 0 || alternatives.every((a) => a.rollouts === 0)) return undefined;
    const { criticality, interval } = estimateCriticality(original, alternatives, sequentialZ(options));
    return {
      id: node.id, index, token: candidate.token.token, reference, original,
      alternatives: arms.slice(1).map((arm) => ({ token: arm.token, ...arm.tally })),
      criticality, interval, stopped,
    };
  }
}

/** P(original) − the best P(alternative), with Newcombe's interval for that difference at `z`. The
 * best alternative is the one with the highest observed rate (on a tie, the likelier token); the
 * interval does not widen for having picked it, so with several alternatives it is a little
 * optimistic. */
export function estimateCriticality(original: RolloutTally, alternatives: readonly RolloutTally[], z = Z95): { criticality: number; interval: [number, number]; best: number } {
  let best = -1;
  alternatives.forEach((alt, i) => {
    if (alt.rollouts > 0 && (best < 0 || proportion(alt) > proportion(alternatives[best]))) best = i;
  });
  if (original.rollouts === 0 || best < 0) throw new RangeError('criticality needs at least one rollout with the original token and one with an alternative');
  return { criticality: proportion(original) - proportion(alternatives[best]), interval: differenceInterval(original, alternatives[best], z), best };
}

/** The z of a position's interval: 95% over every look the sequential test may take (one per round
 * up to the cap), so stopping at the first interval that clears zero keeps a 5% error rate and the
 * interval where it stopped is still a 95% interval. */
export function sequentialZ(options: Pick<CriticalOptions, 'batch' | 'maxRolloutsPerToken'>): number {
  return repeatedZ(Math.ceil(options.maxRolloutsPerToken / options.batch));
}

/** The sequential test, checked after each round: 'decided' once the interval (at `sequentialZ`)
 * excludes zero or is narrower than the tolerance, 'cap' once every token has its most rollouts,
 * else keep sampling. */
export function stoppingRule(original: RolloutTally, alternatives: readonly RolloutTally[], options: Pick<CriticalOptions, 'batch' | 'maxRolloutsPerToken' | 'tolerance'>): 'decided' | 'cap' | undefined {
  const { interval } = estimateCriticality(original, alternatives, sequentialZ(options));
  if (interval[0] > 0 || interval[1] < 0 || interval[1] - interval[0] < options.tolerance) return 'decided';
  if ([original, ...alternatives].every((t) => t.rollouts >= options.maxRolloutsPerToken)) return 'cap';
  return undefined;
}

/** Probed positions, most critical first: by |criticality|, then by how far the interval keeps
 * from zero (the surer of two equal estimates first); full ties keep the order given (a search's
 * own probes are in triage order). */
export function rankCriticalTokens(probes: readonly TokenProbedEvent[]): TokenProbedEvent[] {
  const clearance = ([lo, hi]: [number, number]) => (lo > 0 ? lo : hi < 0 ? -hi : 0);
  return [...probes].sort((a, b) => Math.abs(b.criticality) - Math.abs(a.criticality) || clearance(b.interval) - clearance(a.interval));
}

/** The probes logged on a chain's steps (from a reopened run), most critical first. */
export function chainCriticalTokens(chain: readonly TreeNode[]): TokenProbedEvent[] {
  return rankCriticalTokens(chain.flatMap((s) => s.analysis?.tokens ?? []));
}

/** The assistant text that ends with `token` in place of token `index` of `node`: the steps before
 * it, a blank line, then the node's text up to that token. */
export function prefixWith(chain: readonly TreeNode[], node: TreeNode, index: number, token: string): string {
  const at = chain.findIndex((s) => s.id === node.id);
  if (at < 0) throw new Error(`${node.id} is not a step of the chain`);
  const before = chain.slice(0, at).map((s) => s.text).join('\n\n');
  const head = node.text.slice(0, tokenStarts(node.text, node.tokens ?? [])[index]) + token;
  // A token that brings its own line break ("\n\nSo") already separates the step from the last.
  return before && !/^[ \t]*\n/.test(head) ? `${before}\n\n${head}` : before + head;
}

/** Where each token starts in a step's text. The text is trimmed (its first token may have lost
 * leading spaces, its last blank line is gone), may hold markers the tokens lack (`<think>`), and
 * may show whole a character the tokens carry as byte pieces ("\ufffd" each), so tokens are found in
 * order near where they are expected rather than placed by adding up their lengths. */
export function tokenStarts(text: string, tokens: readonly TokenLogprob[]): number[] {
  const starts: number[] = [];
  // `floor`: the end of the last token found in the text; `cursor`: where the next one is expected,
  // further on when tokens in between were not found (byte pieces are longer than what they show).
  let floor = 0;
  let cursor = 0;
  for (const { token } of tokens) {
    const visible = token.trimStart();
    if (!visible) {
      starts.push(Math.min(cursor, text.length));
      if (text.startsWith(token, cursor)) floor = cursor += token.length;
      continue;
    }
    const at = findNear(text, visible, Math.max(floor, cursor - LOOK_BACK), cursor + MARKER_SLACK);
    if (at < 0) {
      starts.push(Math.min(cursor, text.length));
      cursor += visible.length;
      continue;
    }
    const lead = token.length - visible.length;
    starts.push(at - lead >= floor && text.slice(at - lead, at) === token.slice(0, lead) ? at - lead : at);
    floor = cursor = at + visible.length;
  }
  return starts;
}

/** The first place from `from` to `to` where `needle` occurs in `text`, or −1. Bounded, so a long
 * step costs time in proportion to its length even when many tokens are not found. */
function findNear(text: string, needle: string, from: number, to: number): number {
  const last = Math.min(to, text.length - needle.length);
  for (let at = from; at <= last; at++) if (text.startsWith(needle, at)) return at;
  return -1;
}

function squash(token: string): string {
  return token.replace(/\s+/g, '');
}

function criticalOptions(given: Partial<CriticalOptions> = {}): CriticalOptions {
  const what = 'critical-token search';
  const options = analysisOptions(what, DEFAULT_CRITICAL_OPTIONS, given, ['positions', 'alternatives', 'batch', 'maxRolloutsPerToken']);
  if (!(options.minAlternativeProbability >= 0 && options.minAlternativeProbability < 1)) {
    throw new RangeError(`${what}: minAlternativeProbability is a probability below 1, got ${options.minAlternativeProbability}`);
  }
  if (!(options.tolerance >= 0 && options.tolerance <= 2)) throw new RangeError(`${what}: tolerance is an interval width from 0 to 2, got ${options.tolerance}`);
  if (options.batch > options.maxRolloutsPerToken) throw new RangeError(`${what}: batch (${options.batch}) cannot exceed maxRolloutsPerToken (${options.maxRolloutsPerToken})`);
  return options;
}
