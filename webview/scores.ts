/** Step scores as node colour. Which scorer the tree shows (the run's own, else the first found),
 * how it is named (the gold answer always as evaluation only), and a sequential scale from the
 * theme's background to its foreground: the steps a scorer likes stand out most in every theme,
 * high contrast included, and no hue competes with the answer-group colours. */
import type { RunTree, TreeNode } from '../src/core/trace/tree';

export interface ScoreInfo {
  /** The name the scores carry in the run (`step_scored.scorer`). */
  scorer: string;
  /** How the views name it. */
  label: string;
  /** How the strategy turned step scores into a chain's score, when it says. */
  aggregation?: string;
}

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
  // The gold scorer reads the answer key; the engine marks it in the header (and names it `gold`).
  const gold = scorer === declared?.name && declared.params?.evaluationOnly === true;
  const aggregation = tree.header.strategy.params.aggregation;
  return { scorer, label: gold || scorer === 'gold' ? GOLD_LABEL : scorer, ...(typeof aggregation === 'string' && { aggregation }) };
}

/** The node's score by the shown scorer; answer leaves keep their answer colour. */
export function nodeScore(node: TreeNode, info: ScoreInfo | undefined): number | undefined {
  if (!info || node.kind !== 'step') return undefined;
  const score = node.scores[info.scorer];
  return Number.isFinite(score) ? score : undefined;
}

/** Above this share of the foreground, a step number inside the node is written in the background colour. */
export const STRONG_SCORE = 0.55;

/** The fill for a score in [0, 1] (theme variables, so it follows a theme change without a redraw). */
export function scoreColor(score: number): string {
  const percent = Math.round(Math.min(1, Math.max(0, score)) * 100);
  return `color-mix(in oklab, var(--rs-score-high) ${percent}%, var(--rs-score-low))`;
}
