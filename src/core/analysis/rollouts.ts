/** Rollouts: continuations sampled from a prefix of a chain (its text up to some point, perhaps with
 * a token forced in), each written to its end and graded by its final answer against a reference.
 * Every analysis that asks "how often does the model get it right from here" goes through this.
 *
 * Each rollout's seed comes from the analysis seed, a key naming the prefix (a node and position)
 * and the rollout's index there, so a rerun draws the same rollouts whatever order they finished in,
 * and a deeper rerun only adds rollouts after the ones already drawn. */
import { AnswerBallot } from '../answer/ballot';
import { extractAnswer } from '../answer/extract';
import { gradeAnswer } from '../answer/grade';
import { CancelledError, isCancelled } from '../model/errors';
import type { GenerateRequest, ModelBackend } from '../model/types';
import { withRetries } from '../reward/retry';
import { solveMessages } from '../search/prompt';
import { hashString } from '../search/random';
import { metered } from '../model/metered';
import { Scheduler, type Budget } from '../search/scheduler';
import { settleAll } from '../search/settle';
import type { AnalysisReference, ProblemRef, RolloutTally, RunEvent, RunHeader } from '../trace/schema';
import type { TreeNode } from '../trace/tree';

export interface RolloutSettings {
  model: string;
  temperature: number;
  topP?: number;
  /** Most tokens one rollout may write; a rollout cut off before its answer counts as not agreeing. */
  maxTokens: number;
  /** The analysis seed: with a rollout's key and index it fixes the rollout's seed. */
  seed: number;
}

/** Rollouts sample at the run's own temperature (what the model would do from that prefix); at this
 * one when the run records none or sampled greedily, where every rollout would be the same. */
export const DEFAULT_ROLLOUT_TEMPERATURE = 0.7;
export const DEFAULT_ROLLOUT_MAX_TOKENS = 2048;
/** Unconstrained samples whose majority answer stands in for a missing gold answer. */
export const DEFAULT_REFERENCE_SAMPLES = 8;

/** Rollout settings for a run: its model and sampling options, with `overrides` (an imported trace's
 * model is usually not served; the user names one). */
export function rolloutSettingsFor(header: RunHeader, overrides: Partial<RolloutSettings> = {}): RolloutSettings {
  const { options } = header.backend;
  const model = overrides.model ?? header.backend.model;
  if (!model) throw new Error('no model to sample rollouts from: the run names none; choose one (e.g. --model qwen2.5:1.5b)');
  if (overrides.temperature !== undefined && !(overrides.temperature > 0)) {
    throw new RangeError(`rollouts must sample, so their temperature must be above 0, got ${overrides.temperature}`);
  }
  const runTemperature = options.temperature !== undefined && options.temperature > 0 ? options.temperature : undefined;
  return {
    model,
    temperature: overrides.temperature ?? runTemperature ?? DEFAULT_ROLLOUT_TEMPERATURE,
    ...((overrides.topP ?? options.topP) !== undefined && { topP: overrides.topP ?? options.topP }),
    maxTokens: overrides.maxTokens ?? options.maxTokens ?? DEFAULT_ROLLOUT_MAX_TOKENS,
    seed: overrides.seed ?? options.seed ?? 0,
  };
}

/** How views name P(agrees with the reference): only a gold answer makes it correctness. */
export function outcomeName(reference: AnalysisReference): string {
  return reference.kind === 'gold' ? 'P(correct)' : 'P(agrees with majority)';
}

export interface RolloutBatch {
  tally: RolloutTally;
  /** False when the budget or a cancel stopped some rollouts before their end; those are not counted. */
  complete: boolean;
}

/** Draws rollouts through a scheduler (its slots, budget and cancel) and grades them. */
export class RolloutSampler {
  /** Rollouts that ran to their end (each is one request, plus its retries). */
  used = 0;
  private readonly verdicts = new Map<string, boolean>();

