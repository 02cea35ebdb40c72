/** "Reasonscope: Estimate Difficulty": a pilot run (a majority vote of `reasonscope.pilotSamples`
 * chains, run and saved like Solve's) graded against the problem's answer, read as easy/medium/hard
 * for the model, and written on request to the front matter, or to the record of a problem set
 * (`"difficulty": "hard"`, without the front matter's provenance comment: JSON has no comments, and the
 * run file the pilot saved keeps the model and the counts). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DifficultyBin } from '../core/authoring/difficulty';
import { setFrontMatterKey } from '../core/authoring/frontMatterEdit';
import { setRecordKey } from '../core/authoring/recordEdit';
import type { Span } from '../core/authoring/types';
import { readSettings } from './config';
import type { ExtensionContext } from './context';
import { requireTrust } from './liveRun';
import { pickModel } from './models';
import { pilotOutcome, pilotTarget } from './problems/pilot';
import { chainCounts } from './problems/runResult';
import { activeProblem, problemSource, type ProblemTarget } from './problemSource';
import { sampleProblem } from './solve';

export async function estimateDifficulty(ctx: ExtensionContext, problem?: ProblemTarget): Promise<void> {
  if (!(await requireTrust())) return;
  // The whole file (or record), never a selection: the chains are graded against its answer.
  const source = await problemSource(problem ?? activeProblem());
  if (!source) return;
  const { document, line } = source;
  const name = `${path.basename(document.uri.path)}${line === undefined ? '' : ` line ${line}`}`;
  if (line === undefined && document.languageId !== 'math-problem') {
    void vscode.window.showErrorMessage(`Reasonscope: Estimate Difficulty works on a *.problem.md file or a record of a problem set; ${name} is neither.`);
    return;
  }
  if (!source.problem.answer?.trim()) {
    const add = 'Add Answer';
    const where = line === undefined ? 'Add "answer:" to its front matter.' : 'Add an "answer" to the record.';
    const pick = await vscode.window.showErrorMessage(`Reasonscope: ${name} has no answer to grade the pilot's chains against. ${where}`, add);
    if (pick === add) await addAnswer(document, line);
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
  const write = line === undefined ? 'Write to Front Matter' : 'Write to Record';
  if ((await vscode.window.showInformationMessage(`Reasonscope: ${pilot.message}`, write)) !== write) return;
  await writeDifficulty(document.uri, line, outcome.tree.header.problem, pilot.estimate.bin, pilot.comment);
}

/** Applies the edit to the document as it is when the user clicks (it may have changed during the
 * pilot): to the file, or to the piloted record wherever it is now, unless no record or several hold the
 * piloted statement and answer (see pilotTarget). A file that had no unsaved changes is saved again, so
 * the estimate is not left pending; one the user was editing stays theirs to save. */
async function writeDifficulty(uri: vscode.Uri, line: number | undefined, piloted: { text: string; answer?: string }, bin: DifficultyBin, comment: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const text = document.getText();
  const target = pilotTarget(text, { fileName: path.basename(uri.path), line }, piloted);
  if ('stale' in target) {
    void vscode.window.showWarningMessage(`Reasonscope: ${target.stale}; the difficulty was not written. Estimate it again.`);
    return;
  }
  const wasDirty = document.isDirty;
  // The record reads as the piloted problem (checked above), so it is a JSON object: an edit exists.
  const edit = target.line === undefined ? setFrontMatterKey(text, 'difficulty', bin, comment) : setRecordKey(text, target.line, 'difficulty', JSON.stringify(bin));
  const workspaceEdit = new vscode.WorkspaceEdit();
  if (edit) workspaceEdit.replace(uri, rangeOf(document, edit.span), edit.newText);
  if (!edit || !(await vscode.workspace.applyEdit(workspaceEdit))) {
    void vscode.window.showErrorMessage(`Reasonscope: could not write the difficulty to ${path.basename(uri.path)}.`);
    return;
  }
  if (!wasDirty) await document.save();
}

/** Inserts `answer: ` into the front matter (a new block when there is none) with the cursor after it,
 * or `"answer": ""` into the record with the cursor between the quotes. */
async function addAnswer(document: vscode.TextDocument, line: number | undefined): Promise<void> {
  const text = document.getText();
  let span: Span;
  let before: string;
  let after: string;
  if (line === undefined) {
    const edit = setFrontMatterKey(text, 'answer', '');
    const at = edit.newText.indexOf('answer:') + 'answer:'.length;
    [span, before, after] = [edit.span, `${edit.newText.slice(0, at)} `, edit.newText.slice(at)];
  } else {
    const edit = setRecordKey(text, line, 'answer', '""');
    if (!edit) return;
    [span, before, after] = [edit.span, edit.newText.slice(0, -1), '"'];
  }
  const editor = await vscode.window.showTextDocument(document);
  await editor.insertSnippet(new vscode.SnippetString().appendText(before).appendTabstop(0).appendText(after), rangeOf(document, span));
}

function rangeOf(document: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
}
