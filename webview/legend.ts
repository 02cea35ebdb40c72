/** The legend: one row per answer group with its colour, the answer as typeset math, its votes and
 * share, whether it matches the gold answer, and which group won (or leads, while running). */
import { h } from './dom';
import { formatShare } from './format';
import { texToHtml } from './math';
import type { RunModel } from './runModel';

export function correctnessMark(correct: boolean | undefined): HTMLElement | null {
  if (correct === undefined) return null;
  return correct
    ? h('span', { class: 'mark mark-correct', title: 'matches the gold answer' }, '✓')
    : h('span', { class: 'mark mark-wrong', title: 'does not match the gold answer' }, '✗');
}

export function renderLegend(el: HTMLElement, model: RunModel): void {
  const groups = model.legendGroups();
  const total = groups.reduce((sum, g) => sum + g.votes, 0);
  const winner = model.winner();
  el.hidden = groups.length === 0;
  el.replaceChildren(
    ...groups.map((g) => {
      const isWinner = winner !== undefined && g.answer === winner.key;
      const answer = g.answer === null
        ? h('span', { class: 'answer no-answer' }, 'no answer')
        : h('span', { class: 'answer', title: g.answer, html: texToHtml(`\\displaystyle ${g.answer}`) });
      return h('div', { class: `legend-row${isWinner ? ' winner' : ''}`, attrs: { 'data-answer': g.answer ?? '' } },
        h('span', { class: 'swatch', style: { background: model.colors.colorOf(g.answer) } }),
        answer,
        correctnessMark(g.correct),
        h('span', { class: 'votes', attrs: { 'data-votes': String(g.votes) } },
          `${g.votes} ${g.votes === 1 ? 'vote' : 'votes'} · ${formatShare(g.votes, total)}`),
        isWinner ? h('span', { class: 'badge', title: winner.final ? 'the run’s answer' : 'leading so far' }, winner.final ? 'winner' : 'leading') : null,
      );
    }),
  );
}
