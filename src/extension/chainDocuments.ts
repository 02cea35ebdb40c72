/** Read-only documents for chains of the tree, under the `reasonscope-chain:` scheme so they are
 * never mistaken for files on disk. Each keeps its run's replayed tree, and follows the run as it
 * grows (a live run, a branch, an analysis): the text when a step of the chain changes or the chain
 * goes on, the annotations when an analysis lands on one of its steps. The layout and everything
 * drawn on it come from the pure modules in ./annotations. */
import * as vscode from 'vscode';
import { principalChain } from '../core/analysis/analyze';
import type { RunEvent, RunHeader } from '../core/trace/schema';
import { applyEvent, replay, type RunTree, type TreeNode } from '../core/trace/tree';
import { AnnotatedChain } from './annotations/annotatedChain';
import { chainPath, layoutChain, type ChainPart } from './annotations/chainLayout';
import { detectSelfCorrections, type DetectedSelfCorrections } from './annotations/detect';
import type { ShownRun } from './treePanel';

export const CHAIN_SCHEME = 'reasonscope-chain';

interface LoadedRun {
  header: RunHeader;
  /** The run's events as the tree view holds them (it grows). */
  events: RunEvent[];
  tree: RunTree;
  /** Events of the run applied to `tree` so far. */
  applied: number;
  file?: string;
  /** Self-correction points found in the run's text, for chains no analysis has logged; as of
   * `detectedAt` events. */
  detected?: DetectedSelfCorrections;
  detectedAt?: number;
  detecting?: NodeJS.Timeout;
}

/** A growing run is looked at again for self-corrections at most this often. */
const REDETECT_MS = 500;

export interface ChainDoc {
  uri: vscode.Uri;
  run: LoadedRun;
  /** The chain's last node when it was opened; the chain is laid out through it. */
  tip: string;
  /** Replaced (never changed in place) when the run grows, so what is computed from it can be cached by identity. */
  chain: AnnotatedChain;
}

