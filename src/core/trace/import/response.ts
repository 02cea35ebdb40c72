/** One free-form model response as a chain of the run: steps, then its final answer. Shared by the
 * chat, generic and plain-text importers. */
import { extractAnswer } from '../../answer/extract';
import type { RunBuilder, Verdict } from './runBuilder';
import { splitReasoning } from './steps';

export interface ResponseInput {
  text: string;
  /** Thinking delivered apart from the text (`reasoning_content`). */
  reasoning?: string;
  /** The answer the source already extracted; otherwise the last `\boxed{}` is used. */
  pred?: string;
  verdict?: Verdict;
  /** Prefix for warnings, e.g. "response 3: " when a record holds several. */
  where?: string;
}

/** Adds the response as chain `sample`. Returns the node that holds its answer (the answer leaf, or
 * the last step when no answer was found), or undefined when the response is empty. */
export function addResponse(builder: RunBuilder, sample: number, input: ResponseInput): string | undefined {
  const where = input.where ?? '';
  const split = splitReasoning(input.text, input.reasoning);
  for (const w of split.warnings) builder.warn(where + w);
  if (split.steps.length === 0) {
    builder.warn(`${where}the response is empty`);
    return undefined;
  }
  const ids = builder.chain(sample, split.steps);
  const found = input.pred?.trim() ? { answer: input.pred } : extractAnswer(split.answerText);
  if (found === null) builder.warn(`${where}no final answer found`);
  const last = ids[ids.length - 1];
  return builder.answer(sample, last, found, input.verdict) ?? last;
}
