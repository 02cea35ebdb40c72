/** The legend: one row per answer group with its colour, the answer as typeset math, its votes and
 * share, whether it matches the gold answer, and which group won (or leads, while running). */
import { h } from './dom';
import { formatShare } from './format';
import { texToHtml } from './math';
import type { RunModel } from './runModel';

/** ✓ or ✗, titled with whose verdict it is: the gold-answer check or the source's own label. */
export function correctnessMark(correct: boolean | undefined, from?: string): HTMLElement | null {
  if (correct === undefined) return null;
  const title = from ? `${correct ? 'correct' : 'incorrect'} per ${from}` : correct ? 'matches the gold answer' : 'does not match the gold answer';
  return h('span', { class: `mark ${correct ? 'mark-correct' : 'mark-wrong'}`, title }, correct ? '✓' : '✗');
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
        correctnessMark(g.correct, g.correctFrom),
        h('span', { class: 'votes', attrs: { 'data-votes': String(g.votes) } },
          `${g.votes} ${g.votes === 1 ? 'vote' : 'votes'} · ${formatShare(g.votes, total)}`),
        isWinner ? h('span', { class: 'badge', title: winner.final ? 'the run’s answer' : 'leading so far' }, winner.final ? 'winner' : 'leading') : null,
      );
    }),
  );
}
