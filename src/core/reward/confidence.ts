/** The policy's own confidence as a step reward, at no extra cost: the geometric mean probability
 * of the step's tokens, exp(mean logprob). A step the model wrote hesitantly scores low. */
import type { Scorer } from './types';

export const confidenceScorer: Scorer = {
  name: 'confidence',
  needsLogprobs: true,
  async scoreSteps(chain, from) {
    return chain.steps.slice(from).map((step) => {
      if (!step.tokens?.length) return Number.NaN;
      const mean = step.tokens.reduce((sum, t) => sum + t.logprob, 0) / step.tokens.length;
      return Math.exp(mean);
    });
  },
};
