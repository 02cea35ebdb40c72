/** The header bar: which model and strategy, how far the run is, what it cost, what went wrong. */
import { h } from './dom';
import { formatCount, formatDuration } from './format';
import type { RunModel } from './runModel';

function strategyLabel(model: RunModel): string {
  const { name } = model.tree.header.strategy;
  const n = model.plannedSamples();
  const iterations = model.plannedIterations();
  if (n !== undefined) return `${name} · n=${n}`;
  return iterations === undefined ? name : `${name} · ${iterations} iterations`;
}

function status(model: RunModel): { text: string; kind: string } {
  const ended = model.tree.ended;
  if (!ended) {
    const n = model.plannedSamples();
    const iterations = model.plannedIterations();
    const done = model.finishedSamples();
    if (iterations !== undefined) return { text: `running · iteration ${model.tree.iterations ?? 0}/${iterations}`, kind: 'running' };
    return { text: n === undefined ? `running · ${done} done` : `running · ${done}/${n} samples`, kind: 'running' };
  }
  if (ended.status === 'failed') return { text: ended.error ? `failed: ${ended.error}` : 'failed', kind: 'failed' };
  return { text: ended.status, kind: ended.status };
}

function tokensLabel(model: RunModel): string {
  const { prompt, completion } = model.tokenTotals();
  const generated = `${formatCount(completion)} tokens`;
  return prompt === undefined ? generated : `${generated} (+${formatCount(prompt)} prompt)`;
}

/** One line per distinct failure message, so a server outage does not list every sample. */
function failureLines(model: RunModel): string[] {
  const byMessage = new Map<string, string[]>();
  for (const f of model.tree.failures) byMessage.set(f.message, [...(byMessage.get(f.message) ?? []), f.sample === undefined ? f.lane ?? '?' : String(f.sample)]);
  return [...byMessage].map(([message, who]) =>
    `${who.length === 1 ? 'sample' : 'samples'} ${who.join(', ')} failed: ${message}`);
}

function backendTitle(model: RunModel): string {
  const { header } = model.tree;
  const { kind, host, version } = header.backend;
  return kind === 'imported' ? `imported from ${header.importedFrom ?? 'another format'}` : `${kind} at ${host}${version ? ` (${version})` : ''}`;
}

export function renderHeader(el: HTMLElement, model: RunModel): void {
  const state = status(model);
  const backend = model.tree.header.backend;
  el.replaceChildren(
    h('div', { class: 'header-row' },
      h('span', { class: 'model', title: backendTitle(model) }, backend.model),
      h('span', { class: 'strategy' }, strategyLabel(model)),
      h('span', { class: `status status-${state.kind}`, attrs: { 'data-status': state.kind } }, state.text),
    ),
    h('div', { class: 'header-row header-meta' },
      // An imported trace has no token counts or timing of its own: say where it came from instead.
      ...(backend.kind === 'imported'
        ? [h('span', { class: 'imported' }, 'imported · read-only')]
        : [h('span', { class: 'tokens' }, tokensLabel(model)), h('span', { class: 'wall' }, formatDuration(model.wallMs()))]),
      h('span', { class: 'label', title: model.label }, model.label),
    ),
    ...(model.tree.ended?.stoppedBy ? [h('div', { class: 'stopped' }, `stopped early: ${model.tree.ended.stoppedBy}`)] : []),
    ...model.tree.warnings.map((w) => h('div', { class: 'warning', attrs: { role: 'status' } }, w)),
    ...failureLines(model).map((line) => h('div', { class: 'failure' }, line)),
  );
}
