/** The problem a run is about: a `*.problem.md` file or `--text`, for `solve` and `search`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseProblemFile, type Problem } from '../core/problem/problemFile';
import { UsageError } from './args';

export interface ProblemArg {
  problem: Problem;
  /** Names the default run file. */
  stem: string;
  /** The problem file, recorded in the run header. */
  source?: string;
}

export function loadProblem(command: string, positionals: string[], text: string | undefined): ProblemArg {
  if (text !== undefined) {
    if (positionals.length) throw new UsageError('give either a problem file or --text, not both');
    if (!text.trim()) throw new UsageError('--text is empty');
    return { problem: { text: text.trim() }, stem: 'text' };
  }
  if (positionals.length !== 1) throw new UsageError(`${command} takes one problem file (or --text "…")`);
  const file = positionals[0];
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return { problem: parseProblemFile(content), stem: path.basename(file).replace(/\.md$/, ''), source: file };
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
}
