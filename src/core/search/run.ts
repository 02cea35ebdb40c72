/** Runs one strategy on one problem from start (or from where its log stopped) to `run_ended`:
 * the scheduler and search context are set up here, the strategy does the search, and the result
 * — the strategy's choice, else the vote — is recorded. */
import { isCancelled } from '../model/errors';
import type { ModelBackend, SamplingOptions } from '../model/types';
import type { Scorer } from '../reward/types';
import type { RunRecorder } from '../trace/recorder';
import type { ProblemRef, RunEndedEvent, RunEvent, RunHeader } from '../trace/schema';
import { SearchContext, type GenerationSettings } from './context';
import { Scheduler, type Budget, type Totals } from './scheduler';
import { resolveParams, type StrategyOutcome, type StrategyParams } from './strategy';
import { strategyNamed } from './strategies';

export interface RunSpec {
  strategy: string;
  /** Resolved with `resolveParams`. */
  params: StrategyParams;
  generation: GenerationSettings;
  /** Requests in flight at once; match the server's parallel slots. */
  concurrency: number;
  budget?: Budget;
  scorer?: Scorer;
}

export interface SpecInput {
  strategy: string;
  /** Strategy parameters as given (strings from a command line are fine); the rest take defaults. */
  params?: Record<string, unknown>;
  model: string;
  /** Without a seed the run gets a random one, recorded in its header. */
  sampling?: SamplingOptions;
  concurrency?: number;
  logprobs?: boolean;
  topLogprobs?: number;
  retries?: number;
  budget?: Budget;
  scorer?: Scorer;
}

/** A checked `RunSpec` from what a user gave: unknown or out-of-range parameters throw with the
 * parameter's name, and the strategy's own temperature applies when none is given (cot: 0). */
export function buildSpec(input: SpecInput): RunSpec {
  const strategy = strategyNamed(input.strategy);
  const sampling = { ...input.sampling, seed: input.sampling?.seed ?? randomSeed() };
  if (sampling.temperature === undefined && strategy.defaultTemperature !== undefined) sampling.temperature = strategy.defaultTemperature;
  return {
    strategy: strategy.name,
    params: resolveParams(strategy, input.params ?? {}),
    generation: {
      model: input.model,
      sampling,
      logprobs: input.logprobs ?? true,
      topLogprobs: input.topLogprobs ?? 5,
      ...(input.retries !== undefined && { retries: input.retries }),
    },
    concurrency: input.concurrency ?? 1,
    ...(input.budget && { budget: input.budget }),
    ...(input.scorer && { scorer: input.scorer }),
  };
}

/** A base seed for runs the user did not seed: recorded in the header, so a resume draws the same. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}

export function runHeader(args: {
  runId: string; problem: ProblemRef; backend: ModelBackend; version?: string; spec: RunSpec; reasonscopeVersion: string;
}): RunHeader {
  const { spec } = args;
  // Stop sequences are per request (step-level search adds its own), not a property of the run.
  const options = { ...spec.generation.sampling };
  delete options.stop;
  return {
    type: 'header',
    schema: 1,
    runId: args.runId,
    createdAt: new Date().toISOString(),
    problem: args.problem,
    backend: {
      kind: args.backend.kind,
      host: args.backend.host,
      model: spec.generation.model,
      ...(args.version !== undefined && { version: args.version }),
      logprobs: spec.generation.logprobs,
      ...(spec.generation.logprobs && { topLogprobs: spec.generation.topLogprobs }),
      options,
    },
    strategy: { name: spec.strategy, params: { ...spec.params, concurrency: spec.concurrency } },
    ...(spec.scorer && { scorer: { name: spec.scorer.name, ...(spec.scorer.params && { params: spec.scorer.params }) } }),
    ...(spec.budget && Object.keys(spec.budget).length > 0 && { budget: spec.budget }),
    versions: { reasonscope: args.reasonscopeVersion },
  };
}

export async function executeRun(backend: ModelBackend, recorder: RunRecorder, spec: RunSpec, signal?: AbortSignal): Promise<RunEndedEvent> {
  const strategy = strategyNamed(spec.strategy);
  const prior = priorTotals(recorder.events);
  const scheduler = new Scheduler(spec.concurrency, spec.budget, signal, recorder.now());
  let outcome: StrategyOutcome = {};
  let status: RunEndedEvent['status'] = 'completed';
  let error: string | undefined;
  let ctx: SearchContext | undefined;
  try {
    ctx = new SearchContext(backend, recorder, scheduler, spec.generation, spec.scorer);
    if (strategy.scored && !spec.scorer) throw new Error(`${strategy.name} needs a scorer`);
    outcome = await strategy.run(ctx, spec.params);
  } catch (err) {
    if (isCancelled(err) || scheduler.signal.aborted) status = scheduler.stopped?.kind === 'budget' ? 'completed' : 'cancelled';
    else {
      status = 'failed';
      error = (err as Error).message;
    }
  } finally {
    scheduler.dispose();
  }
  const result = ctx?.ballot.result() ?? { answer: null, votes: {} };
  if (status === 'completed' && result.answer === null && ctx?.failures.length) {
    status = 'failed';
    error = ctx.failures[0];
  }
  const choice = outcome.selected ?? ctx?.provisional;
  const chosen = choice === undefined ? undefined : recorder.tree.nodes.get(choice);
  if (chosen && !chosen.selected) recorder.emit({ type: 'node_selected', t: recorder.now(), id: chosen.id });
  const stop = scheduler.stopped;
  const ended: RunEndedEvent = {
    type: 'run_ended',
    t: recorder.now(),
    status,
    result: {
      ...result,
      ...(chosen?.answer && { answer: chosen.answer.normalized, correct: chosen.answer.correct, selected: chosen.id }),
      ...(outcome.weights && { weights: outcome.weights }),
    },
    totals: { ...sum(prior, scheduler.totals), wallMs: recorder.now() },
    ...(stop?.kind === 'budget' && status === 'completed' && { stoppedBy: stop.message }),
    ...(error !== undefined && { error }),
  };
  if (ended.result && ended.result.correct === undefined) delete ended.result.correct;
  recorder.emit(ended);
  return ended;
}

/** Work a resumed run did before: the last `run_ended` totals, else the tokens its nodes hold. */
function priorTotals(events: readonly RunEvent[]): Totals {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type === 'run_ended') return { promptTokens: e.totals.promptTokens, completionTokens: e.totals.completionTokens, requests: e.totals.requests };
  }
  let completionTokens = 0;
  for (const e of events) if (e.type === 'node_added') completionTokens += e.tokenCount ?? 0;
  return { promptTokens: 0, completionTokens, requests: 0 };
}

function sum(a: Totals, b: Totals): Totals {
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, requests: a.requests + b.requests };
}
