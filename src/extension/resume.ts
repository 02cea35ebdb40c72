/** "Reasonscope: Resume Run": continue a stopped run (cancelled, crashed, failed) in its own file.
 * Nodes already in the log are not generated again; the tree shows the run so far and grows. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { scorerFromHeader } from '../core/reward';
import { resumeRun } from '../core/search/startRun';
import { parseRunText } from '../core/trace/parse';
import type { RunHeader } from '../core/trace/schema';
import { currentBackend } from './backend';
import { readSettings } from './config';
import type { ExtensionContext } from './context';
import { requireTrust, runLive, warn } from './liveRun';
import { activeRunFile, askForRunFile } from './runs';
import { scorerOptions } from './scorerChoice';

export async function resumeRunFile(ctx: ExtensionContext, uri?: vscode.Uri): Promise<void> {
  if (!(await requireTrust())) return;
  const target = uri ?? activeRunFile() ?? (await askForRunFile());
  if (!target) return;
  const name = path.basename(target.fsPath);
  let header: RunHeader;
  try {
    const run = parseRunText(new TextDecoder().decode(await vscode.workspace.fs.readFile(target)));
    header = run.header;
    const ended = [...run.events].reverse().find((e) => e.type === 'run_ended' || e.type === 'run_resumed');
    if (ended?.type === 'run_ended' && ended.status === 'completed') {
      const why = ended.stoppedBy ? ` (its budget ended it: ${ended.stoppedBy})` : '';
      void vscode.window.showInformationMessage(`Reasonscope: ${name} is complete${why}; there is nothing to resume.`);
      return;
    }
  } catch (err) {
    void vscode.window.showErrorMessage(`Reasonscope: ${name} is not a readable run file — ${(err as Error).message}`);
    return;
  }
  const settings = readSettings(target);
  const backend = currentBackend();
  ctx.log.info(`Resuming ${target.fsPath} at ${backend.host}`);
  await runLive(ctx, {
    title: `Reasonscope: resuming ${name}`,
    label: name,
    backend,
    outFile: target.fsPath,
    prepare: (signal) => resumeRun(target.fsPath, {
      backend,
      // The scorer the run was started with, rebuilt from its header.
      ...(header.scorer && { scorer: scorerFromHeader(header.scorer, scorerOptions(settings, header.problem.answer, backend, (message) => warn(ctx, message))) }),
    }, signal),
  });
}