  constructor(
    private readonly backend: ModelBackend,
    readonly scheduler: Scheduler,
    private readonly problem: string,
    readonly settings: RolloutSettings,
  ) {}

  /** The user cancelled (as opposed to the budget running out). */
  get cancelled(): boolean {
    return this.scheduler.stopped?.kind === 'cancelled';
  }

  /** The final answer of rollout `index` of `key`, continued from `prefix`. Throws `CancelledError`
   * once the scheduler stops (budget or cancel). */
  async answer(prefix: string, key: string, index: number): Promise<string | null> {
    const text = await this.scheduler.run((signal) => withRetries(() => this.generate(prefix, rolloutSeed(this.settings.seed, key, index), signal), signal));
    this.used++;
    return extractAnswer(prefix + text)?.answer ?? null;
  }

  /** Rollouts `from` … `from + count − 1` of `key`, graded against `reference`. Waits for every
   * rollout it started, so nothing is still running when it returns. */
  async tally(prefix: string, key: string, from: number, count: number, reference: AnalysisReference): Promise<RolloutBatch> {
    const results = await settleAll(Array.from({ length: count }, (_, i) =>
      this.answer(prefix, key, from + i).then(
        (answer) => this.agrees(answer, reference),
        (err: unknown) => {
          if (isCancelled(err)) return undefined;
          throw err;
        },
      )));
    const done = results.filter((r): r is boolean => r !== undefined);
    return { tally: { rollouts: done.length, correct: done.filter(Boolean).length }, complete: done.length === count };
  }

