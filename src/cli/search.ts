/** `reasonscope search`: any strategy of the registry on one problem, with its parameters as flags,
 * a scorer and a budget; `--resume` continues a stopped run in its own file; `--list` describes
 * the strategies. */
import * as path from 'node:path';
import { strategyNamed } from '../core/search/strategies';
import { defaultRunFileName, prepareRun, resumeRun } from '../core/search/startRun';
import { readRunFile } from '../core/trace/runFile';
import { numberFlag, parse, UsageError } from './args';
import { backendFromFlags } from './backendFlags';
import { budgetFromFlags, budgetOptions } from './budgetFlags';
import { generationFromFlags, generationOptions } from './generationFlags';
import { runLive } from './liveRun';
import { StatusLine } from './output';
import { loadProblem } from './problemArg';
import { checkScorerFits, scorerFromFlags, scorerOfRun, scorerOptions } from './scorerFlags';
import { paramsFromFlags, specFromFlags, strategyFromFlag, strategyList, strategyOptions } from './strategyFlags';

/** What may change when a run is resumed: where the server is and how many slots it has. */
const RESUME_FLAGS = new Set(['resume', 'host', 'backend', 'prompt-format', 'concurrency', 'json', 'prm-url']);

/** The command's own flags; the strategies' parameters come on top. */
export const searchOptions = {
  ...generationOptions,
  ...budgetOptions,
  ...scorerOptions,
  text: { type: 'string' },
  strategy: { type: 'string' },
  answer: { type: 'string' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  list: { type: 'boolean' },
  resume: { type: 'string' },
} as const;

export async function searchCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, { ...searchOptions, ...strategyOptions(searchOptions) });
  if (values.list) {
    console.log(strategyList());
    return 0;
  }
  if (values.resume !== undefined) {
    const extra = [...Object.keys(values).filter((k) => !RESUME_FLAGS.has(k)).map((k) => `--${k}`), ...positionals];
    if (extra.length) throw new UsageError(`--resume continues a run with the settings it was started with; leave out ${extra.join(', ')}`);
    return resume(values.resume, values, signal);
  }
  const strategy = strategyFromFlag(values.strategy);
  const params = paramsFromFlags(strategy, values);
  const { problem, stem, source } = loadProblem('search', positionals, values.text);
  if (values.answer !== undefined) problem.answer = values.answer;
  checkScorerFits(strategy, values.scorer !== undefined);
  const generation = generationFromFlags(values, strategy);
  const budget = budgetFromFlags(values);
  specFromFlags({ strategy: strategy.name, params, ...generation, budget }); // flag errors before the scorer's server is asked
  const backend = backendFromFlags(values);
  const status = new StatusLine();
  const warn = (message: string) => status.log(`note: ${message}`);
  const makeScorer = await scorerFromFlags(values, { backend, policyModel: generation.model, sample: problem, warn }, signal);
  const spec = specFromFlags({ strategy: strategy.name, params, ...generation, budget, scorer: makeScorer?.(problem) });
  const outFile = values.out ?? path.join('.reasonscope', 'runs', defaultRunFileName(stem, strategy.name));
  const prepared = await prepareRun({ backend, problem: { id: problem.id, text: problem.text, answer: problem.answer, source }, outFile, spec }, signal);
  return runLive(backend, prepared, { outFile, json: values.json, status }, signal);
}

interface ResumeFlags { host?: string; backend?: string; 'prompt-format'?: string; concurrency?: string; json?: boolean; 'prm-url'?: string }

async function resume(file: string, values: ResumeFlags, signal: AbortSignal): Promise<number> {
  let run;
  try {
    run = await readRunFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot resume ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const { header } = run;
  const last = run.events.at(-1);
  if (last?.type === 'run_ended' && last.status === 'completed') {
    throw new UsageError(`${file} is finished${last.stoppedBy ? ` (${last.stoppedBy})` : ''}; there is nothing to resume — start a new search${last.stoppedBy ? ' with a larger budget' : ''}`);
  }
  if (header.backend.kind === 'imported') throw new UsageError(`${file} was imported from another format and is read-only; only runs Reasonscope generated can be resumed`);
  try {
    strategyNamed(header.strategy.name);
  } catch {
    throw new UsageError(`${file} was made by the strategy "${header.strategy.name}", which this version does not have`);
  }
  // The run's own server unless told otherwise: a resume is meant to go on where it stopped.
  const backend = backendFromFlags({ ...values, host: values.host ?? header.backend.host, backend: values.backend ?? header.backend.kind });
  const status = new StatusLine();
  const prepared = await resumeRun(file, {
    backend,
    scorer: scorerOfRun(header, backend, (message) => status.log(`note: ${message}`), values['prm-url']),
    concurrency: numberFlag(values.concurrency, 'concurrency', { min: 1, integer: true }),
  }, signal);
  return runLive(backend, prepared, { outFile: file, json: values.json, status }, signal);
}
