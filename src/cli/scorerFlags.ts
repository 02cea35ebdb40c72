/** `--scorer` and its options, and the same scorer again from a run header when a run resumes. */
import type { ModelBackend } from '../core/model/types';
import { createScorer, SCORER_KINDS, type Scorer } from '../core/reward';
import type { Strategy } from '../core/search/strategy';
import type { RunHeader } from '../core/trace/schema';
import { UsageError } from './args';

export const scorerOptions = {
  scorer: { type: 'string' },
} as const;

export interface ScorerFlagValues {
  scorer?: string;
}

/** Makes the scorer for one problem (the gold scorer reads each problem's answer). */
export type ScorerFactory = (problem: { answer?: string }) => Scorer;

/** Checks the scorer flags at once, against `sample` (the problem, or a dataset's first), so a
 * missing option is a usage error before anything runs. */
export function scorerFromFlags(values: ScorerFlagValues, _backend: ModelBackend, sample: { answer?: string }): ScorerFactory | undefined {
  const kind = values.scorer;
  if (kind === undefined) return undefined;
  if (!(SCORER_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--scorer must be one of ${SCORER_KINDS.join(', ')}, got "${kind}"`);
  const make: ScorerFactory = (problem) => createScorer(kind, { gold: problem.answer });
  try {
    make(sample);
  } catch (err) {
    throw new UsageError(`--scorer ${kind}: ${(err as Error).message}`);
  }
  return make;
}

/** A scored strategy needs a scorer; the others would ignore one, which is surely not what was meant. */
export function checkScorerFits(strategy: Strategy, hasScorer: boolean): void {
  if (strategy.scored && !hasScorer) throw new UsageError(`${strategy.name} ranks its chains by a scorer: add --scorer ${SCORER_KINDS.join('|')}`);
  if (!strategy.scored && hasScorer) throw new UsageError(`${strategy.name} does not use a scorer; leave out --scorer, or pick a strategy that does (reasonscope search --list)`);
}

/** The scorer a run was started with, rebuilt from its header. */
export function scorerFromHeader(header: RunHeader, _backend: ModelBackend): Scorer | undefined {
  if (!header.scorer) return undefined;
  return createScorer(header.scorer.name, { gold: header.problem.answer });
}
