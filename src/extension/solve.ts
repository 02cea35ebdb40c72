/** "Reasonscope: Solve Problem": sample chains for the problem in the editor (or the selection),
 * growing the tree live and saving the run in the workspace. */
import * as path from 'node:path';
import { buildSpec } from '../core/search/run';
import { defaultRunFileName, prepareRun } from '../core/search/startRun';
import { currentBackend } from './backend';
import { readSettings, type Settings } from './config';
import type { ExtensionContext } from './context';
import { requireTrust, runLive, type RunOutcome } from './liveRun';
import { pickModel } from './models';
import { problemRef, problemSource, runsFolder, type ProblemSource, type ProblemTarget } from './problemSource';

export async function solveProblem(ctx: ExtensionContext, target?: ProblemTarget): Promise<void> {
  if (!(await requireTrust())) return;
  const source = await problemSource(target);
  if (!source) return;
  const settings = readSettings(source.document.uri);
  const model = settings.model || (await pickModel(ctx, 'Pick the model to solve with'));
  if (!model) return;
  await sampleProblem(ctx, source, { settings, model, strategy: settings.strategy, samples: settings.samples, title: `Reasonscope: solving with ${model}` });
}

export interface Sampling {
  settings: Settings;
  model: string;
  strategy: Settings['strategy'];
  /** Chains of the majority strategy. */
  samples: number;
  /** The progress notification's title. */
  title: string;
  /** The run file's name part after the problem's (default: the strategy). */
  runName?: string;
  announceCompletion?: boolean;
}

/** A Solve-style run (one chain, or a majority vote) of the problem through `runLive`: Solve Problem
 * with the settings' strategy, Estimate Difficulty's pilot with its own number of chains. */
export function sampleProblem(ctx: ExtensionContext, source: ProblemSource, s: Sampling): Promise<RunOutcome | undefined> {
  const backend = currentBackend();
  const outFile = path.join(runsFolder(ctx, source.document.uri, s.settings.runsFolder), defaultRunFileName(source.stem, s.runName ?? s.strategy));
  ctx.log.info(`${s.title}: ${source.document.uri.fsPath} at ${backend.host} (${s.strategy}${s.strategy === 'majority' ? `, n=${s.samples}` : ''})`);
  return runLive(ctx, {
    title: s.title,
    label: source.stem,
    backend,
    outFile,
    problem: { uri: source.document.uri, line: source.line },
    announceCompletion: s.announceCompletion,
    prepare: (signal) => prepareRun({
      backend,
      outFile,
      problem: problemRef(source),
      spec: buildSpec({
        strategy: s.strategy,
        params: s.strategy === 'majority' ? { n: s.samples } : {},
        model: s.model,
        sampling: { temperature: s.strategy === 'cot' ? 0 : s.settings.temperature, topP: 0.95, maxTokens: s.settings.maxTokens },
        concurrency: s.settings.concurrency,
        logprobs: s.settings.logprobs,
        topLogprobs: 5,
      }),
    }, signal),
  });
}
