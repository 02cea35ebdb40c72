/** Estimate Difficulty: what a finished pilot run says about the problem, and what is written to
 * its front matter (or its record). */
import { estimateDifficulty, formatDifficulty, type DifficultyEstimate } from '../../core/authoring/difficulty';
import { parseProblemDocument } from '../../core/authoring/problemDocument';
import { recordsHolding, sameStatement } from '../../core/authoring/recordMatch';
import type { ProblemUnit } from '../../core/authoring/types';
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

/** Where the pilot's estimate goes in the document's `text` as it is now (edited while the pilot ran or
 * before "Write to …" was clicked): the problem file, or the record that holds the piloted statement and
 * answer — on its line, or where lines inserted or deleted above moved it. Else why it fits nowhere. The
 * estimate is about the statement the chains were given and the answer they were graded against. */
export function pilotTarget(text: string, at: ProblemAt, piloted: { text: string; answer?: string }): { line?: number } | { stale: string } {
  const sameAnswer = (answer: string | undefined) => (answer ?? '') === (piloted.answer ?? '');
  if (at.line === undefined) {
    let now: { text: string; answer?: string };
    try {
      now = readProblem(text, at);
    } catch {
      return { stale: 'the file no longer reads as a problem' };
    }
    if (now.text !== piloted.text) return { stale: 'the problem statement changed since the pilot ran' };
    return sameAnswer(now.answer) ? {} : { stale: ANSWER_CHANGED };
  }
  const problem = parseProblemDocument(text, at.fileName);
  // As readProblem reads a record: an unreadable line holds no problem.
  const hasStatement = (u: ProblemUnit) => !u.readErrors && sameStatement(u.statement.text, piloted.text);
  const found = recordsHolding(problem, at.line, (u) => hasStatement(u) && sameAnswer(u.answer?.text));
  if (found.length === 1) return { line: found[0].line };
  if (found.length > 1) return { stale: `the piloted problem is on ${found.length} lines (${found.map((u) => u.line).join(', ')}), so which record it was is unclear` };
  if (problem.units.some(hasStatement)) return { stale: ANSWER_CHANGED };
  const onLine = problem.units.find((u) => u.line === at.line);
  if (!onLine || onLine.readErrors) return { stale: `line ${at.line} no longer reads as a problem record, and no other record holds the piloted statement` };
  return { stale: 'the problem statement changed since the pilot ran' };
}

const ANSWER_CHANGED = 'the answer changed since the pilot ran (its chains were graded against the old one)';
