/** Starts the problem-file language server (dist/server.js) over IPC and tells it what the extension
 * knows that it cannot: where MATH-500 is, and the last run of each problem file. */
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { PROBLEM_RUN_RESULTS, type InitializationOptions, type ProblemRunResult, type ProblemRunResultsParams } from '../server/protocol';

export class ProblemLanguageClient implements vscode.Disposable {
  private readonly client: LanguageClient;

  /** `remembered` gives every problem's last run, sent whenever the server (re)starts. */
  constructor(context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel, remembered: () => ProblemRunResult[]) {
    const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
    const server: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const initializationOptions: InitializationOptions = {
      benchmarks: [{ name: 'MATH-500', path: vscode.Uri.joinPath(context.extensionUri, 'media', 'samples', 'math500.jsonl').fsPath }],
    };
    const options: LanguageClientOptions = {
      // Any JSONL may be a problem set: the server tells them from traces and runs by content.
      documentSelector: [
        { scheme: 'file', language: 'math-problem' },
        { scheme: 'untitled', language: 'math-problem' },
        { scheme: 'file', language: 'jsonl' },
        { scheme: 'file', pattern: '**/*.jsonl' },
      ],
      initializationOptions,
      outputChannel: log,
    };
    this.client = new LanguageClient('reasonscope.problems', 'Reasonscope Problems', server, options);
    this.client.onDidChangeState((e) => {
      if (e.newState === State.Running) this.sendRunResults(remembered());
    });
  }

  start(): void {
    this.client.start().catch((err: unknown) => this.log.error(`The problem-file language server did not start: ${String(err)}`));
  }

  /** Dropped while the server is not running: it gets them all when it (re)starts. */
  sendRunResults(results: ProblemRunResult[]): void {
    if (!this.client.isRunning() || results.length === 0) return;
    const params: ProblemRunResultsParams = { results };
    this.client.sendNotification(PROBLEM_RUN_RESULTS, params).catch((err: unknown) => this.log.warn(`Could not send run results to the language server: ${String(err)}`));
  }

  async dispose(): Promise<void> {
    await this.client.stop();
  }
}
