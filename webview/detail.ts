/** The detail panel for the selected node: its full text with math typeset, and the facts a user
 * weighs when judging a step (tokens, confidence, latency, why it stopped, what it answered). */
import type { AnswerRule } from '../src/core/trace/schema';
import type { TreeNode } from '../src/core/trace/tree';
import { h } from './dom';
import { formatDuration, meanLogprob } from './format';
import { correctnessMark } from './legend';
import { mathTextToHtml, texToHtml } from './math';
import type { RunModel } from './runModel';
import { nodeScore } from './scores';

const LABEL_TEXT: Record<NonNullable<TreeNode['label']>['label'], string> = {
  correct: 'correct',
  incorrect: 'incorrect',
  neutral: 'neutral',
  'first-error': 'first error',
  'after-error': 'after the first error (not judged)',
};

/** A dataset's judgement of a step, e.g. "first error" or "incorrect (rating -1)". */
export function labelText(label: NonNullable<TreeNode['label']>): string {
  return label.rating === undefined ? LABEL_TEXT[label.label] : `${LABEL_TEXT[label.label]} (rating ${label.rating > 0 ? '+' : ''}${label.rating})`;
}

/** Whether the dataset judged the step wrong (incorrect, or the first error). */
export function isErrorLabel(label: TreeNode['label']): boolean {
  return label?.label === 'incorrect' || label?.label === 'first-error';
}

export function nodeTitle(node: TreeNode): string {
  if (node.kind === 'root') return 'Problem';
  const what = node.kind === 'answer' ? 'Answer' : `Step ${node.depth}`;
  // `sample` is a 0-based index in the run file; people count chains from 1.
  return node.sample === undefined ? what : `${what} · chain ${node.sample + 1}`;
}

function fact(name: string, value: Node | string): HTMLElement[] {
  return [h('dt', {}, name), h('dd', {}, value)];
}

function answerValue(node: TreeNode): HTMLElement | undefined {
  if (!node.answer) return undefined;
  const { normalized, raw, correct, reason, correctFrom } = node.answer;
  const value = normalized === null
    ? h('span', { class: 'no-answer' }, 'none found')
    : h('span', { class: 'answer', title: raw ?? normalized, html: texToHtml(normalized) });
  // Imported runs say whose verdict it is: the dataset's, not a comparison with a gold answer.
  const from = correct === undefined ? null
    : correctFrom ? h('span', { class: 'verdict-source' }, `per ${correctFrom}`)
    : reason ? h('span', { class: 'verdict-source' }, reason) : null;
  return h('span', {}, value, correctnessMark(correct, correctFrom), from);
}

function labelValue(label: NonNullable<TreeNode['label']>): HTMLElement {
  const tone = isErrorLabel(label) ? 'mark-wrong' : label.label === 'correct' ? 'mark-correct' : 'no-answer';
  return h('span', {}, h('span', { class: `step-label ${tone}` }, labelText(label)), h('span', { class: 'verdict-source' }, `per ${label.source}`));
}

/** How each extraction rule reads to a user (the rule names are the run file's). */
const RULE_TEXT: Record<AnswerRule, string> = {
  boxed: 'last \\boxed{…}',
  'boxed-unbraced': '\\boxed without braces',
  'final-answer': '"The final answer is …"',
  'answer-block': '"# Answer" block',
  'the-answer-is': '"the answer is …"',
  'last-number': 'last number (fallback)',
};

/** The search's view of a node in a few words, for the tooltip: its score, MCTS visits and value,
 * and why it was pruned. */
export function glanceFacts(model: RunModel, node: TreeNode): string[] {
  const facts: string[] = [];
  const score = nodeScore(node, model.score);
  if (score !== undefined && model.score) facts.push(`${model.score.label}: ${score.toFixed(2)}`);
  const mcts = visitsText(node);
  if (mcts) facts.push(mcts);
  if (node.selected) facts.push('selected by the search');
  if (node.status === 'pruned') facts.push(`pruned: ${node.pruneReason ?? 'no reason given'}`);
  return facts;
}

