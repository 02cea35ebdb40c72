/** The CodeLens actions of a chain document (Branch here, Resample from here, Inject "Wait" here,
 * Find critical tokens in this step) and the heat toggle. Each action appends to the run file with
 * the run's model, behind the workspace-trust gate and a cancellable progress notification; the tree
 * shows the run and grows as events are written, and the document's annotations follow. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runReference } from '../../core/analysis/analyze';
import { findCriticalTokens, rankCriticalTokens } from '../../core/analysis/critical';
import { outcomeName, rolloutSettingsFor } from '../../core/analysis/rollouts';
import { isCancelled } from '../../core/model/errors';
import { branchRun, type BranchKind, type BranchResult } from '../../core/search/branch';
import type { RunRecorder } from '../../core/trace/recorder';
import { reopenEndedRun } from '../../core/search/startRun';
import { currentBackend, reportBackendError } from '../backend';
import type { ChainDoc, ChainDocuments } from '../chainDocuments';
import { readSettings } from '../config';
import type { ExtensionContext } from '../context';
import { requireTrust, warn } from '../liveRun';
import { HEAT_SETTING, STEP_COMMANDS } from './editor';

const BRANCH_TITLES: Record<BranchKind, string> = { branch: 'branching', resample: 'resampling', wait: 'injecting "Wait,"' };

export function registerChainCommands(ctx: ExtensionContext, chains: ChainDocuments): vscode.Disposable[] {
  const branch = (kind: BranchKind) => (uri: string, nodeId: string) => branchHere(ctx, chains, kind, uri, nodeId);
  return [
    vscode.commands.registerCommand(STEP_COMMANDS.branch, branch('branch')),
    vscode.commands.registerCommand(STEP_COMMANDS.resample, branch('resample')),
    vscode.commands.registerCommand(STEP_COMMANDS.wait, branch('wait')),
    vscode.commands.registerCommand(STEP_COMMANDS.critical, (uri: string, nodeId: string) => criticalTokens(ctx, chains, uri, nodeId)),
    vscode.commands.registerCommand('reasonscope.toggleTokenHeat', async () => {
      const config = vscode.workspace.getConfiguration();
      // Write where the value in effect comes from, or a workspace value would silently win.
      const set = config.inspect<boolean>(HEAT_SETTING);
      const target = set?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await config.update(HEAT_SETTING, config.get<boolean>(HEAT_SETTING) !== true, target);
    }),
  ];
}

interface StepTarget {
  doc: ChainDoc;
  file: string;
  title: string;
}

/** The document and step a lens was clicked on, when its run can be written to. */
async function stepTarget(chains: ChainDocuments, uri: string, nodeId: string): Promise<StepTarget | undefined> {
  if (!(await requireTrust())) return undefined;
  const doc = chains.get(vscode.Uri.parse(uri));
  const part = doc && chains.partOf(doc.uri, nodeId);
  if (!doc || !part) {
    void vscode.window.showWarningMessage('Reasonscope: this chain is no longer open; open it again from the tree.');
    return undefined;
  }
  if (!doc.run.file || doc.run.header.importedFrom) {
    void vscode.window.showInformationMessage('Reasonscope: this chain comes from an imported trace, which is read-only; only runs Reasonscope wrote can be continued.');
    return undefined;
  }
  return { doc, file: doc.run.file, title: part.title };
}

/** Runs `work` under a cancellable notification; the tree shows the run (from the file as it is now)
 * and every event `work` writes. */
async function inProgress<T>(ctx: ExtensionContext, target: StepTarget, title: string, work: (signal: AbortSignal, show: (recorder: RunRecorder) => void) => Promise<T>): Promise<T | undefined> {
  const show = (recorder: RunRecorder) => {
    const runId = recorder.header.runId;
    ctx.tree.show(recorder.header, recorder.events, path.basename(target.file), target.file);
    void ctx.tree.reveal();
    recorder.onEvent((event) => ctx.tree.append(runId, event));
  };
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reasonscope: ${title}`, cancellable: true }, async (_progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal, show);
    } catch (err) {
      if (isCancelled(err) || controller.signal.aborted) void vscode.window.showWarningMessage(`Reasonscope: ${title} cancelled; what was written so far stays in the run.`);
      else await reportBackendError(err, ctx.log);
      return undefined;
    } finally {
      cancel.dispose();
      ctx.tree.flush();
    }
  });
}

async function branchHere(ctx: ExtensionContext, chains: ChainDocuments, kind: BranchKind, uri: string, nodeId: string): Promise<void> {
  const target = await stepTarget(chains, uri, nodeId);
  if (!target) return;
  const result: BranchResult | undefined = await inProgress(ctx, target, `${BRANCH_TITLES[kind]} at ${target.title}`, (signal, show) =>
    branchRun(target.file, { kind, nodeId }, {
      backend: currentBackend(),
      signal,
      onReady: (recorder, notices) => {
        notices.forEach((n) => warn(ctx, n));
        show(recorder);
      },
    }));
  if (!result) return;
  if (result.failed) {
    void vscode.window.showWarningMessage(`Reasonscope: the branch ${result.lane} stopped: ${result.failed}`);
    return;
  }
  ctx.log.info(`${result.lane}: ${result.ids.length} steps from ${result.parent}${result.answer ? ` to ${result.answer}` : ''}`);
  // The new chain opens beside the one it branched from, to read them side by side.
  const run = ctx.tree.shown;
  const tip = result.answer ?? result.ids.at(-1);
  if (run?.header.runId === target.doc.run.header.runId && tip) await chains.open(run, tip, { viewColumn: vscode.ViewColumn.Beside });
}

async function criticalTokens(ctx: ExtensionContext, chains: ChainDocuments, uri: string, nodeId: string): Promise<void> {
  const target = await stepTarget(chains, uri, nodeId);
  if (!target) return;
  const settings = readSettings();
  const result = await inProgress(ctx, target, `finding critical tokens in ${target.title}`, async (signal, show) => {
    const { run: logged, recorder } = await reopenEndedRun(target.file, 'finding critical tokens in it');
    try {
      show(recorder);
      const chain = target.doc.chain.steps.map((p) => recorder.tree.nodes.get(p.node.id)).filter((n) => n !== undefined);
      // What the run's other analyses measured against: the gold answer, else the run's majority.
      const reference = runReference(recorder.tree);
      return await findCriticalTokens({
        backend: currentBackend(),
        problem: logged.header.problem,
        settings: rolloutSettingsFor(logged.header),
        ...(reference && { reference }),
        signal,
        chain,
        within: [nodeId],
        sink: recorder,
        options: { concurrency: settings.concurrency },
      });
    } finally {
      recorder.close();
    }
  });
  if (!result) return;
  const top = rankCriticalTokens(result.ranking)[0];
  const found = top
    ? `most critical "${top.token.trim()}" (criticality ${top.criticality.toFixed(2)}, ${outcomeName(top.reference)})`
    : 'no position had a likely alternative to sample';
  const stopped = result.stoppedBy ? `; stopped early: ${result.stoppedBy}` : '';
  void vscode.window.showInformationMessage(`Reasonscope: ${target.title}: ${result.ranking.length} positions probed with ${result.rollouts} rollouts; ${found}${stopped}.`);
}
