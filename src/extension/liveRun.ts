/** What Solve, Search…, Resume Run and Estimate Difficulty share: the workspace-trust gate, a progress
 * notification whose Cancel aborts the streams (the partial run stays on disk), live growth in the
 * tree, the problem's last-run result for the language server, and the message that says how the run
 * ended. */
import * as vscode from 'vscode';
import type { ModelBackend } from '../core/model/types';
import { executeRun } from '../core/search/run';
import type { PreparedRun } from '../core/search/startRun';
import { strategyNamed } from '../core/search/strategies';
import type { RunEndedEvent, RunEvent } from '../core/trace/schema';
import type { RunTree } from '../core/trace/tree';
import { reportBackendError } from './backend';
import type { ExtensionContext } from './context';
import type { ProblemTarget } from './problemSource';
import { problemRunResult } from './problems/runResult';
import { runSummary } from './runSummary';

/** Generation sends problem text to a server: only from a trusted workspace. */
export async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const pick = await vscode.window.showWarningMessage(
    'Reasonscope sends problem text to the model server only from a trusted workspace. Trust this workspace to solve problems.',
    'Manage Workspace Trust',
  );
  if (pick) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/** Something the user should know that does not stop the run. */
export function warn(ctx: ExtensionContext, message: string): void {
  ctx.log.warn(message);
  void vscode.window.showWarningMessage(`Reasonscope: ${message}`);
}

export interface LiveRun {
  /** The progress notification's title. */
  title: string;
  /** How the tree panel names the run. */
  label: string;
  backend: ModelBackend;
  outFile: string;
  /** Checks the server and opens the run file (a new run, or a stopped one to continue). */
  prepare(signal: AbortSignal): Promise<PreparedRun>;
  /** The problem (file or problem-set record), so its last run can be found again. */
  problem?: ProblemTarget;
  /** false: the caller says how a completed run went (Estimate Difficulty's estimate). */
  announceCompletion?: boolean;
}

export interface RunOutcome {
  tree: RunTree;
  ended: RunEndedEvent;
}

/** The run's outcome, or undefined when it could not start or run (the error is reported). */
export async function runLive(ctx: ExtensionContext, run: LiveRun): Promise<RunOutcome | undefined> {
  // The progress notification closes when the run ends; the outcome is reported after it, so the
  // two never stand on screen together.
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: run.title, cancellable: true },
    async (progress, token): Promise<RunOutcome & { summary: string } | { error: unknown }> => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        const prepared = await run.prepare(controller.signal);
        const { recorder } = prepared;
        for (const notice of prepared.notices) warn(ctx, notice);
        ctx.tree.show(recorder.header, recorder.events, run.label, run.outFile);
        void ctx.tree.reveal();
        const meter = new ProgressMeter(recorder.header.strategy.params);
        recorder.onEvent((event, tree) => {
          ctx.tree.append(recorder.header.runId, event);
          const step = meter.update(event, tree);
          if (step) progress.report(step);
          if (event.type === 'warning') ctx.log.warn(event.message);
          if (event.type === 'sample_failed') ctx.log.error(`${event.sample === undefined ? event.lane ?? 'a request' : `chain ${event.sample + 1}`}: ${event.message}`);
        });
        const ended = await executeRun(run.backend, recorder, prepared.spec, controller.signal).finally(() => {
          recorder.close();
          ctx.tree.flush();
        });
        const problem = run.problem ? { uri: run.problem.uri.toString(), line: run.problem.line } : ctx.runs.problemOf(run.outFile);
        if (problem) {
          const result = problemRunResult(recorder.tree, ended, { ...problem, runFile: run.outFile, finishedAt: new Date() });
          await ctx.runs.remember(result);
          ctx.sendRunResults([result]);
        }
        const summary = runSummary(recorder.tree, ended, strategyNamed(recorder.header.strategy.name).title);
        ctx.log.info(`Run ${ended.status}: ${summary}; ${ended.totals.completionTokens} tokens in ${(ended.totals.wallMs / 1000).toFixed(1)}s; saved to ${run.outFile}`);
        return { tree: recorder.tree, ended, summary };
      } catch (error) {
        return { error };
      } finally {
        cancel.dispose();
      }
    },
  );
  if ('error' in outcome) {
    await reportBackendError(outcome.error, ctx.log);
    return undefined;
  }
  const { tree, ended, summary } = outcome;
  const openFile = 'Open Run File';
  const resume = 'Resume';
  let pick: string | undefined;
  if (ended.status === 'completed') {
    if (run.announceCompletion !== false) pick = await vscode.window.showInformationMessage(`Reasonscope: ${summary}.`, openFile);
  } else if (ended.status === 'cancelled') pick = await vscode.window.showWarningMessage(`Reasonscope: cancelled; the partial run is saved (${summary}).`, resume, openFile);
  else pick = await vscode.window.showErrorMessage(`Reasonscope: the run failed: ${ended.error}`, resume, openFile, 'Show Log');
  if (pick === openFile) await vscode.window.showTextDocument(vscode.Uri.file(run.outFile));
  else if (pick === resume) await vscode.commands.executeCommand('reasonscope.resumeRun', vscode.Uri.file(run.outFile));
  else if (pick === 'Show Log') ctx.log.show();
  return { tree, ended };
}

/** Turns run events into notification progress. Strategies that declare `iterations` (MCTS) advance
 * per backed-up iteration, those that declare `n` per finished chain; anything else shows activity
 * without a percentage. Counts come from the tree, so a resumed run starts where it stopped. */
class ProgressMeter {
  private percent = 0;

  constructor(private readonly params: Record<string, unknown>) {}

  update(event: RunEvent, tree: RunTree): { increment?: number; message: string } | undefined {
    if (event.type !== 'answer_extracted' && event.type !== 'sample_failed' && event.type !== 'mcts_backup') return undefined;
    const { iterations, n } = this.params;
    let fraction: number | undefined;
    let message: string;
    const done = finishedChains(tree);
    if (typeof iterations === 'number' && iterations > 0) {
      const k = tree.iterations ?? 0;
      fraction = k / iterations;
      message = `iteration ${k}/${iterations} · ${done} ${done === 1 ? 'answer' : 'answers'}`;
    } else {
      if (typeof n === 'number' && n > 0) fraction = done / n;
      message = typeof n === 'number' ? `${done}/${n} chains` : `${done} chains`;
      if (event.type !== 'mcts_backup') message += ` · last: ${event.type === 'answer_extracted' ? (event.raw ?? 'no answer') : 'failed'}`;
    }
    if (fraction === undefined) return { message };
    const percent = Math.min(100, Math.floor(fraction * 100));
    const increment = Math.max(0, percent - this.percent);
    this.percent = Math.max(this.percent, percent);
    return { increment, message };
  }
}

/** Chains that ended: with an answer leaf, without an answer, or failed. */
function finishedChains(tree: RunTree): number {
  let done = tree.failures.length;
  for (const node of tree.nodes.values()) if (node.answer) done++;
  return done;
}