/** "8 visits · value 0.71": how often MCTS went through the node and the mean value backed up. */
function visitsText(node: TreeNode): string | undefined {
  if (!node.visits) return undefined;
  return `${node.visits} ${node.visits === 1 ? 'visit' : 'visits'} · value ${((node.valueSum ?? 0) / node.visits).toFixed(2)}`;
}

function facts(model: RunModel, node: TreeNode): HTMLElement[] {
  const rows: HTMLElement[][] = [fact('kind', node.kind)];
  if (node.selected) rows.push(fact('selected', 'the answer the search chose'));
  if (node.status === 'pruned') rows.push(fact('pruned', node.pruneReason ?? 'yes'));
  const failure = model.failureOf(node);
  if (failure) rows.push(fact('error', failure));
  if (node.sample !== undefined) rows.push(fact('chain', `#${node.sample + 1}`));
  if (node.label) rows.push(fact('label', labelValue(node.label)));
  const tokenCount = node.tokenCount ?? node.tokens?.length;
  if (tokenCount !== undefined) rows.push(fact('tokens', String(tokenCount)));
  const mean = node.tokens ? meanLogprob(node.tokens) : undefined;
  if (mean !== undefined) {
    rows.push(fact('mean logprob', `${mean.toFixed(3)} (p ≈ ${Math.exp(mean).toFixed(2)} per token)`));
  }
  if (node.latencyMs !== undefined) rows.push(fact('latency', formatDuration(node.latencyMs)));
  if (node.stopReason) rows.push(fact('stop reason', node.stopReason));
  for (const [scorer, score] of Object.entries(node.scores)) {
    const name = scorer === model.score?.scorer ? model.score.label : scorer;
    rows.push(fact(`score (${name})`, score.toFixed(3)));
  }
  if (node.visits) {
    rows.push(fact('visits', String(node.visits)));
    rows.push(fact('mean value', ((node.valueSum ?? 0) / node.visits).toFixed(3)));
  }
  const answer = answerValue(node);
  if (answer) rows.push(fact('answer', answer));
  if (node.answer?.rule) rows.push(fact('found by', RULE_TEXT[node.answer.rule]));
  return rows.flat();
}

export interface DetailActions {
  openPath(nodeId: string): void;
  close(): void;
}

export function renderDetail(el: HTMLElement, model: RunModel, node: TreeNode, actions: DetailActions): void {
  const group = node.answer ? model.colors.colorOf(node.answer.normalized) : undefined;
  const close = h('button', { class: 'icon-button close', title: 'Close (Escape)', attrs: { type: 'button', 'aria-label': 'Close details' } }, '×');
  close.addEventListener('click', () => actions.close());
  const open = h('button', { class: 'button', attrs: { type: 'button' } }, 'Open chain as document');
  open.addEventListener('click', () => actions.openPath(node.id));
  el.replaceChildren(
    h('div', { class: 'detail-title' },
      group ? h('span', { class: 'swatch', style: { background: group } }) : null,
      h('h2', {}, nodeTitle(node)),
      close,
    ),
    h('div', { class: 'detail-body' },
      // What the source says the step does (thought-anchors function tags, "thinking").
      node.tags?.length ? h('div', { class: 'tags', attrs: { 'aria-label': 'tags' } }, ...node.tags.map((t) => h('span', { class: 'tag' }, t))) : null,
      // An answer leaf's text is the extracted answer itself: LaTeX without delimiters.
      h('div', { class: 'node-text', html: node.kind === 'answer' ? texToHtml(node.text) : mathTextToHtml(node.text) }),
      h('dl', { class: 'facts' }, ...facts(model, node)),
    ),
    h('div', { class: 'detail-actions' }, open),
  );
  el.hidden = false;
  el.dataset.nodeId = node.id;
}

export function hideDetail(el: HTMLElement): void {
  el.hidden = true;
  el.replaceChildren();
  delete el.dataset.nodeId;
}
