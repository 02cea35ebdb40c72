/** The one-line summary of a problem's last run, shown at the end of its title line. */
import { estimateDifficulty, formatDifficulty } from '../core/authoring/difficulty';
import { plainMath } from '../core/format';
import type { ProblemRunResult } from './protocol';

export interface RunAnnotation {
  label: string;
  tooltip: string;
}

/** e.g. "✓ 7/8 · majority 42 · easy for qwen2.5:1.5b"; without a gold answer "7 answered · majority 42". */
export function formatRunAnnotation(result: ProblemRunResult): RunAnnotation {
  const parts: string[] = [];
  if (result.status !== 'completed') parts.push(`run ${result.status}`);
  const difficulty = runDifficulty(result);
  if (result.correct !== undefined && result.answered > 0) {
    parts.push(`${result.majorityCorrect ? '✓' : '✗'} ${result.correct}/${result.answered}`);
  } else {
    parts.push(`${result.answered} answered`);
  }
  if (result.majority !== undefined) parts.push(`majority ${plainMath(result.majority)}`);
  if (difficulty) parts.push(`${difficulty.bin} for ${result.model}`);
  return { label: parts.join(' · '), tooltip: runDetails(result).join('\n') };
}

/** The run's difficulty estimate: only with graded chains (a gold answer) and at least one answer. */
function runDifficulty(result: ProblemRunResult): ReturnType<typeof estimateDifficulty> | undefined {
  if (result.correct === undefined || result.answered < 1 || result.correct > result.answered) return undefined;
  return estimateDifficulty(result.correct, result.answered);
}

/** The run in full, one fact a line (the inlay tooltip and the title hover). */
export function runDetails(result: ProblemRunResult): string[] {
  const lines = [`Last run: ${result.model}, ${result.strategy}${result.status === 'completed' ? '' : ` (${result.status})`}`];
  lines.push(result.correct !== undefined ? `Correct: ${result.correct} of ${result.answered} answered` : `Answered: ${result.answered} (no gold answer to grade against)`);
  if (result.majority !== undefined) {
    const verdict = result.majorityCorrect === undefined ? '' : result.majorityCorrect ? ' — right' : ' — wrong';
    lines.push(`Majority answer: ${plainMath(result.majority)}${verdict}`);
  }
  const difficulty = runDifficulty(result);
  if (difficulty) lines.push(`Difficulty: ${formatDifficulty(difficulty, result.model)}`);
  lines.push(`Finished: ${result.finishedAt}`, `Run file: ${result.runFile}`);
  return lines;
}
