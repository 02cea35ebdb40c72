/** A real LSP client for the problem-file language server: spawns `src/server/main.ts` over stdio (no
 * build needed) and speaks JSON-RPC through vscode-jsonrpc, as an editor would — initialize with the
 * capabilities a test picks, answer `workspace/configuration`, open and edit documents incrementally. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { InitializationOptions } from '../../src/server/protocol';

const ROOT = path.resolve(__dirname, '../..');

/** What VS Code 1.9x announces for the features the server offers (pull diagnostics included). */
export const PULL_CLIENT: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
    codeLens: {},
    inlayHint: {},
    foldingRange: { lineFoldingOnly: true, rangeLimit: 5000 },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    diagnostics: { refreshSupport: true },
    codeLens: { refreshSupport: true },
    inlayHint: { refreshSupport: true },
    workspaceFolders: true,
  },
};

/** An older or simpler editor: diagnostics are pushed, no configuration requests, no refreshes. */
export const PUSH_CLIENT: ClientCapabilities = {
  textDocument: {
    synchronization: {},
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    hover: { contentFormat: ['markdown'] },
    completion: { completionItem: { snippetSupport: true } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  initializationOptions?: InitializationOptions;
  /** The `reasonscope.problems` section returned to `workspace/configuration`. */
  settings?: unknown;
  workspaceFolder?: string;
}

/** Resolves when a value arrives that the predicate accepts (or one that already arrived last did). */
class Watch<T> {
  private last: T | undefined;
  private waiters: { accept: (v: T) => boolean; resolve: (v: T) => void }[] = [];

  push(value: T): void {
    this.last = value;
    this.waiters = this.waiters.filter((w) => (w.accept(value) ? (w.resolve(value), false) : true));
  }

  next(accept: (v: T) => boolean, alsoLast: boolean): Promise<T> {
    if (alsoLast && this.last !== undefined && accept(this.last)) return Promise.resolve(this.last);
    return new Promise((resolve) => this.waiters.push({ accept, resolve }));
  }
}

export class LspClient {
  readonly documents = new Map<string, TextDocument>();
  /** Server → client requests and notifications by method, in arrival order (for assertions). */
  readonly received: { method: string; params: unknown }[] = [];
  settings: unknown;
  stderr = '';
  private readonly diagnostics = new Map<string, Watch<PublishDiagnosticsParams>>();
  private readonly events = new Watch<{ method: string; params: unknown }>();

  initializeResult!: InitializeResult;

  private constructor(readonly process: ChildProcess, readonly connection: MessageConnection) {}

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    client.settings = options.settings;
    child.stderr!.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      client.record('workspace/configuration', params);
      return params.items.map((item) => (item.section === 'reasonscope.problems' ? client.settings ?? null : null));
    });
    for (const method of ['client/registerCapability', 'workspace/inlayHint/refresh', 'workspace/codeLens/refresh', 'workspace/diagnostic/refresh', 'window/showMessageRequest']) {
      connection.onRequest(method, (params: unknown) => {
        client.record(method, params);
        return null;
      });
    }
    connection.onNotification((method: string, params: unknown) => client.record(method, params));
    connection.listen();
    const folder = options.workspaceFolder;
    client.initializeResult = await connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: folder ? pathUri(folder) : null,
      workspaceFolders: folder ? [{ uri: pathUri(folder), name: path.basename(folder) }] : null,
      capabilities: options.capabilities ?? PULL_CLIENT,
      initializationOptions: options.initializationOptions ?? { benchmarks: [] },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private record(method: string, params: unknown): void {
    this.received.push({ method, params });
    if (method === 'textDocument/publishDiagnostics') {
      const p = params as PublishDiagnosticsParams;
      this.watchOf(p.uri).push(p);
    }
    this.events.push({ method, params });
  }

  private watchOf(uri: string): Watch<PublishDiagnosticsParams> {
    let w = this.diagnostics.get(uri);
    if (!w) this.diagnostics.set(uri, (w = new Watch()));
    return w;
  }

  /** The next server → client message with this method (requests and notifications alike). */
  nextEvent(method: string): Promise<unknown> {
    return this.events.next((e) => e.method === method, false).then((e) => e.params);
  }

  /** Pushed diagnostics for the document's current version (push clients). */
  pushedDiagnostics(uri: string): Promise<PublishDiagnosticsParams> {
    const version = () => this.documents.get(uri)?.version;
    return this.watchOf(uri).next((p) => p.version === version(), true);
  }

  /** Pushed diagnostics accepted by `accept`, e.g. the empty list sent when a document closes. */
  pushedDiagnosticsWhere(uri: string, accept: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    return this.watchOf(uri).next(accept, true);
  }

  async open(uri: string, text: string, languageId = 'math-problem'): Promise<TextDocument> {
    const document = TextDocument.create(uri, languageId, 1, text);
    this.documents.set(uri, document);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return document;
  }

  /** Incremental edits, applied in order (as LSP reads them) to the local copy too. */
  async change(uri: string, edits: { range: Range; text: string }[]): Promise<TextDocument> {
    const document = this.doc(uri);
    const changes: TextDocumentContentChangeEvent[] = edits.map((e) => ({ range: e.range, text: e.text }));
    TextDocument.update(document, changes, document.version + 1);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: document.version }, contentChanges: changes });
    return document;
  }

  /** Replaces the text between two offsets of the current text. */
  replace(uri: string, start: number, end: number, text: string): Promise<TextDocument> {
    const document = this.doc(uri);
    return this.change(uri, [{ range: { start: document.positionAt(start), end: document.positionAt(end) }, text }]);
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  doc(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }

  /** The position of the `occurrence`-th match of `needle` in the document, plus `delta` characters. */
  positionOf(uri: string, needle: string, delta = 0, occurrence = 1): Position {
    const text = this.doc(uri).getText();
    let at = -1;
    for (let i = 0; i < occurrence; i++) at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} not in ${uri}`);
    return this.doc(uri).positionAt(at + delta);
  }

  request<R>(method: string, params: unknown, token?: CancellationTokenSource): Promise<R> {
    // A trailing `undefined` would be sent as a second positional parameter.
    return token ? this.connection.sendRequest<R>(method, params, token.token) : this.connection.sendRequest<R>(method, params);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** shutdown + exit, as an editor closes the server; resolves with the process's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.process.exitCode !== null) resolve(this.process.exitCode);
      else this.process.once('exit', (code) => resolve(code));
    });
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  /** For tests that end without a clean shutdown (a failed assertion): never leave a server behind. */
  kill(): void {
    if (this.process.exitCode === null) this.process.kill();
    this.connection.dispose();
  }
}

export function pathUri(file: string): string {
  return pathToFileURL(path.resolve(file)).href;
}

export { CancellationTokenSource };
