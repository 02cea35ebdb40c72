/** The instruction every strategy gives the policy model. Blank-line-separated steps are what the
 * step-level strategies split on, and `\boxed{}` is what the answer extractor reads. */
import type { ChatMessage } from '../model/types';

export const SOLVE_INSTRUCTION =
  'Solve the following math problem step by step. Write each step as its own paragraph, separated by a blank line. ' +
  'End with the final answer in the form $\\boxed{ANSWER}$.';

export function solveMessages(problem: string): ChatMessage[] {
  return [{ role: 'user', content: `${SOLVE_INSTRUCTION}\n\n${problem}` }];
}

/** Splits a chain into steps at blank lines. Joining the steps with "\n\n" gives back the chain
 * (up to the exact whitespace between steps). */
export function splitSteps(text: string): string[] {
  return text.split(/\n[ \t]*\n+/).map((s) => s.trim()).filter((s) => s.length > 0);
}
