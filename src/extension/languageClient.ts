/** Starts the problem-file language server (dist/server.js) over IPC. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export function startLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const server: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const client: LanguageClientOptions = {
    documentSelector: [{ language: 'math-problem' }],
    outputChannel: log,
  };
  const languageClient = new LanguageClient('reasonscope.problems', 'Reasonscope Problems', server, client);
  languageClient.start().catch((err: unknown) => log.error(`The problem-file language server did not start: ${String(err)}`));
  return languageClient;
}
