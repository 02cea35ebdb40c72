/** Estimate Difficulty: what a finished pilot run says about the problem, and what is written to
 * its front matter (or its record). */
import { estimateDifficulty, formatDifficulty, type DifficultyEstimate } from '../../core/authoring/difficulty';
import { readProblem, type ProblemAt } from './read';
import type { ChainCounts } from './runResult';

export type PilotOutcome =
  | { estimate: DifficultyEstimate; message: string; /** The YAML comment after `difficulty:` (problem files). */ comment: string }
  | { estimate?: undefined; message: string };

/** The pass rate is over the chains that ended with an answer: a failed request or a chain cut off
 * before its answer says nothing about the problem, so they are left out, and the message says so. */
export function pilotOutcome(counts: ChainCounts, model: string, date: Date): PilotOutcome {
  const { answered, correct } = counts;
  const left = leftOut(counts);
  if (correct === undefined) return { message: 'the pilot had no answer to grade against; no difficulty estimated.' };
  if (answered === 0) return { message: `no chain of the pilot gave a final answer${left ? ` (${left})` : ''}; no difficulty estimated.` };
  const estimate = estimateDifficulty(correct, answered);
  return {
    estimate,
    message: `Estimated difficulty: ${formatDifficulty(estimate, model)}${left ? `; not counted: ${left}` : ''}.`,
    comment: `${model}: ${correct}/${answered} correct, pilot of ${localDate(date)}`,
  };
}

function leftOut({ noAnswer, failed }: ChainCounts): string {
  const chains = (n: number) => `${n} ${n === 1 ? 'chain' : 'chains'}`;
  return [failed > 0 && `${chains(failed)} failed`, noAnswer > 0 && `${chains(noAnswer)} without a final answer`].filter(Boolean).join(', ');
}

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Why the pilot's estimate no longer fits the problem at `at` in the document's `text` (edited while
 * the pilot ran or before "Write to Front Matter" was clicked), or undefined when it still does. The
 * estimate is about the statement the chains were given and the answer they were graded against. */
export function pilotNoLongerFits(text: string, at: ProblemAt, piloted: { text: string; answer?: string }): string | undefined {
  let now: { text: string; answer?: string };
  try {
    now = readProblem(text, at);
  } catch {
    return at.line === undefined ? 'the file no longer reads as a problem' : `line ${at.line} no longer reads as a problem record`;
  }
  if (now.text !== piloted.text) return 'the problem statement changed since the pilot ran';
  if ((now.answer ?? '') !== (piloted.answer ?? '')) return "the answer changed since the pilot ran (its chains were graded against the old one)";
  return undefined;
}
