/** "Reasonscope: Open Run": show a saved `.run.jsonl` in the Trajectory Tree. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseRunText } from '../core/trace/parse';
import type { ProblemRunResult } from '../server/protocol';
import type { ExtensionContext } from './context';
import { recordResult } from './problems/runResult';
import { activeProblem, type ProblemTarget } from './problemSource';

export async function openRun(ctx: ExtensionContext, uri?: vscode.Uri): Promise<void> {
  const target = uri ?? activeRunFile() ?? (await askForRunFile());
  if (!target) return;
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
  } catch (err) {
    void vscode.window.showErrorMessage(`Reasonscope: cannot read ${target.fsPath}: ${(err as Error).message}`);
    return;
  }
  const name = path.basename(target.path);
  try {
    const run = parseRunText(text);
    ctx.tree.show(run.header, run.events, name, target.scheme === 'file' ? target.fsPath : undefined);
    await ctx.tree.reveal();
    ctx.log.info(`Opened run ${name} (${run.events.length} events)`);
    if (run.tornTail) {
      void vscode.window.showWarningMessage(`Reasonscope: the last line of ${name} was cut off (the run was interrupted while writing); everything before it is shown.`);
    }
  } catch (err) {
    void vscode.window.showErrorMessage(`Reasonscope: ${name} is not a readable run file — ${(err as Error).message}`);
  }
}

export function activeRunFile(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && uri.path.endsWith('.run.jsonl') ? uri : undefined;
}

export async function askForRunFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Open a Reasonscope run',
    canSelectMany: false,
    filters: { 'Reasonscope runs': ['jsonl'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

/** "Reasonscope: Open Last Run": the problem's last run (Solve, Search…, Estimate Difficulty) in the
 * tree; a problem-set record's with its line. */
export async function openLastRun(ctx: ExtensionContext, problem?: ProblemTarget): Promise<void> {
  const target = problem ?? activeProblem();
  const last = target && (problem ? ctx.runs.last(target) : lastAtCursor(ctx, target));
  if (!last) {
    const name = target ? `${path.basename(target.uri.path)}${target.line === undefined ? '' : ` line ${target.line}`}` : 'this problem';
    void vscode.window.showInformationMessage(`Reasonscope: ${name} has no run in this workspace yet. Run ▶ Solve first.`);
    return;
  }
  await openRun(ctx, vscode.Uri.file(last.runFile));
}

/** A lens names the line the run was made on; the cursor names a record's line now, which lines inserted
 * or deleted above may have moved since the run, so the record's run is found as the server finds the
 * one its lens opens. */
function lastAtCursor(ctx: ExtensionContext, target: ProblemTarget): ProblemRunResult | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (target.line === undefined || !document) return ctx.runs.last(target);
  const uri = target.uri.toString();
  return recordResult(document.getText(), path.basename(target.uri.path), target.line, ctx.runs.all().filter((r) => r.uri === uri));
}
