/** The Trajectory Tree webview view: keeps the run being shown (header + events) so a re-created
 * view can be refilled, forwards live events in small batches, and passes node clicks to the chain
 * documents and their cursor back (sync). */
import * as vscode from 'vscode';
import type { RunEvent, RunHeader } from '../core/trace/schema';
import { webviewHtml } from '../../webview/html';
import type { HostToWebview, WebviewToHost } from '../../webview/protocol';

export const TREE_VIEW_ID = 'reasonscope.tree';
const BATCH_MS = 50;

export interface ShownRun {
  header: RunHeader;
  events: RunEvent[];
  label: string;
  /** The run file on disk, when Reasonscope wrote it (so it can be continued); imported traces have none. */
  file?: string;
}

/** What the user does in the tree that reaches beyond it. */
export interface TreePanelActions {
  /** "Open chain as document" on a node. */
  openPath(run: ShownRun, nodeId: string): void;
  /** A node was selected (click or keyboard). */
  select(run: ShownRun, nodeId: string): void;
}

export class TreePanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private run: ShownRun | undefined;
  private pending: RunEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private highlighted: string | undefined;
  private selected: string | undefined;
  private readonly changed = new vscode.EventEmitter<ShownRun>();
  /** The run shown was replaced, or grew (once per batch). */
  readonly onDidChangeRun = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly actions: TreePanelActions,
  ) {}

  get shown(): ShownRun | undefined {
    return this.run;
  }

  /** The node last selected in the run shown, if any. */
  get selectedNode(): string | undefined {
    return this.selected;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    const uri = (...parts: string[]) => view.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
    view.webview.html = webviewHtml({
      cspSource: view.webview.cspSource,
      nonce: nonce(),
      scriptUri: uri('dist', 'webview.js'),
      styleUri: uri('media', 'webview.css'),
      katexStyleUri: uri('dist', 'katex', 'katex.min.css'),
    });
    this.disposables.push(
      view.webview.onDidReceiveMessage((m: WebviewToHost) => this.receive(m)),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  /** Shows a run (replacing the current one); later `append` calls grow it. */
  show(header: RunHeader, events: RunEvent[], label: string, file?: string): void {
    this.clearPending();
    this.highlighted = undefined;
    if (this.run?.header.runId !== header.runId) this.selected = undefined;
    this.run = { header, events: [...events], label, ...(file !== undefined && { file }) };
    this.post({ type: 'run', header, events: this.run.events, label });
    this.changed.fire(this.run);
  }

  append(runId: string, event: RunEvent): void {
    if (this.run?.header.runId !== runId) return;
    this.run.events.push(event);
    this.pending.push(event);
    this.flushTimer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  /** Sends buffered events now (end of a run, so the final state is never left waiting). */
  flush(): void {
    this.clearTimer();
    if (!this.run || this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    this.post({ type: 'events', runId: this.run.header.runId, events });
    this.changed.fire(this.run);
  }

  /** Marks the node the cursor of a chain document is in (undefined: none), if its run is shown. */
  highlight(runId: string, nodeId: string | undefined): void {
    if (this.run?.header.runId !== runId || this.highlighted === nodeId) return;
    this.highlighted = nodeId;
    this.post({ type: 'highlight', runId, nodeId: nodeId ?? null });
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${TREE_VIEW_ID}.focus`);
  }

  private receive(message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.pending = [];
        this.post(this.run
          ? { type: 'run', header: this.run.header, events: this.run.events, label: this.run.label }
          : { type: 'empty', message: 'Open a *.problem.md file and run "Reasonscope: Solve Problem", or open a .run.jsonl file with "Reasonscope: Open Run".' });
        if (this.run && this.highlighted) this.post({ type: 'highlight', runId: this.run.header.runId, nodeId: this.highlighted });
        return;
      case 'openPath':
        if (this.run?.header.runId === message.runId) this.actions.openPath(this.run, message.nodeId);
        return;
      case 'select':
        if (this.run?.header.runId !== message.runId) return;
        this.selected = message.nodeId;
        this.actions.select(this.run, message.nodeId);
        return;
      case 'error':
        this.log.error(`Trajectory tree view: ${message.message}`);
        return;
    }
  }

  private post(message: HostToWebview): void {
    // Before `ready` the webview would drop messages; it asks for the current run when it loads.
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  private clearTimer(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private clearPending(): void {
    this.clearTimer();
    this.pending = [];
  }

  dispose(): void {
    this.clearPending();
    for (const d of this.disposables) d.dispose();
  }
}

function nonce(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[+/=]/g, '');
}
