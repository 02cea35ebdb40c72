/** ProcessBench records (`id`, `generator`, `problem`, `steps`, `label`, `final_answer_correct`):
 * one chain, one node per step. `label` is the index of the first wrong step (-1: none), so the
 * steps before it are correct, it is the first error, and the ones after it are unjudged. */
import { extractAnswer } from '../../answer/extract';
import { asBoolean, isObject, oneLine } from './fields';
import { RunBuilder, UNKNOWN_MODEL } from './runBuilder';
import type { ReadRecord, RecordFormat } from './types';

const SOURCE = 'processbench';

export const processbench: RecordFormat = {
  format: 'processbench',
  read(value: unknown): ReadRecord | string {
    if (!isObject(value)) return 'not a JSON object';
    const { steps, label, problem } = value;
    if (steps === undefined) return 'no `steps` field';
    if (!Array.isArray(steps) || steps.length === 0 || !steps.every((s) => typeof s === 'string')) return '`steps` is not a non-empty list of strings';
    if (label === undefined) return 'no `label` field (the index of the first wrong step, -1 for none)';
    if (typeof label !== 'number' || !Number.isInteger(label) || label < -1) return `\`label\` must be an integer ≥ -1, got ${JSON.stringify(label)}`;
    if (label >= steps.length) return `\`label\` ${label} is past the last step (the record has ${steps.length} steps, counted from 0)`;
    if (typeof problem !== 'string') return 'no `problem` text';
    const id = typeof value.id === 'string' ? value.id : undefined;
    const model = typeof value.generator === 'string' && value.generator ? value.generator : UNKNOWN_MODEL;
    const finalCorrect = asBoolean(value.final_answer_correct);
    return {
      label: () => [
        id, model,
        label < 0 ? 'no error' : `first error at step ${label + 1}`,
        finalCorrect === undefined ? undefined : `final answer ${finalCorrect ? 'correct' : 'wrong'}`,
        oneLine(problem, 50),
      ].filter(Boolean).join(' · '),
      convert(origin) {
        const run = new RunBuilder({ id, text: problem }, model);
        const ids = run.chain(0, steps.map((text) => ({ text })));
        ids.forEach((stepId, i) => {
          if (label < 0 || i < label) run.label(stepId, 'correct', SOURCE);
          else run.label(stepId, i === label ? 'first-error' : 'after-error', SOURCE);
        });
        const found = extractAnswer(steps.join('\n\n'));
        if (found === null) run.warn('no final answer found; final_answer_correct is shown on the last step');
        run.answer(0, ids[ids.length - 1], found, finalCorrect === undefined ? undefined : { correct: finalCorrect, from: 'ProcessBench final_answer_correct' });
        return run.finish(origin);
      },
    };
  },
};
