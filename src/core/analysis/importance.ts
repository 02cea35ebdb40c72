/** Resampling importance of steps (as in "Thought Anchors"): P(correct) when the chain is resampled
 * from just before a step versus from just after it. importance = after − before: how much having
 * written this step moved the chain towards (or away from) the reference answer.
 *
 * The point after step i is the point before step i + 1, so a chain of n steps needs rollouts from
 * n + 1 points, not 2n, and neighbouring steps share those rollouts. Points are sampled in rounds over
 * all of them, so a budget that runs out leaves every step measured with fewer rollouts rather than
 * the last steps not at all; after each round the steps' events are written again with the larger
 * tallies (a later `step_importance` replaces the earlier on replay), so a cancel keeps the rounds
 * finished before it. */
import { CancelledError } from '../model/errors';
import { settleAll } from '../search/settle';
import type { RolloutTally, StepImportanceEvent } from '../trace/schema';
import { differenceInterval, proportion } from './intervals';
import { analysisOptions, DEFAULT_REFERENCE_SAMPLES, withRollouts, type ChainAnalysisInput, type RolloutBudgetOptions, type RolloutSpend } from './rollouts';

export interface ImportanceOptions extends RolloutBudgetOptions {
  /** Rollouts from each point between steps. */
  rollouts: number;
  /** Rollouts per point in each round. */
  batch: number;
}

export const DEFAULT_IMPORTANCE_OPTIONS: Readonly<ImportanceOptions> = {
  rollouts: 8,
  batch: 4,
  budget: { maxRequests: 128 },
  concurrency: 2,
  referenceSamples: DEFAULT_REFERENCE_SAMPLES,
};

export type ImportanceInput = ChainAnalysisInput<ImportanceOptions>;

export interface ImportanceResult extends RolloutSpend {
  /** The last event written per measured step, in chain order. */
  steps: StepImportanceEvent[];
}

interface Point {
  prefix: string;
  key: string;
  tally: RolloutTally;
}

/** Measures the importance of the chain's steps within the budget, writing `step_importance` events.
 * Throws `CancelledError` when cancelled (the rounds finished before stay in the run). */
export async function measureStepImportance(input: ImportanceInput): Promise<ImportanceResult> {
  const options = analysisOptions('step importance', DEFAULT_IMPORTANCE_OPTIONS, input.options ?? {}, ['rollouts', 'batch']);
  const { chain } = input;
  if (chain.length === 0) throw new Error('step importance needs a chain with at least one step');
  const measured = chain.map((step, i) => ({ step, i })).filter(({ step }) => !input.within || input.within.includes(step.id));
  const missing = input.within?.filter((id) => !chain.some((s) => s.id === id)) ?? [];
  if (missing.length) throw new Error(`step importance: ${missing.join(', ')} is not a step of the chain`);

  // Point k lies after k steps: an empty prefix, then each step's text ending at a blank line.
  const points = new Map<number, Point>();
  for (const { i } of measured) {
    for (const k of [i, i + 1]) {
      if (points.has(k)) continue;
      const prefix = k === 0 ? '' : `${chain.slice(0, k).map((s) => s.text).join('\n\n')}\n\n`;
      points.set(k, { prefix, key: k === 0 ? 'start' : `after|${chain[k - 1].id}`, tally: { rollouts: 0, correct: 0 } });
    }
  }

  return withRollouts(input, options, async (sampler, reference) => {
    const written = new Map<string, StepImportanceEvent>();
    for (;;) {
      const due = [...points.values()].filter((p) => p.tally.rollouts < options.rollouts);
      if (due.length === 0 || sampler.scheduler.stopped) break;
      const batches = await settleAll(due.map((p) => sampler.tally(p.prefix, p.key, p.tally.rollouts, Math.min(options.batch, options.rollouts - p.tally.rollouts), reference)));
      // A cancelled round is not written; one the budget cut short is, with the rollouts it finished.
      if (sampler.cancelled) throw new CancelledError();
      const grown = new Set<Point>();
      batches.forEach(({ tally }, n) => {
        const p = due[n];
        if (tally.rollouts > 0) grown.add(p);
        p.tally = { rollouts: p.tally.rollouts + tally.rollouts, correct: p.tally.correct + tally.correct };
      });
      for (const { step, i } of measured) {
        const [before, after] = [points.get(i), points.get(i + 1)];
        if (!before?.tally.rollouts || !after?.tally.rollouts || !(grown.has(before) || grown.has(after))) continue;
        const event: StepImportanceEvent = {
          type: 'step_importance', t: input.sink.now(), id: step.id, reference, before: before.tally, after: after.tally,
          importance: proportion(after.tally) - proportion(before.tally),
        };
        input.sink.emit(event);
        written.set(step.id, event);
      }
      if (batches.some((b) => !b.complete)) break;
    }
    return { steps: measured.flatMap(({ step }) => written.get(step.id) ?? []) };
  });
}

/** The 95% interval of a step's importance (Newcombe's, for P(after) − P(before)). */
export function importanceInterval(event: Pick<StepImportanceEvent, 'before' | 'after'>): [number, number] {
  return differenceInterval(event.after, event.before);
}
