/** The key to the search's encodings, one short line that lists only what the run has: node colour
 * is the step score (the scorer, a 0–1 ramp, how chains aggregate), node size is MCTS visits, dashed
 * is pruned, a heavy line is the path to the selected answer. */
import { h } from './dom';
import type { RunModel } from './runModel';
import type { ScoreInfo } from './scores';

const AGGREGATION_TEXT: Record<string, string> = { last: 'last step', min: 'min', prod: 'product', mean: 'mean' };

/** The scorer and its ramp, then how chains aggregate (a separate item, so a narrow panel wraps
 * between them rather than cutting one off). */
function scoreItems(score: ScoreInfo): HTMLElement[] {
  const aggregation = score.aggregation && `chains by ${AGGREGATION_TEXT[score.aggregation] ?? score.aggregation}`;
  const [low, high] = [score.low.toFixed(2), score.high.toFixed(2)];
  const title = `Node colour: each step's score by ${score.label}, from ${low} to ${high} (the run's range)${aggregation ? `; ${aggregation}` : ''}`;
  const ramp = h('span', { class: 'key-item key-score', title },
    h('span', { class: 'key-name' }, score.label),
    h('span', { class: 'ramp-end' }, low),
    h('span', { class: 'ramp', attrs: { role: 'img', 'aria-label': `from ${low} to ${high}` } }),
    h('span', { class: 'ramp-end' }, high),
  );
  return aggregation ? [ramp, h('span', { class: 'key-item', title }, aggregation)] : [ramp];
}

export function renderKey(el: HTMLElement, model: RunModel): void {
  const nodes = [...model.tree.nodes.values()];
  const items = [
    ...(model.score ? scoreItems(model.score) : []),
    model.maxVisits > 0
      ? h('span', { class: 'key-item key-visits', title: 'Node size: how often MCTS went through the node (square-root scale)' },
        h('span', { class: 'dot dot-small' }), h('span', { class: 'dot dot-big' }), `visits, up to ${model.maxVisits}`)
      : null,
    nodes.some((n) => n.status === 'pruned') ? h('span', { class: 'key-item', title: 'Branches the search pruned (hover one for why)' }, h('span', { class: 'key-line key-pruned' }), 'pruned') : null,
    nodes.some((n) => n.selected) ? h('span', { class: 'key-item', title: 'The path to the answer the search selected' }, h('span', { class: 'key-line key-chosen' }), 'selected') : null,
  ].filter((item): item is HTMLElement => item !== null);
  el.hidden = items.length === 0;
  el.replaceChildren(...items);
}
