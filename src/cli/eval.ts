/** `reasonscope eval`: a strategy over the first K problems of a dataset for each N, resumable in
 * its --out folder, with a progress bar and a summary table (printed, and saved as JSON and
 * Markdown next to the runs). */
import * as path from 'node:path';
import { isDone, planEval, runEval, type EvalJob, type EvalPlan, type PlannedRun } from '../core/eval/evaluate';
import { readEvalDataset, type EvalDataset } from '../core/eval/problems';
import { SettingsMismatch } from '../core/eval/settings';
import { summariseEval, summaryMarkdown, writeSummary } from '../core/eval/summary';
import type { RunEndedEvent } from '../core/trace/schema';
import { numberFlag, parse, UsageError } from './args';
import { backendFromFlags } from './backendFlags';
import { budgetFromFlags, budgetOptions } from './budgetFlags';
import { generationFromFlags, generationOptions } from './generationFlags';
import { StatusLine, bar, formatSeconds } from './output';
import { checkScorerFits, scorerFromFlags, scorerOptions } from './scorerFlags';
import { paramsFromFlags, specFromFlags, strategyFromFlag, strategyOptions } from './strategyFlags';

/** The command's own flags; the strategies' parameters but n (here a list) come on top. */
export const evalOptions = {
  ...generationOptions,
  ...budgetOptions,
  ...scorerOptions,
  strategy: { type: 'string' },
  n: { type: 'string', short: 'n' },
  limit: { type: 'string' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
} as const;

export async function evalCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, { ...evalOptions, ...strategyOptions(evalOptions, ['n']) });
  if (positionals.length !== 1) throw new UsageError('eval takes one dataset file (MATH-500-style JSONL: problem, answer, level, unique_id per line)');
  const datasetFile = positionals[0];
  const strategy = strategyFromFlag(values.strategy);
  const params = paramsFromFlags(strategy, values, ['n']);
  const nParam = strategy.params.find((p) => p.name === 'n');
  if (!nParam && values.n !== undefined) throw new UsageError(`${strategy.name} has no n parameter, so --n does not apply: it runs once per problem`);
  const ns = nParam ? nList(values.n) ?? [Number(nParam.default)] : [undefined];
  const limit = numberFlag(values.limit, 'limit', { min: 1, integer: true });
  const dataset = readDataset(datasetFile);
  const problems = dataset.problems.slice(0, limit);
  checkScorerFits(strategy, values.scorer !== undefined);
  if (values.scorer === 'gold') {
    const missing = problems.filter((p) => p.problem.answer === undefined).length;
    if (missing) throw new UsageError(`--scorer gold needs every problem's answer, and ${missing} of ${problems.length} have none in ${datasetFile}`);
  }
  const generation = generationFromFlags(values, strategy);
  const budget = budgetFromFlags(values);
  // Every value of N is checked before any run starts, so a bad one is a usage error, not a failure mid-way.
  for (const n of ns) specFromFlags({ strategy: strategy.name, params: n === undefined ? params : { ...params, n }, ...generation, budget });
  const backend = backendFromFlags(values);
  const status = new StatusLine();
  const warn = (message: string) => status.log(`note: ${message}`);
  const makeScorer = await scorerFromFlags(values, { backend, policyModel: generation.model, sample: problems[0].problem, warn }, signal);
  const dir = values.out ?? path.join('.reasonscope', 'evals', `${path.basename(datasetFile).replace(/\.jsonl?$/, '')}-${strategy.name}`);
  const { concurrency, ...spec } = generation;
  const job: EvalJob = {
    dir,
    datasetFile,
    dataset,
    limit,
    ns,
    backend,
    spec: { ...spec, strategy: strategy.name, params, budget },
    scorer: makeScorer,
    concurrency,
  };
  let plan: EvalPlan;
  try {
    plan = planEval(job);
  } catch (err) {
    if (err instanceof SettingsMismatch) throw new UsageError(`${err.message}. To evaluate with these settings, pass a new --out folder; to continue that evaluation, give its settings again.`);
    throw err;
  }
  const progress = new EvalProgress(plan);
  for (const line of dataset.skipped) warn(`skipped ${line}`);
  status.log(progress.plan(dir, problems.length, ns));
  const tick = setInterval(() => status.update(progress.line()), 1000);
  try {
    await runEval(job, plan, {
      started: (run, resumed, recorder) => {
        if (resumed) status.log(`${run.problem.slug}${nSuffix(run)}: resumed`);
        recorder.onEvent((event) => {
          if (event.type === 'node_added') progress.tokens += event.tokenCount ?? 0;
          status.update(progress.line());
        });
      },
      ended: (run, ended) => {
        progress.ended(ended);
        if (ended.status !== 'cancelled') status.log(progress.runLine(run, ended));
        status.update(progress.line());
      },
    }, signal);
  } finally {
    clearInterval(tick);
    status.clear();
  }
  const summary = summariseEval(dir, plan);
  writeSummary(dir, summary);
  console.log(values.json ? JSON.stringify(summary) : `\n${summaryMarkdown(summary)}\n\nSummary saved to ${path.join(dir, 'summary.md')} and summary.json; runs in ${path.join(dir, 'runs')}`);
  const left = plan.runs.filter((r) => !isDone(r)).length;
  if (signal.aborted) {
    console.error(`Stopped with ${left} of ${plan.runs.length} runs unfinished; run the same command again to continue (finished runs are kept, stopped ones resume).`);
    return 130;
  }
  if (left) console.error(`${left} of ${plan.runs.length} runs did not complete; run the same command again to retry them.`);
  return left ? 1 : 0;
}

