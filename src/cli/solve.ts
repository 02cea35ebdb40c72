/** `reasonscope solve`: sample chains for one problem, stream progress, save the run, summarise.
 * The simple path; `search` runs any strategy with the same pieces. */
import * as path from 'node:path';
import { defaultRunFileName, prepareRun } from '../core/search/startRun';
import { strategyNamed } from '../core/search/strategies';
import { numberFlag, parse, UsageError } from './args';
import { backendFromFlags } from './backendFlags';
import { generationFromFlags, generationOptions } from './generationFlags';
import { runLive } from './liveRun';
import { loadProblem } from './problemArg';
import { specFromFlags } from './strategyFlags';

export async function solveCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...generationOptions,
    text: { type: 'string' },
    strategy: { type: 'string' },
    n: { type: 'string', short: 'n' },
    answer: { type: 'string' },
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  });
  const strategy = values.strategy ?? 'majority';
  if (strategy !== 'cot' && strategy !== 'majority') throw new UsageError(`--strategy must be "cot" or "majority", got "${strategy}" (reasonscope search runs the others)`);
  const { problem, stem, source } = loadProblem('solve', positionals, values.text);
  if (values.answer !== undefined) problem.answer = values.answer;
  const n = numberFlag(values.n, 'n', { min: 1, integer: true }) ?? 8;
  const backend = backendFromFlags(values);
  const outFile = values.out ?? path.join('.reasonscope', 'runs', defaultRunFileName(stem, strategy));
  const spec = specFromFlags({ strategy, params: strategy === 'majority' ? { n } : {}, ...generationFromFlags(values, strategyNamed(strategy)) });
  const prepared = await prepareRun({ backend, problem: { id: problem.id, text: problem.text, answer: problem.answer, source }, outFile, spec }, signal);
  return runLive(backend, prepared, { outFile, json: values.json, chains: strategy === 'cot' ? 1 : n }, signal);
}
