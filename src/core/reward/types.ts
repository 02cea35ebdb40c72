/** Scorers give each step of a chain a reward in [0, 1]: a process reward model (HTTP), a generative
 * judge on an Ollama model, the policy's own confidence, or the gold answer (evaluation only). The
 * strategies never know which: they ask for step scores and aggregate them. */
import type { TokenLogprob } from '../model/types';

export interface ScoredStep {
  id: string;
  text: string;
  tokens?: TokenLogprob[];
}

/** A chain to score: the problem, every step from the root, and the final answer once there is one. */
export interface ChainToScore {
  problem: string;
  steps: ScoredStep[];
  /** The extracted final answer, when the chain is complete. */
  answer?: string | null;
}

/** What a scorer may use of the run's scheduler: its requests share the slots and the budget. */
export interface ScorerIO {
  signal: AbortSignal;
  run<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Count each request sent and the tokens it used against the run's totals and budget. */
  charge(usage: { requests?: number; promptTokens?: number; completionTokens?: number }): void;
  /** Records something the user should know (a step the judge could not decide) in the run. */
  warn?(message: string): void;
}

export interface Scorer {
  /** Names the scores in the run file (`step_scored.scorer`), e.g. `judge:qwen2.5:1.5b`. */
  readonly name: string;
  /** Outcome-only scorers (gold) score complete chains and leave partial ones unscored. */
  readonly outcomeOnly?: boolean;
  /** It reads the policy's token logprobs, so the run must have them. */
  readonly needsLogprobs?: boolean;
  /** Scores for `chain.steps.slice(from)` (earlier steps are already scored), each in [0, 1]; NaN
   * leaves a step unscored. */
  scoreSteps(chain: ChainToScore, from: number, io: ScorerIO): Promise<number[]>;
  /** Parameters worth recording in the run header. */
  readonly params?: Record<string, number | string | boolean>;
}

export const AGGREGATIONS = ['last', 'min', 'prod', 'mean'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** One number for a chain from its step scores, as search-and-learn aggregates PRM scores. An empty
 * list scores 0 so an unscored chain never wins. */
export function aggregate(scores: readonly number[], how: Aggregation): number {
  if (scores.length === 0) return 0;
  switch (how) {
    case 'last':
      return scores[scores.length - 1];
    case 'min':
      return Math.min(...scores);
    case 'prod':
      return scores.reduce((p, s) => p * s, 1);
    case 'mean':
      return scores.reduce((p, s) => p + s, 0) / scores.length;
  }
}
