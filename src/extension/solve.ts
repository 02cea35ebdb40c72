/** "Reasonscope: Solve Problem": sample chains for the problem in the editor (or the selection),
 * growing the tree live and saving the run in the workspace. */
import * as path from 'node:path';
import { buildSpec } from '../core/search/run';
import { defaultRunFileName, prepareRun } from '../core/search/startRun';
import type * as vscode from 'vscode';
import { currentBackend } from './backend';
import { readSettings } from './config';
import type { ExtensionContext } from './context';
import { requireTrust, runLive } from './liveRun';
import { pickModel } from './models';
import { problemRef, problemSource, runsFolder } from './problemSource';

export async function solveProblem(ctx: ExtensionContext, uri?: vscode.Uri): Promise<void> {
  if (!(await requireTrust())) return;
  const source = await problemSource(uri);
  if (!source) return;
  const settings = readSettings(source.document.uri);
  const model = settings.model || (await pickModel(ctx, 'Pick the model to solve with'));
  if (!model) return;
  const backend = currentBackend();
  const outFile = path.join(runsFolder(ctx, source.document.uri, settings.runsFolder), defaultRunFileName(source.stem, settings.strategy));
  ctx.log.info(`Solving ${source.document.uri.fsPath} with ${model} at ${backend.host} (${settings.strategy}, n=${settings.samples})`);
  await runLive(ctx, {
    title: `Reasonscope: solving with ${model}`,
    label: source.stem,
    backend,
    outFile,
    problem: source.document.uri,
    prepare: (signal) => prepareRun({
      backend,
      outFile,
      problem: problemRef(source),
      spec: buildSpec({
        strategy: settings.strategy,
        params: settings.strategy === 'majority' ? { n: settings.samples } : {},
        model,
        sampling: { temperature: settings.strategy === 'cot' ? 0 : settings.temperature, topP: 0.95, maxTokens: settings.maxTokens },
        concurrency: settings.concurrency,
        logprobs: settings.logprobs,
        topLogprobs: 5,
      }),
    }, signal),
  });
}
