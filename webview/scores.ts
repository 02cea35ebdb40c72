/** Step scores as node colour. Which scorer the tree shows (the run's own, else the first found),
 * how it is named (the gold answer always as evaluation only), and a sequential scale from the
 * theme's background to its foreground: the steps a scorer likes stand out most in every theme,
 * high contrast included, and no hue competes with the answer-group colours. The scale spans the
 * scores the run has (the key prints both ends): a policy's confidence sits between 0.8 and 1, and
 * on a 0–1 scale every step would look the same. */
import type { RunTree, TreeNode } from '../src/core/trace/tree';

export interface ScoreInfo {
  /** The name the scores carry in the run (`step_scored.scorer`). */
  scorer: string;
  /** How the views name it. */
  label: string;
  /** How the strategy turned step scores into a chain's score, when it says. */
  aggregation?: string;
  /** The ends of the colour scale. */
  low: number;
  high: number;
}

/** The narrowest span the scale stretches over, so a few hundredths never read as the whole range. */
const MIN_SPAN = 0.1;

export const GOLD_LABEL = 'gold answer (evaluation only)';

export function scoreInfo(tree: RunTree): ScoreInfo | undefined {
  const declared = tree.header.scorer;
  let scorer = declared?.name;
  if (!scorer) {
    for (const node of tree.nodes.values()) {
      scorer = Object.keys(node.scores)[0];
      if (scorer) break;
    }
  }
  if (!scorer) return undefined;
  let low = Infinity;
  let high = -Infinity;
  for (const node of tree.nodes.values()) {
    const score = node.kind === 'step' ? node.scores[scorer] : undefined;
    if (score === undefined || !Number.isFinite(score)) continue;
    low = Math.min(low, score);
    high = Math.max(high, score);
  }
  if (low > high) [low, high] = [0, 1];
  if (high - low < MIN_SPAN) {
    low = Math.max(0, high - MIN_SPAN);
    high = low + MIN_SPAN;
  }
  // The gold scorer reads the answer key; the engine marks it in the header (and names it `gold`).
  const gold = scorer === declared?.name && declared.params?.evaluationOnly === true;
  const aggregation = tree.header.strategy.params.aggregation;
  return { scorer, label: gold || scorer === 'gold' ? GOLD_LABEL : scorer, low, high, ...(typeof aggregation === 'string' && { aggregation }) };
}

/** Where a score sits on the scale, 0 (low end) to 1 (high end). */
export function scorePosition(score: number, info: ScoreInfo): number {
  return Math.min(1, Math.max(0, (score - info.low) / (info.high - info.low)));
}

/** The node's score by the shown scorer; answer leaves keep their answer colour. */
export function nodeScore(node: TreeNode, info: ScoreInfo | undefined): number | undefined {
  if (!info || node.kind !== 'step') return undefined;
  const score = node.scores[info.scorer];
  return Number.isFinite(score) ? score : undefined;
}

/** Above this position on the scale, a step number inside the node is written in the background colour. */
export const STRONG_POSITION = 0.55;

/** The fill for a position on the scale (theme variables, so it follows a theme change without a redraw). */
export function scoreColor(position: number): string {
  return `color-mix(in oklab, var(--rs-score-high) ${Math.round(position * 100)}%, var(--rs-score-low))`;
}