/** "1,2,4,8" → [1, 2, 4, 8], each a positive integer (the strategy checks its own range). */
function nList(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const ns = value.split(',').map((part) => numberFlag(part.trim(), 'n', { min: 1, integer: true })!);
  return [...new Set(ns)].sort((a, b) => a - b);
}

function readDataset(file: string): EvalDataset {
  let dataset: EvalDataset;
  try {
    dataset = readEvalDataset(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `cannot read ${file}: no such file` : (err as Error).message);
  }
  if (!dataset.problems.length) throw new UsageError(`${file} has no problems${dataset.skipped.length ? ` (${dataset.skipped.slice(0, 3).join('; ')})` : ''}`);
  return dataset;
}

const nSuffix = (run: PlannedRun) => (run.n === undefined ? '' : ` n=${run.n}`);

/** Runs done of all, tokens generated and an ETA from the mean time per run finished so far. */
class EvalProgress {
  tokens = 0;
  private readonly total: number;
  private done: number;
  private finishedHere = 0;
  private readonly started = Date.now();

  constructor(private readonly evalPlan: EvalPlan) {
    this.total = evalPlan.runs.length;
    this.done = evalPlan.runs.filter(isDone).length;
  }

  plan(dir: string, problems: number, ns: readonly (number | undefined)[]): string {
    const kept = this.done;
    const stopped = this.evalPlan.runs.filter((r) => !isDone(r) && r.state.kind !== 'missing').length;
    const times = ns[0] === undefined ? '' : ` × N ${ns.join(',')}`;
    return `${problems} ${problems === 1 ? 'problem' : 'problems'}${times} = ${this.total} ${this.total === 1 ? 'run' : 'runs'} in ${dir}: ${kept} done, ${stopped} to resume, ${this.total - kept - stopped} to run`;
  }

  ended(ended: RunEndedEvent): void {
    if (ended.status === 'cancelled') return;
    this.finishedHere++;
    if (ended.status === 'completed') this.done++;
  }

  line(): string {
    const elapsed = Date.now() - this.started;
    const left = this.total - this.done;
    const eta = this.finishedHere ? ` · ETA ${formatSeconds((elapsed / this.finishedHere) * left)}` : '';
    return `${bar(this.done / Math.max(1, this.total), 20)} ${this.done}/${this.total} runs · ${this.tokens.toLocaleString('en-US')} tokens · ${formatSeconds(elapsed)}${eta}`;
  }

  runLine(run: PlannedRun, ended: RunEndedEvent): string {
    const head = `[${this.done}/${this.total}] ${run.problem.slug}${nSuffix(run)}`;
    if (ended.status === 'failed') return `${head}: failed — ${ended.error}`;
    const mark = ended.result?.correct === undefined ? '' : ended.result.correct ? ' ✓' : ' ✗';
    const stopped = ended.stoppedBy ? ` · stopped early: ${ended.stoppedBy}` : '';
    return `${head}: ${ended.result?.answer ?? '(no answer)'}${mark} · ${ended.totals.completionTokens.toLocaleString('en-US')} tokens · ${formatSeconds(ended.totals.wallMs)}${stopped}`;
  }
}
