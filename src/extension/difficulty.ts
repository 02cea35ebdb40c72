/** "Reasonscope: Estimate Difficulty": a pilot run (a majority vote of `reasonscope.pilotSamples`
 * chains, run and saved like Solve's) graded against the problem's answer, read as easy/medium/hard
 * for the model, and written to the front matter on request. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DifficultyBin } from '../core/authoring/difficulty';
import { setFrontMatterKey } from '../core/authoring/frontMatterEdit';
import { readSettings } from './config';
import type { ExtensionContext } from './context';
import { requireTrust } from './liveRun';
import { pickModel } from './models';
import { pilotNoLongerFits, pilotOutcome } from './problems/pilot';
import { chainCounts } from './problems/runResult';
import { problemSource } from './problemSource';
import { sampleProblem } from './solve';

export async function estimateDifficulty(ctx: ExtensionContext, uri?: vscode.Uri): Promise<void> {
  if (!(await requireTrust())) return;
  // The whole file, never a selection: the chains are graded against the front matter's answer.
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  const source = await problemSource(target);
  if (!source) return;
  const { document } = source;
  const name = path.basename(document.uri.path);
  if (document.languageId !== 'math-problem') {
    void vscode.window.showErrorMessage(`Reasonscope: Estimate Difficulty works on a *.problem.md file; ${name} is not one.`);
    return;
  }
  if (!source.problem.answer?.trim()) {
    const add = 'Add Answer';
    const pick = await vscode.window.showErrorMessage(`Reasonscope: ${name} has no answer to grade the pilot's chains against. Add "answer:" to its front matter.`, add);
    if (pick === add) await addAnswer(document);
    return;
  }
  const settings = readSettings(document.uri);
  const model = settings.model || (await pickModel(ctx, 'Pick the model to estimate the difficulty for'));
  if (!model) return;
  const outcome = await sampleProblem(ctx, source, {
    settings,
    model,
    strategy: 'majority',
    samples: settings.pilotSamples,
    title: `Reasonscope: difficulty pilot, ${settings.pilotSamples} chains with ${model}`,
    runName: 'pilot',
    announceCompletion: false,
  });
  // Not run, cancelled or failed: runLive has said so, and there is nothing to estimate from.
  if (outcome?.ended.status !== 'completed') return;
  const pilot = pilotOutcome(chainCounts(outcome.tree), model, new Date());
  ctx.log.info(`Difficulty pilot of ${document.uri.fsPath}: ${pilot.message}`);
  if (!pilot.estimate) {
    void vscode.window.showWarningMessage(`Reasonscope: ${pilot.message}`);
    return;
  }
  const write = 'Write to Front Matter';
  if ((await vscode.window.showInformationMessage(`Reasonscope: ${pilot.message}`, write)) !== write) return;
  await writeDifficulty(document.uri, outcome.tree.header.problem, pilot.estimate.bin, pilot.comment);
}

/** Applies the edit to the document as it is when the user clicks (it may have changed during the
 * pilot), unless its statement or answer changed (see pilotNoLongerFits). A file that had no unsaved
 * changes is saved again, so the estimate is not left pending; one the user was editing stays theirs
 * to save. */
async function writeDifficulty(uri: vscode.Uri, piloted: { text: string; answer?: string }, bin: DifficultyBin, comment: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const text = document.getText();
  const stale = pilotNoLongerFits(text, piloted);
  if (stale) {
    void vscode.window.showWarningMessage(`Reasonscope: ${stale}; the difficulty was not written. Estimate it again.`);
    return;
  }
  const wasDirty = document.isDirty;
  const { span, newText } = setFrontMatterKey(text, 'difficulty', bin, comment);
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), newText);
  if (!(await vscode.workspace.applyEdit(workspaceEdit))) {
    void vscode.window.showErrorMessage(`Reasonscope: could not write the difficulty to ${path.basename(uri.path)}.`);
    return;
  }
  if (!wasDirty) await document.save();
}

/** Inserts `answer: ` into the front matter (a new block when there is none) with the cursor after it. */
async function addAnswer(document: vscode.TextDocument): Promise<void> {
  const editor = await vscode.window.showTextDocument(document);
  const { span, newText } = setFrontMatterKey(document.getText(), 'answer', '');
  const at = newText.indexOf('answer:') + 'answer:'.length;
  const snippet = new vscode.SnippetString().appendText(`${newText.slice(0, at)} `).appendTabstop(0).appendText(newText.slice(at));
  await editor.insertSnippet(snippet, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)));
}
