/** The hints at the end of each step: its score by each scorer that scored it, with the change from
 * the chain's previous scored step, and its resampling importance when an analysis logged one; the
 * answer's verdict after the answer. The run's own scorer comes first and is named as the tree names
 * it (the gold answer as "evaluation only"). */
import { scoreInfo } from '../../../webview/scores';
import type { AnnotatedChain } from './annotatedChain';
import { formatDelta } from './format';

export interface InlayHintPlan {
  offset: number;
  label: string;
  /** Markdown, shown when the hint is hovered. */
  tooltip: string;
}

export function inlayHints(chain: AnnotatedChain): InlayHintPlan[] {
  const info = scoreInfo(chain.tree);
  const nameOf = (scorer: string) => (scorer === info?.scorer ? info.label : scorer);
  const previous = new Map<string, number>();
  const hints: InlayHintPlan[] = [];
  for (const part of chain.layout.parts) {
    const node = part.node;
    const labels: string[] = [];
    const tips: string[] = [];
    if (node.kind === 'step') {
      const scorers = Object.keys(node.scores).sort((a, b) => Number(b === info?.scorer) - Number(a === info?.scorer));
      for (const scorer of scorers) {
        const score = node.scores[scorer];
        if (!Number.isFinite(score)) continue;
        const before = previous.get(scorer);
        const change = before === undefined ? '' : ` (${formatDelta(score - before)})`;
        labels.push(`${nameOf(scorer)} ${score.toFixed(2)}${change}`);
        tips.push(`Step score by **${nameOf(scorer)}**: ${score.toFixed(3)}${before === undefined ? ' (the first scored step)' : `; the previous step scored ${before.toFixed(3)} (${formatDelta(score - before, 3)})`}.`);
        previous.set(scorer, score);
      }
      const importance = node.analysis?.importance;
      if (importance) {
        const agree = importance.reference.kind === 'gold' ? 'P(correct)' : 'agreement with the majority answer';
        labels.push(`importance ${formatDelta(importance.importance)}`);
        tips.push(`Resampling importance: ${agree} ${rate(importance.before)} resampling from before this step, ${rate(importance.after)} from after it.`);
      }
    } else if (node.kind === 'answer' && node.answer?.correct !== undefined) {
      labels.push(node.answer.correct ? '✓ correct' : '✗ wrong');
      tips.push(node.answer.correctFrom ? `Per ${node.answer.correctFrom}.` : node.answer.reason ?? 'Compared with the gold answer.');
    }
    if (labels.length) hints.push({ offset: part.textEnd, label: labels.join(' · '), tooltip: tips.join('\n\n') });
  }
  return hints;
}

const rate = (t: { rollouts: number; correct: number }) => `${t.rollouts ? (t.correct / t.rollouts).toFixed(2) : '–'} (${t.correct}/${t.rollouts})`;
