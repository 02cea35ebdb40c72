/** What the language server is told about a problem's last run (hover, inline annotation, "Open last
 * run"), built from the run's tree; and the capped, newest-first list the workspace remembers. */
import { parseProblemDocument } from '../../core/authoring/problemDocument';
import { unitResults } from '../../core/authoring/recordMatch';
import type { ProblemRunResult } from '../../server/protocol';
import type { RunEndedEvent } from '../../core/trace/schema';
import { answerGroups, type RunTree } from '../../core/trace/tree';

/** How a run's chains ended. */
export interface ChainCounts {
  /** Chains that produced a final answer. */
  answered: number;
  /** Answered chains graded correct; undefined when the run had no gold answer to grade against. */
  correct?: number;
  /** Chains that finished without a final answer. */
  noAnswer: number;
  /** Chains whose requests failed. */
  failed: number;
}

/** Counts from the verdicts the run already holds: the engine grades every answer against the gold
 * answer in its header as it votes, so nothing is graded again here. */
export function chainCounts(tree: RunTree): ChainCounts {
  const graded = tree.header.problem.answer !== undefined;
  let answered = 0;
  let correct = 0;
  let noAnswer = 0;
  for (const node of tree.nodes.values()) {
    if (!node.answer) continue;
    if (node.answer.normalized === null) noAnswer++;
    else {
      answered++;
      if (node.answer.correct === true) correct++;
    }
  }
  return { answered, ...(graded && { correct }), noAnswer, failed: tree.failures.length };
}

export function problemRunResult(
  tree: RunTree,
  ended: RunEndedEvent,
  where: { uri: string; line?: number; runFile: string; finishedAt: Date },
): ProblemRunResult {
  const { answered, correct } = chainCounts(tree);
  // The most-voted answer, whatever the strategy chose (best-of-N, MCTS may pick a minority answer);
  // on a tie the one the vote chose, as the run's own result names it.
  const groups = answerGroups(tree).filter((g) => g.answer !== null);
  const top = groups.filter((g) => g.votes === groups[0]?.votes);
  const majority = top.find((g) => g.answer === ended.result?.answer) ?? top[0];
  return {
    uri: where.uri,
    ...(where.line !== undefined && { line: where.line }),
    statement: tree.header.problem.text,
    runFile: where.runFile,
    model: tree.header.backend.model,
    strategy: tree.header.strategy.name,
    status: ended.status,
    answered,
    ...(correct !== undefined && { correct }),
    ...(majority?.answer != null && { majority: majority.answer }),
    ...(majority?.correct !== undefined && { majorityCorrect: majority.correct }),
    finishedAt: where.finishedAt.toISOString(),
  };
}

/** Problems remembered per workspace; the oldest are forgotten past this. */
export const REMEMBERED_RESULTS = 200;

/** A problem as results name it: a problem file's uri, or a problem set's uri and a record's line. */
export type ProblemKey = Pick<ProblemRunResult, 'uri' | 'line'>;

/** The last run of the record now on `line` of a problem set's `text`, the one the server shows on it:
 * `results` (the set's) are remembered by the line they were run on, which the record may have left
 * since (lines inserted or deleted above), so it is found by its statement as the server finds it. */
export function recordResult(text: string, fileName: string, line: number, results: readonly ProblemRunResult[]): ProblemRunResult | undefined {
  const problem = parseProblemDocument(text, fileName);
  const unit = problem.units.find((u) => u.line === line);
  return unit && unitResults(problem, new Map(results.map((r) => [r.line, r]))).get(unit);
}

export function isResultOf(result: ProblemRunResult, problem: ProblemKey): boolean {
  return result.uri === problem.uri && result.line === problem.line;
}

/** `results` (newest first) with `result` first in place of its problem's older entry, capped. */
export function withResult(results: readonly ProblemRunResult[], result: ProblemRunResult): ProblemRunResult[] {
  return [result, ...results.filter((r) => !isResultOf(r, result))].slice(0, REMEMBERED_RESULTS);
}
