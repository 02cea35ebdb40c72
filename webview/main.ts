/** Entry point of the trajectory-tree webview: receives run events from the extension, replays them
 * and keeps the header, legend, tree and detail panel in step. It never talks to a model server. */
import type { HostToWebview, WebviewToHost } from './protocol';
import { hideDetail, renderDetail } from './detail';
import { byId, h } from './dom';
import { renderHeader } from './header';
import { renderKey } from './key';
import { renderLegend } from './legend';
import { RunModel } from './runModel';
import { iterationCut, Scrubber } from './scrubber';
import { TreeView } from './treeView';
import { ViewStateStore, type StateApi } from './viewState';

declare function acquireVsCodeApi(): StateApi & { postMessage(message: WebviewToHost): void };

const vscode = acquireVsCodeApi();
const store = new ViewStateStore(vscode);
const headerEl = byId('run-header');
const legendEl = byId('legend');
const keyEl = byId('key');
const detailEl = byId('detail');
const messageEl = byId('message');
const toolbarEl = byId('toolbar');

let model: RunModel | undefined;
/** What the tree draws: the whole run, or the run as it stood at the scrubber's iteration. */
let shown: RunModel | undefined;
let selectedId: string | undefined;

const scrubber = new Scrubber(byId('scrubber'), (k) => guarded(() => {
  if (!model) return;
  shown = k === undefined ? model : model.at(iterationCut(model.events, k));
  renderShown(false);
  showDetail();
}));

const view = new TreeView(byId<SVGSVGElement>('tree-svg'), byId('tooltip'), {
  select: (id) => guarded(() => select(id)),
  userTransform: (t) => {
    if (model) store.update(model.runId, { transform: t });
  },
});

/** The header always tells the whole run; a scrubbed view keeps its iteration while the run grows
 * (the log only grows at the end, so the replayed prefix stays what it was). */
function renderAll(grew: boolean): void {
  if (!model) return;
  renderHeader(headerEl, model);
  scrubber.update(model.tree.iterations);
  if (scrubber.shown === undefined) shown = model;
  renderShown(grew);
}

function renderShown(grew: boolean): void {
  if (!shown) return;
  renderKey(keyEl, shown);
  renderLegend(legendEl, shown);
  view.render(shown, selectedId, grew && shown === model);
}

function showDetail(): void {
  const node = selectedId === undefined ? undefined : shown?.node(selectedId);
  if (!model || !shown || !node) return hideDetail(detailEl);
  const runId = model.runId;
  renderDetail(detailEl, shown, node, {
    openPath: (nodeId) => vscode.postMessage({ type: 'openPath', runId, nodeId }),
    close: () => select(undefined),
  });
}

function select(id: string | undefined): void {
  if (!model) return;
  selectedId = id;
  if (id !== undefined) vscode.postMessage({ type: 'select', runId: model.runId, nodeId: id });
  store.update(model.runId, { selected: id });
  if (shown) view.render(shown, selectedId, false);
  showDetail();
}

function showMessage(kind: 'empty' | 'error', ...lines: string[]): void {
  messageEl.className = `message message-${kind}`;
  messageEl.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  messageEl.replaceChildren(...lines.map((line, i) => h('p', { class: i === 0 ? 'message-main' : 'message-hint' }, line)));
  messageEl.hidden = false;
}

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'run': {
      model = new RunModel(message.header, message.events, message.label);
      scrubber.reset();
      const saved = store.get(model.runId);
      selectedId = saved.selected !== undefined && model.node(saved.selected) ? saved.selected : undefined;
      messageEl.hidden = true;
      toolbarEl.hidden = false;
      view.clear();
      renderAll(false);
      if (saved.transform) view.restoreTransform(saved.transform);
      else view.fit(false);
      showDetail();
      return;
    }
    case 'events': {
      if (!model || message.runId !== model.runId) return;
      model.append(message.events);
      renderAll(true);
      // Refresh the panel only when its node changed, so reading it is not interrupted.
      if (message.events.some((e) => 'id' in e && e.id === selectedId)) showDetail();
      return;
    }
    case 'highlight': {
      if (model && message.runId === model.runId) view.highlight(message.nodeId ?? undefined);
      return;
    }
    case 'empty': {
      model = undefined;
      shown = undefined;
      selectedId = undefined;
      view.clear();
      headerEl.replaceChildren();
      legendEl.replaceChildren();
      legendEl.hidden = true;
      keyEl.hidden = true;
      scrubber.reset();
      scrubber.update(undefined);
      toolbarEl.hidden = true;
      hideDetail(detailEl);
      showMessage('empty', message.message, 'Runs appear here as a tree while they generate.');
      return;
    }
  }
}

function reportError(err: unknown): void {
  const text = err instanceof Error ? err.message : String(err);
  showMessage('error', 'The tree could not be drawn.', text);
  vscode.postMessage({ type: 'error', message: text });
}

function guarded(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    reportError(err);
  }
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => guarded(() => handle(e.data)));
window.addEventListener('error', (e) => reportError(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => reportError(e.reason));
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape' || selectedId === undefined) return;
  const closed = selectedId;
  guarded(() => {
    select(undefined);
    // Hand keyboard focus back to the node the panel was about.
    view.focusNode(closed);
  });
});
byId('fit').addEventListener('click', () => guarded(() => view.fit(true)));
vscode.postMessage({ type: 'ready' });
