/** PRM800K label lines (openai/prm800k `data/*.jsonl`): a MATH problem and a solution rated step by
 * step by human labelers (-1 wrong, 0 neutral, +1 correct). The chain follows the chosen completion
 * at each step (or the labeler's own step when all were wrong); the other rated completions branch
 * off as pruned alternatives, so the tree shows what the labeler weighed at each point. */
import { extractAnswer } from '../../answer/extract';
import { ROOT_ID, type StepLabel } from '../schema';
import { isObject, oneLine } from './fields';
import { RunBuilder, type ChainStep } from './runBuilder';
import type { ReadRecord, RecordFormat } from './types';

const SOURCE = 'prm800k';
const LABELS: Record<string, StepLabel> = { '1': 'correct', '0': 'neutral', '-1': 'incorrect' };

interface Completion {
  text: string;
  rating?: number;
  flagged: boolean;
}

interface LabeledStep {
  completions: Completion[];
  chosen?: Completion;
  /** The chosen completion is the labeler's own (phase 1, after every completion was rated -1). */
  human: boolean;
}

function readCompletion(value: unknown, where: string): Completion | string {
  if (!isObject(value) || typeof value.text !== 'string') return `${where} has no \`text\``;
  const rating = value.rating;
  if (rating !== null && rating !== undefined && rating !== -1 && rating !== 0 && rating !== 1) return `${where}.rating must be -1, 0, 1 or null, got ${JSON.stringify(rating)}`;
  return { text: value.text, rating: rating ?? undefined, flagged: value.flagged === true };
}

function readStep(value: unknown, j: number): LabeledStep | string {
  const where = `label.steps[${j}]`;
  if (!isObject(value)) return `${where} is not an object`;
  const completions: Completion[] = [];
  if (value.completions !== null && value.completions !== undefined) {
    if (!Array.isArray(value.completions)) return `${where}.completions is not a list`;
    for (const [k, c] of value.completions.entries()) {
      const completion = readCompletion(c, `${where}.completions[${k}]`);
      if (typeof completion === 'string') return completion;
      completions.push(completion);
    }
  }
  const chosenIndex = value.chosen_completion;
  if (typeof chosenIndex === 'number') {
    if (!Number.isInteger(chosenIndex) || !completions[chosenIndex]) return `${where}.chosen_completion ${chosenIndex} is not one of its ${completions.length} completions`;
    return { completions, chosen: completions[chosenIndex], human: false };
  }
  // The README reconstructs the trajectory from `human_completion` itself; phase 1 lines hold an object with `text`.
  const human = value.human_completion;
  const humanText = typeof human === 'string' ? human : isObject(human) && typeof human.text === 'string' ? human.text : undefined;
  return { completions, chosen: humanText === undefined ? undefined : { text: humanText, flagged: false }, human: humanText !== undefined };
}

function labelOf(completion: Completion): StepLabel | undefined {
  return completion.rating === undefined ? undefined : LABELS[String(completion.rating)];
}

function stepTags(completion: Completion, human: boolean): ChainStep['tags'] {
  const tags = [...(human ? ['human-written'] : []), ...(completion.flagged ? ['flagged'] : [])];
  return tags.length ? tags : undefined;
}

export const prm800k: RecordFormat = {
  format: 'prm800k',
  read(value: unknown): ReadRecord | string {
    if (!isObject(value)) return 'not a JSON object';
    const question = value.question;
    if (!isObject(question) || typeof question.problem !== 'string') return 'no `question.problem`';
    const label = value.label;
    if (!isObject(label) || !Array.isArray(label.steps)) return 'no `label.steps` list';
    const steps: LabeledStep[] = [];
    for (const [j, s] of label.steps.entries()) {
      const step = readStep(s, j);
      if (typeof step === 'string') return step;
      steps.push(step);
    }
    const problem = question.problem;
    const gold = typeof question.ground_truth_answer === 'string' ? question.ground_truth_answer : undefined;
    const finish = typeof label.finish_reason === 'string' ? label.finish_reason : undefined;
    return {
      label() {
        const firstWrong = steps.findIndex((s) => s.chosen === undefined || s.chosen.rating === -1);
        return [
          typeof value.generation === 'number' ? `phase 2, generation ${value.generation}` : 'phase 1',
          finish,
          firstWrong < 0 ? `${steps.length} steps rated` : `first -1 at step ${firstWrong + 1} of ${steps.length}`,
          oneLine(problem, 50),
        ].filter(Boolean).join(' · ');
      },
      convert(origin) {
        const run = new RunBuilder({ text: problem, answer: gold });
        let parent = ROOT_ID;
        let last: Completion | undefined;
        for (const [j, step] of steps.entries()) {
          step.completions.forEach((c, k) => {
            if (c === step.chosen) return;
            const id = `s0.${j}.alt${k}`;
            run.node(id, parent, { text: c.text, tags: stepTags(c, false) });
            const l = labelOf(c);
            if (l) run.label(id, l, SOURCE, c.rating);
            run.prune(id, 'an alternative the labeler rated but did not continue');
          });
          if (!step.chosen) {
            if (j < steps.length - 1) run.warn(`step ${j + 1} has no chosen completion; the ${steps.length - j - 1} steps after it are not shown`);
            break;
          }
          const id = `s0.${j}`;
          run.node(id, parent, { text: step.chosen.text, tags: stepTags(step.chosen, step.human) }, 0);
          // Labelers only write their own step after rating every completion -1, and it counts as +1.
          const l = step.human ? 'correct' : labelOf(step.chosen);
          if (l) run.label(id, l, SOURCE, step.chosen.rating);
          parent = id;
          last = step.chosen;
        }
        if (finish === 'bad_problem') run.warn('the labeler reported the problem as broken (finish_reason "bad_problem")');
        if (finish === 'give_up') run.warn('the labeler gave up on this solution (finish_reason "give_up")');
        if (!last) {
          run.warn('no step was chosen: the solution has no chain, only alternatives');
          return run.finish(origin);
        }
        run.answer(0, parent, extractAnswer(last.text), finish === 'solution' ? { correct: true, from: 'PRM800K finish_reason "solution"' } : undefined);
        return run.finish(origin);
      },
    };
  },
};
