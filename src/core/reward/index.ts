/** Scorers by name, for the CLI, the extension and resuming a run from its header. */
import { confidenceScorer } from './confidence';
import { goldScorer } from './gold';
import type { Scorer } from './types';

export { AGGREGATIONS, aggregate, type Aggregation, type Scorer } from './types';

export const SCORER_KINDS = ['confidence', 'gold'] as const;
export type ScorerKind = (typeof SCORER_KINDS)[number];

export interface ScorerOptions {
  /** The problem's gold answer (the gold scorer reads it). */
  gold?: string;
}

export function createScorer(kind: string, opts: ScorerOptions = {}): Scorer {
  switch (kind) {
    case 'confidence':
      return confidenceScorer;
    case 'gold':
      return goldScorer(opts.gold);
    default:
      throw new Error(`unknown scorer "${kind}"; one of: ${SCORER_KINDS.join(', ')}`);
  }
}
