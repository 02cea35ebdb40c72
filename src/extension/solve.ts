/** "Reasonscope: Solve Problem": sample chains for the problem in the editor (or the selection),
 * growing the tree live and saving the run in the workspace. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseProblemFile, type Problem } from '../core/problem/problemFile';
import { buildSpec, executeRun } from '../core/search/run';
import { defaultRunFileName, prepareRun } from '../core/search/startRun';
import type { RunEndedEvent } from '../core/trace/schema';
import { answerGroups } from '../core/trace/tree';
import { currentBackend, reportBackendError } from './backend';
import { readSettings } from './config';
import type { ExtensionContext } from './context';
import { pickModel } from './models';

interface ProblemSource {
  problem: Problem;
  stem: string;
  document: vscode.TextDocument;
}

export async function solveProblem(ctx: ExtensionContext, uri?: vscode.Uri): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    const pick = await vscode.window.showWarningMessage(
      'Reasonscope sends problem text to the model server only from a trusted workspace. Trust this workspace to solve problems.',
      'Manage Workspace Trust',
    );
    if (pick) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  const source = await problemSource(uri);
  if (!source) return;
  const settings = readSettings(source.document.uri);
  const model = settings.model || (await pickModel(ctx, 'Pick the model to solve with'));
  if (!model) return;
  const backend = currentBackend();
  const outFile = path.join(runsFolder(ctx, source.document.uri, settings.runsFolder), defaultRunFileName(source.stem, settings.strategy));
  ctx.log.info(`Solving ${source.document.uri.fsPath} with ${model} at ${backend.host} (${settings.strategy}, n=${settings.samples})`);

  // The progress notification closes when the run ends; the outcome is reported after it, so the
  // two never stand on screen together.
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reasonscope: solving with ${model}`, cancellable: true },
    async (progress, token): Promise<{ ended: RunEndedEvent; summary: string } | { error: unknown }> => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        const prepared = await prepareRun({
          backend,
          outFile,
          problem: {
            id: source.problem.id,
            text: source.problem.text,
            answer: source.problem.answer,
            source: vscode.workspace.asRelativePath(source.document.uri),
          },
          spec: buildSpec({
            strategy: settings.strategy,
            params: settings.strategy === 'majority' ? { n: settings.samples } : {},
            model,
            sampling: { temperature: settings.strategy === 'cot' ? 0 : settings.temperature, topP: 0.95, maxTokens: settings.maxTokens },
            concurrency: settings.concurrency,
            logprobs: settings.logprobs,
            topLogprobs: 5,
          }),
        }, controller.signal);
        const { recorder } = prepared;
        for (const notice of prepared.notices) {
          ctx.log.warn(notice);
          void vscode.window.showWarningMessage(`Reasonscope: ${notice}`);
        }
        const chains = settings.strategy === 'cot' ? 1 : settings.samples;
        let done = 0;
        ctx.tree.show(recorder.header, recorder.events, source.stem);
        void ctx.tree.reveal();
        recorder.onEvent((event) => {
          ctx.tree.append(recorder.header.runId, event);
          if (event.type === 'answer_extracted' || event.type === 'sample_failed') {
            done++;
            const last = event.type === 'answer_extracted' ? (event.raw ?? 'no answer') : 'failed';
            progress.report({ increment: 100 / chains, message: `${done}/${chains} chains · last: ${last}` });
          }
          if (event.type === 'warning') ctx.log.warn(event.message);
          if (event.type === 'sample_failed') ctx.log.error(`${event.sample === undefined ? event.lane ?? 'a request' : `chain ${event.sample + 1}`}: ${event.message}`);
        });
        const ended = await executeRun(backend, recorder, prepared.spec, controller.signal).finally(() => {
          recorder.close();
          ctx.tree.flush();
        });
        ctx.runs.remember(source.document.uri, outFile);
        const winner = answerGroups(recorder.tree).find((g) => g.answer !== null);
        const verdict = winner?.correct === undefined ? '' : winner.correct ? ', correct' : ', wrong';
        const summary = winner ? `majority answer ${winner.answer} (${winner.votes}/${chains} votes)${verdict}` : 'no chain gave a \\boxed{} answer';
        ctx.log.info(`Run ${ended.status}: ${summary}; ${ended.totals.completionTokens} tokens in ${(ended.totals.wallMs / 1000).toFixed(1)}s; saved to ${outFile}`);
        return { ended, summary };
      } catch (error) {
        return { error };
      } finally {
        cancel.dispose();
      }
    },
  );
  if ('error' in outcome) {
    await reportBackendError(outcome.error, ctx.log);
    return;
  }
  const { ended, summary } = outcome;
  const openFile = 'Open Run File';
  let pick: string | undefined;
  if (ended.status === 'completed') pick = await vscode.window.showInformationMessage(`Reasonscope: ${summary}.`, openFile);
  else if (ended.status === 'cancelled') pick = await vscode.window.showWarningMessage(`Reasonscope: cancelled; the partial run is saved (${summary}).`, openFile);
  else pick = await vscode.window.showErrorMessage(`Reasonscope: the run failed: ${ended.error}`, openFile, 'Show Log');
  if (pick === openFile) await vscode.window.showTextDocument(vscode.Uri.file(outFile));
  else if (pick === 'Show Log') ctx.log.show();
}

async function problemSource(uri?: vscode.Uri): Promise<ProblemSource | undefined> {
  const editor = vscode.window.activeTextEditor;
  const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
  if (!document) {
    void vscode.window.showErrorMessage('Reasonscope: open a *.problem.md file (or select a problem statement) to solve it.');
    return undefined;
  }
  const stem = path.basename(document.uri.path).replace(/\.md$/, '');
  const selection = !uri && editor && !editor.selection.isEmpty ? document.getText(editor.selection).trim() : '';
  if (selection) return { problem: { text: selection }, stem: `${stem}-selection`, document };
  try {
    return { problem: parseProblemFile(document.getText()), stem, document };
  } catch (err) {
    void vscode.window.showErrorMessage(`Reasonscope: ${path.basename(document.uri.path)}: ${(err as Error).message}`);
    return undefined;
  }
}

function runsFolder(ctx: ExtensionContext, uri: vscode.Uri, relative: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder && folder.uri.scheme === 'file') return path.resolve(folder.uri.fsPath, relative);
  return path.join(ctx.storageDir, 'runs');
}
