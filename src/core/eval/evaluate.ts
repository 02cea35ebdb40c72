/** Evaluates a strategy on a dataset: one run per problem and value of N, each in its own run file
 * under `<dir>/runs/`. Starting again in the same folder keeps the runs that completed, resumes the
 * ones that stopped and makes the missing ones, so a long evaluation survives Ctrl-C and crashes.
 *
 * Runs share the request limit: a run with n = k takes min(k, limit) slots (its own scheduler
 * never has more in flight; a strategy without `n` takes them all), and whenever slots free up the
 * next runs in order that fit them start. Runs are seeded, so how they were interleaved changes
 * nothing in them. */
import { isCancelled } from '../model/errors';
import type { ModelBackend } from '../model/types';
import type { Scorer } from '../reward/types';
import { buildSpec, executeRun, randomSeed, type SpecInput } from '../search/run';
import { prepareRun, resumeRun } from '../search/startRun';
import type { RunRecorder } from '../trace/recorder';
import type { ProblemRef, RunEndedEvent } from '../trace/schema';
import { runFilePath, type EvalDataset, type EvalProblem } from './problems';
import { runState, type RunState } from './runState';
import { claimEvalDir, readSettings, type EvalSettings } from './settings';

export interface EvalJob {
  dir: string;
  /** The dataset file as the user named it, and what was read from it. */
  datasetFile: string;
  dataset: EvalDataset;
  /** The first `limit` problems (all when absent). */
  limit?: number;
  /** Values of the strategy's `n`; `[undefined]` for a strategy that has none. */
  ns: readonly (number | undefined)[];
  backend: ModelBackend;
  /** Every part of a run's spec but what varies per run: n, the scorer and the slots. Without a
   * seed, the folder's recorded one is used (a new folder draws one). */
  spec: Omit<SpecInput, 'scorer' | 'concurrency'>;
  /** The scorer for a problem (the gold scorer reads each problem's answer). */
  scorer?: (problem: ProblemRef) => Scorer;
  /** Requests in flight at once, over all runs. */
  concurrency: number;
}

export interface PlannedRun {
  problem: EvalProblem;
  n?: number;
  file: string;
  state: RunState;
}

export interface EvalPlan {
  settings: EvalSettings;
  runs: PlannedRun[];
}

export const isDone = (run: PlannedRun): boolean => run.state.kind === 'ended' && run.state.ended.status === 'completed';

/** Checks the settings against the folder (recording them in a new one) and reads where each run
 * stands. Throws `SettingsMismatch` when the folder was started with other settings. */
export function planEval(job: EvalJob): EvalPlan {
  const seed = job.spec.sampling?.seed ?? readSettings(job.dir)?.sampling.seed ?? randomSeed();
  const first = job.dataset.problems[0]?.problem;
  const probe = buildSpec({ ...job.spec, sampling: { ...job.spec.sampling, seed }, params: withN(job.spec.params, job.ns[0]), scorer: first && job.scorer?.(first) });
  const params = { ...probe.params };
  delete params.n;
  const { temperature, topP, maxTokens } = probe.generation.sampling;
  const settings: EvalSettings = {
    dataset: { file: job.datasetFile, sha256: job.dataset.sha256 },
    strategy: probe.strategy,
    params,
    model: probe.generation.model,
    sampling: { temperature, topP, seed, maxTokens },
    logprobs: probe.generation.logprobs,
    ...(probe.scorer && { scorer: scorerSetting(probe.scorer) }),
    ...(probe.budget && { budget: probe.budget }),
  };
  claimEvalDir(job.dir, settings);
  const runs: PlannedRun[] = [];
  for (const problem of job.dataset.problems.slice(0, job.limit)) {
    for (const n of job.ns) {
      const file = runFilePath(job.dir, problem.slug, settings.strategy, n);
      runs.push({ problem, n, file, state: runState(file) });
    }
  }
  return { settings, runs };
}

export interface EvalListener {
  started?(run: PlannedRun, resumed: boolean, recorder: RunRecorder): void;
  ended?(run: PlannedRun, ended: RunEndedEvent): void;
}

/** Runs what the plan still needs, updating each run's `state`. Returns when all are done or after
 * `signal` aborted and the runs in flight have saved their partial state. A failure before a run
 * could start (server unreachable, model missing) stops the rest and is thrown. */
export async function runEval(job: EvalJob, plan: EvalPlan, listener: EvalListener = {}, signal?: AbortSignal): Promise<void> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  const pending = plan.runs.filter((r) => !isDone(r));
  let free = job.concurrency;
  let running = 0;
  let setupError: unknown;
  try {
    await new Promise<void>((resolve) => {
      // First fit: the next runs in order that fit the free slots start; a wide run waiting for
      // slots does not hold back narrower ones behind it (the list is finite, so it gets them).
      const fill = () => {
        for (let i = 0; i < pending.length && free > 0 && !stop.signal.aborted;) {
          const run = pending[i];
          const width = Math.min(job.concurrency, run.n ?? job.concurrency);
          if (width > free) {
            i++;
            continue;
          }
          pending.splice(i, 1);
          free -= width;
          running++;
          execute(job, plan, run, width, listener, stop.signal)
            .catch((err: unknown) => {
              if (!isCancelled(err) && setupError === undefined) setupError = err;
              stop.abort();
            })
            .finally(() => {
              free += width;
              running--;
              fill();
            });
        }
        if (running === 0) resolve();
      };
      fill();
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (setupError !== undefined) throw setupError;
}

async function execute(job: EvalJob, plan: EvalPlan, run: PlannedRun, width: number, listener: EvalListener, signal: AbortSignal): Promise<void> {
  const scorer = job.scorer?.(run.problem.problem);
  const resumed = run.state.kind !== 'missing';
  const prepared = resumed
    ? await resumeRun(run.file, { backend: job.backend, scorer, concurrency: width }, signal)
    : await prepareRun({
      backend: job.backend,
      problem: run.problem.problem,
      outFile: run.file,
      spec: buildSpec({
        ...job.spec,
        sampling: { ...job.spec.sampling, seed: plan.settings.sampling.seed },
        params: withN(job.spec.params, run.n),
        concurrency: width,
        scorer,
      }),
    }, signal);
  listener.started?.(run, resumed, prepared.recorder);
  let ended: RunEndedEvent;
  try {
    ended = await executeRun(job.backend, prepared.recorder, prepared.spec, signal);
  } finally {
    prepared.recorder.close();
  }
  run.state = { kind: 'ended', ended };
  listener.ended?.(run, ended);
}

/** The scorer as a setting: its name and parameters, but not the URL of a PRM server, which may
 * move between starts without changing a score. */
function scorerSetting(scorer: Scorer): NonNullable<EvalSettings['scorer']> {
  const params = { ...scorer.params };
  delete params.url;
  return { name: scorer.name, ...(Object.keys(params).length && { params }) };
}

const withN = (params: Record<string, unknown> | undefined, n: number | undefined) => (n === undefined ? { ...params } : { ...params, n });