  /** Whether `answer` is the reference answer (by the grader, so `0.5` agrees with `\frac12`). */
  agrees(answer: string | null, reference: AnalysisReference): boolean {
    if (answer === null) return false;
    const key = `${reference.answer}\u0000${answer}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = gradeAnswer(answer, reference.answer).equal;
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  private async generate(prefix: string, seed: number, signal: AbortSignal): Promise<string> {
    const { settings, scheduler } = this;
    const request: GenerateRequest = {
      model: settings.model,
      messages: solveMessages(this.problem),
      ...(prefix && { prefix }),
      options: { temperature: settings.temperature, seed, maxTokens: settings.maxTokens, ...(settings.topP !== undefined && { topP: settings.topP }) },
      logprobs: false,
    };
    let text = '';
    for await (const chunk of metered(this.backend.generate(request, signal), scheduler)) {
      if (chunk.kind === 'delta') text += chunk.text;
    }
    return text;
  }
}

/** A rollout's seed: the same analysis seed, key and index always give the same one (a 31-bit
 * integer, which every server accepts). */
export function rolloutSeed(seed: number, key: string, index: number): number {
  return hashString(`${seed}|${key}|${index}`) & 0x7fffffff;
}

/** What "correct" means for an analysis: the gold answer when the problem has one, else the majority
 * answer of `samples` unconstrained samples from the problem (kind 'majority'). */
export async function findReference(sampler: RolloutSampler, gold: string | undefined, samples = DEFAULT_REFERENCE_SAMPLES): Promise<AnalysisReference> {
  if (gold !== undefined && gold.trim()) return { kind: 'gold', answer: gold.trim() };
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`reference samples must be a whole number of at least 1, got ${samples}`);
  const answers = await settleAll(Array.from({ length: samples }, (_, i) => sampler.answer('', 'reference', i).catch((err: unknown) => {
    if (isCancelled(err)) return undefined;
    throw err;
  })));
  if (answers.includes(undefined)) {
    if (sampler.cancelled) throw new CancelledError();
    throw new Error(`the budget ran out while sampling the ${samples} chains whose majority answer is the reference: give the gold answer, or a larger budget`);
  }
  // Cast in sample order, so a tie goes to the same answer on every rerun.
  const ballot = new AnswerBallot();
  for (const answer of answers) if (answer) ballot.cast(answer);
  const majority = ballot.result().answer;
  if (majority === null) {
    throw new Error(`none of ${samples} unconstrained samples wrote a final answer, so there is no majority to compare with: give the gold answer, or raise the token limit per rollout`);
  }
  return { kind: 'majority', answer: majority };
}

/** Where an analysis writes its events: a run's recorder. */
export interface AnalysisSink {
  emit(event: RunEvent): void;
  now(): number;
}

/** What every rollout analysis takes besides its own settings. */
export interface RolloutBudgetOptions {
  /** Rollouts (requests; a retried one counts again), generated tokens and wall time for the whole
   * analysis, the reference's samples included. */
  budget: Budget;
  /** Rollouts generated at once (the server's parallel slots). */
  concurrency: number;
  /** Unconstrained samples whose majority answer is the reference when there is no gold answer. */
  referenceSamples: number;
}

export interface AnalysisRun {
  backend: ModelBackend;
  problem: ProblemRef;
  settings: RolloutSettings;
  /** A reference already found (by an earlier analysis of the same run); else it is found first. */
  reference?: AnalysisReference;
  signal?: AbortSignal;
}

/** An analysis of one chain's steps (critical tokens, step importance) and where it writes. */
export interface ChainAnalysisInput<Options> extends AnalysisRun {
  /** The chain's steps from the first, in order (answer leaves and the root left out). */
  chain: readonly TreeNode[];
  /** Analyse only these steps (default: every step of the chain). */
  within?: readonly string[];
  sink: AnalysisSink;
  /** Given fields replace the defaults; a budget given replaces the default budget field by field. */
  options?: Partial<Options>;
}

export interface RolloutSpend {
  reference: AnalysisReference;
  /** Rollouts that ran to their end, the reference's samples included. */
  rollouts: number;
  completionTokens: number;
  /** The budget that ran out before the analysis did all it meant to. */
  stoppedBy?: string;
}

/** Runs `work` with a sampler under the analysis budget, after finding the reference. Throws
 * `CancelledError` when cancelled; a budget that runs out ends it normally, with `stoppedBy`. */
export async function withRollouts<R>(run: AnalysisRun, options: RolloutBudgetOptions, work: (sampler: RolloutSampler, reference: AnalysisReference) => Promise<R>): Promise<R & RolloutSpend> {
  const scheduler = new Scheduler(options.concurrency, options.budget, run.signal);
  const sampler = new RolloutSampler(run.backend, scheduler, run.problem.text, run.settings);
  try {
    const reference = run.reference ?? await findReference(sampler, run.problem.answer, options.referenceSamples);
    const result = await work(sampler, reference);
    const stopped = scheduler.stopped;
    if (stopped?.kind === 'cancelled') throw new CancelledError();
    return { ...result, reference, rollouts: sampler.used, completionTokens: scheduler.totals.completionTokens, ...(stopped && { stoppedBy: stopped.message }) };
  } finally {
    scheduler.dispose();
  }
}

/** `given` over `defaults` (the budget field by field), checked: `what` names the analysis in errors. */
export function analysisOptions<T extends RolloutBudgetOptions>(what: string, defaults: Readonly<T>, given: Partial<T>, wholeNumbers: readonly (keyof T & string)[]): T {
  const options: T = { ...defaults, ...given, budget: { ...defaults.budget, ...given.budget } };
  for (const name of [...wholeNumbers, 'concurrency', 'referenceSamples'] as const) {
    const value = options[name as keyof T];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new RangeError(`${what}: ${name} must be a whole number of at least 1, got ${String(value)}`);
  }
  const { maxRequests, maxTokens, maxWallMs } = options.budget;
  for (const [name, value] of [['rollouts (maxRequests)', maxRequests], ['tokens (maxTokens)', maxTokens]] as const) {
    if (value !== undefined && !(value >= 1)) throw new RangeError(`${what}: the budget's ${name} must be at least 1, got ${value}`);
  }
  if (maxWallMs !== undefined && !(maxWallMs > 0)) throw new RangeError(`${what}: the budget's time (maxWallMs) must be more than 0, got ${maxWallMs}`);
  return options;
}
