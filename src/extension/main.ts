/** Extension entry: wires commands, the tree view, the status bar and the language client. All
 * behaviour lives in the engine (src/core); this layer is glue. */
import * as vscode from 'vscode';
import { COMMANDS } from '../server/protocol';
import { registerChainCommands } from './annotations/commands';
import { ChainAnnotator } from './annotations/editor';
import { openBenchmarkProblem } from './benchmarks';
import { ChainDocuments, CHAIN_SCHEME } from './chainDocuments';
import { RunHistory, type ExtensionContext } from './context';
import { estimateDifficulty } from './difficulty';
import { ProblemLanguageClient } from './languageClient';
import { createStatusItem, pickModel, pullModel } from './models';
import type { ProblemTarget } from './problemSource';
import { resumeRunFile } from './resume';
import { openLastRun, openRun } from './runs';
import { searchProblem } from './search';
import { solveProblem } from './solve';
import { openTraceFile } from './traces';
import { TREE_VIEW_ID, TreePanel } from './treePanel';

let client: ProblemLanguageClient | undefined;

/** The problem a command is for: a file as menus pass it (a Uri) or as the language server's lenses do
 * (the URI's string), and from a problem set's lenses the record's 1-based line. Menus pass other things
 * second (the selected resources), so only a positive integer is a line. */
function targetArg(uri: unknown, line: unknown): ProblemTarget | undefined {
  const file = uri instanceof vscode.Uri ? uri : typeof uri === 'string' && uri ? vscode.Uri.parse(uri) : undefined;
  return file && { uri: file, ...(typeof line === 'number' && Number.isInteger(line) && line > 0 && { line }) };
}

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Reasonscope', { log: true });
  const chains = new ChainDocuments(log);
  // Clicks in the tree come as messages, not commands: their failures are said here.
  const failed = (what: string, err: Error) => {
    log.error(`cannot ${what}: ${err.message}`);
    void vscode.window.showErrorMessage(`Reasonscope: cannot ${what} — ${err.message}`);
  };
  const tree = new TreePanel(context.extensionUri, log, {
    openPath: (run, nodeId) => void chains.open(run, nodeId).catch((err: Error) => failed('open the chain', err)),
    select: (run, nodeId) => void chains.showNode(run, nodeId).catch((err: Error) => failed('show the step', err)),
  });
  const status = createStatusItem();
  const runs = new RunHistory(context.workspaceState);
  const problems = new ProblemLanguageClient(context, log, () => runs.all());
  client = problems;
  const ctx: ExtensionContext = {
    log,
    tree,
    runs,
    storageDir: context.globalStorageUri.fsPath,
    refreshStatus: status.refresh,
    sendRunResults: (results) => problems.sendRunResults(results),
  };
  context.subscriptions.push(
    log,
    tree,
    chains,
    new ChainAnnotator(context.extensionUri, chains),
    ...registerChainCommands(ctx, chains),
    // The tree and the chain documents in step: documents follow the run as it grows, the cursor's
    // step is marked in the tree (a click in the tree reveals its text: `showNode` above).
    tree.onDidChangeRun((run) => chains.update(run)),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      const at = e.kind === undefined ? undefined : chains.nodeAt(e.textEditor.document, e.selections[0].active);
      if (at) tree.highlight(at.runId, at.nodeId);
    }),
    status.item,
    vscode.window.registerWebviewViewProvider(TREE_VIEW_ID, tree),
    vscode.workspace.registerTextDocumentContentProvider(CHAIN_SCHEME, chains),
    vscode.commands.registerCommand(COMMANDS.solve, (uri?: unknown, line?: unknown) => solveProblem(ctx, targetArg(uri, line))),
    vscode.commands.registerCommand(COMMANDS.search, (uri?: unknown, line?: unknown) => searchProblem(ctx, context.workspaceState, targetArg(uri, line))),
    vscode.commands.registerCommand(COMMANDS.estimateDifficulty, (uri?: unknown, line?: unknown) => estimateDifficulty(ctx, targetArg(uri, line))),
    vscode.commands.registerCommand(COMMANDS.openLastRun, (uri?: unknown, line?: unknown) => openLastRun(ctx, targetArg(uri, line))),
    vscode.commands.registerCommand(COMMANDS.openBenchmarkProblem, (file?: unknown, line?: unknown) => openBenchmarkProblem(file, line)),
    vscode.commands.registerCommand('reasonscope.resumeRun', (uri?: vscode.Uri) => resumeRunFile(ctx, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('reasonscope.openRun', (uri?: vscode.Uri) => openRun(ctx, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('reasonscope.openTrace', (uri?: vscode.Uri) => openTraceFile(ctx, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('reasonscope.openChain', () => {
      const run = tree.shown;
      if (run) return chains.openChain(run, tree.selectedNode);
      void vscode.window.showInformationMessage('Reasonscope: open a run or a trace file first; its chain then opens as a document.');
    }),
    vscode.commands.registerCommand('reasonscope.selectModel', () => pickModel(ctx)),
    vscode.commands.registerCommand('reasonscope.pullModel', (name?: string) => pullModel(ctx, typeof name === 'string' ? name : undefined)),
    vscode.commands.registerCommand('reasonscope.showLog', () => log.show()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('reasonscope.model') || e.affectsConfiguration('reasonscope.host')) status.refresh();
    }),
  );
  status.refresh();
  problems.start();
  log.info(`Reasonscope ${context.extension.packageJSON.version} activated`);
}

export async function deactivate(): Promise<void> {
  await client?.dispose();
  client = undefined;
}