export class ChainDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly runs = new Map<string, LoadedRun>();
  private readonly docs = new Map<string, ChainDoc>();
  private readonly textChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly chainChanged = new vscode.EventEmitter<ChainDoc>();
  readonly onDidChange = this.textChanged.event;
  /** A chain's annotations changed, its text did not (an analysis landed on one of its steps). */
  readonly onDidChangeChain = this.chainChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.textChanged, this.chainChanged];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString())?.chain.layout.text ?? 'This chain is no longer in memory; open its run again.';
  }

  get(uri: vscode.Uri): ChainDoc | undefined {
    return this.docs.get(uri.toString());
  }

  /** Opens the chain through `nodeId` (on down while it does not branch), the cursor at the node's text. */
  async open(run: ShownRun, nodeId: string, show: vscode.TextDocumentShowOptions = {}): Promise<vscode.TextEditor | undefined> {
    const loaded = this.load(run);
    const tip = chainPath(loaded.tree, nodeId).at(-1);
    if (!tip) return undefined;
    const uri = vscode.Uri.from({ scheme: CHAIN_SCHEME, path: `/${run.header.runId}/${docName(tip)}.md` });
    if (!this.docs.has(uri.toString())) {
      this.docs.set(uri.toString(), this.build(uri, loaded, tip.id));
      this.detectLater(loaded);
    }
    // The `.md` path makes it Markdown: step headers are headings (Go to Symbol lists them).
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: true, ...show });
    this.reveal(editor, nodeId);
    return editor;
  }

  /** Opens the chain through `nodeId`, or else the run's principal chain (through the strategy's
   * choice, or the first written): how an imported trace is read as text in one step. */
  async openChain(run: ShownRun, nodeId?: string): Promise<void> {
    const loaded = this.load(run);
    const id = nodeId !== undefined && loaded.tree.nodes.has(nodeId) ? nodeId : principalChain(loaded.tree).leaf.id;
    await this.open(run, id);
  }

  /** A node was clicked in the tree: a visible document of its run shows it, the chain through it
   * replacing a document that lacks it. Nothing opens when no document of the run is visible. */
  async showNode(run: ShownRun, nodeId: string): Promise<void> {
    const visible = vscode.window.visibleTextEditors.filter((e) => this.get(e.document.uri)?.run.header.runId === run.header.runId);
    const holding = visible.find((e) => this.partOf(e.document.uri, nodeId));
    if (holding) this.reveal(holding, nodeId);
    else if (visible[0]) await this.open(run, nodeId, { viewColumn: visible[0].viewColumn, preserveFocus: true });
  }

  /** The run and node at `position` of a chain document (the step the cursor is in). */
  nodeAt(document: vscode.TextDocument, position: vscode.Position): { runId: string; nodeId: string } | undefined {
    const doc = this.get(document.uri);
    const part = doc?.chain.partAt(document.offsetAt(position));
    return doc && part && { runId: doc.run.header.runId, nodeId: part.node.id };
  }

  partOf(uri: vscode.Uri, nodeId: string): ChainPart | undefined {
    return this.get(uri)?.chain.layout.parts.find((p) => p.node.id === nodeId);
  }

  /** The run view was replaced or grew: bring that run's documents up to date. */
  update(run: ShownRun): void {
    const loaded = this.runs.get(run.header.runId);
    if (!loaded || run.events.length <= loaded.applied) return;
    const touched = new Set<string>();
    for (const event of run.events.slice(loaded.applied)) {
      applyEvent(loaded.tree, event);
      if ('id' in event && event.id !== undefined) touched.add(event.id);
      if (event.type === 'node_added' && event.parent !== null) touched.add(event.parent);
    }
    loaded.applied = run.events.length;
    loaded.events = run.events;
    loaded.file ??= run.file;
    this.rebuild(loaded, (doc) => doc.chain.layout.parts.some((p) => touched.has(p.node.id)));
    this.detectLater(loaded);
  }

  /** Lays out again the run's documents that `affected` picks, and tells the editor what changed. */
  private rebuild(run: LoadedRun, affected: (doc: ChainDoc) => boolean): void {
    for (const doc of this.docs.values()) {
      if (doc.run !== run || !affected(doc)) continue;
      const next = this.build(doc.uri, run, doc.tip);
      this.docs.set(doc.uri.toString(), next);
      // New text reaches the editor as a document change, which redraws everything on it.
      if (next.chain.layout.text !== doc.chain.layout.text) this.textChanged.fire(doc.uri);
      else this.chainChanged.fire(next);
    }
  }

  /** Finds self-corrections in the run when a document of it has none logged, off the path of
   * opening it (the document is drawn first, the points join it when found). */
  private detectLater(run: LoadedRun): void {
    if (run.detecting || run.detectedAt === run.applied) return;
    if (![...this.docs.values()].some((d) => d.run === run && !d.chain.logged)) return;
    run.detecting = setTimeout(() => {
      const at = run.applied;
      detectSelfCorrections(run.header, run.events.slice(0, at))
        .then((found) => {
          run.detected = found;
          run.detectedAt = at;
          this.rebuild(run, (doc) => !doc.chain.logged);
        })
        .catch((err: unknown) => this.log.error(`Finding self-corrections in run ${run.header.runId}: ${(err as Error).message}`))
        .finally(() => {
          run.detecting = undefined;
          if (run.applied > at && this.runs.get(run.header.runId) === run) this.detectLater(run);
        });
    }, run.detected ? REDETECT_MS : 0);
  }

  private load(run: ShownRun): LoadedRun {
    let loaded = this.runs.get(run.header.runId);
    // Imported runs are named by base name and record (`gsm8k.json#3`): another file of the same name
    // is another run, not more of this one.
    if (loaded && (loaded.file !== run.file || loaded.header.createdAt !== run.header.createdAt || loaded.header.problem.text !== run.header.problem.text)) {
      loaded = undefined;
    }
    if (loaded) this.update(run);
    else {
      loaded = { header: run.header, events: run.events, tree: replay(run.header, run.events), applied: run.events.length, ...(run.file !== undefined && { file: run.file }) };
      this.runs.set(run.header.runId, loaded);
    }
    return loaded;
  }

  private build(uri: vscode.Uri, run: LoadedRun, tip: string): ChainDoc {
    const layout = layoutChain(run.tree, chainPath(run.tree, tip));
    return { uri, run, tip, chain: new AnnotatedChain(run.tree, layout, run.detected) };
  }

  /** Puts the cursor at the start of the node's text and scrolls its header and text into view. A
   * selection would hide the decorations under it; the cursor's line highlight shows the place. */
  private reveal(editor: vscode.TextEditor, nodeId: string): void {
    const part = this.partOf(editor.document.uri, nodeId);
    if (!part) return;
    const { document } = editor;
    const start = document.positionAt(part.textStart);
    editor.selection = new vscode.Selection(start, start);
    editor.revealRange(new vscode.Range(document.positionAt(part.headerStart), document.positionAt(part.textEnd)), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** A closed document is dropped; its run too, once no open document shows it. */
  private forget(uri: vscode.Uri): void {
    const doc = this.docs.get(uri.toString());
    if (!doc) return;
    this.docs.delete(uri.toString());
    if (![...this.docs.values()].some((d) => d.run === doc.run)) {
      clearTimeout(doc.run.detecting);
      this.runs.delete(doc.run.header.runId);
    }
  }

  dispose(): void {
    for (const run of this.runs.values()) clearTimeout(run.detecting);
    for (const d of this.disposables) d.dispose();
  }
}

/** `chain-3-s2.answer`: the chain's number when it has one, and its last node. */
function docName(tip: TreeNode): string {
  return tip.sample === undefined ? tip.id : `chain-${tip.sample + 1}-${tip.id}`;
}
