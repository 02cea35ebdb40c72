/** The gold answer as an outcome reward: 1 when the chain's final answer is the gold one, else 0,
 * on the chain's last step. Evaluation only — it reads the answer key, so the run and every view
 * say so (`gold answer (evaluation only)`), and it is never a default. */
import { gradeAnswer } from '../answer/grade';
import type { Scorer } from './types';

export const GOLD_SCORER_NAME = 'gold';

export function goldScorer(gold: string | undefined): Scorer {
  if (gold === undefined || !gold.trim()) {
    throw new Error('the gold scorer needs the problem\'s gold answer (an `answer` in the problem file, or --answer)');
  }
  return {
    name: GOLD_SCORER_NAME,
    outcomeOnly: true,
    params: { evaluationOnly: true },
    async scoreSteps(chain, from) {
      const scores = chain.steps.slice(from).map(() => Number.NaN);
      if (chain.answer === undefined || scores.length === 0) return scores;
      scores[scores.length - 1] = chain.answer !== null && gradeAnswer(chain.answer, gold).equal ? 1 : 0;
      return scores;
    },
  };
}
