/** The problems of an evaluation: a MATH-500-style JSONL set, each problem with the path-safe name
 * its run files carry, and the run files themselves (`runs/<problem>-<strategy>-n<N>.run.jsonl`). */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDataset, problemFileName, recordToProblem } from '../problem/dataset';
import type { ProblemRef } from '../trace/schema';

export interface EvalProblem {
  /** Names its run files: the dataset id made path-safe ("test/algebra/24.json" → "algebra-24"). */
  slug: string;
  problem: ProblemRef;
  /** MATH difficulty 1–5, when the dataset gives it. */
  level?: number;
}

export interface EvalDataset {
  problems: EvalProblem[];
  /** Lines that are not problems, each with its line number and why (they are skipped). */
  skipped: string[];
  /** Of the file's bytes: an evaluation refuses to continue on a dataset that changed under it. */
  sha256: string;
}

export function readEvalDataset(file: string): EvalDataset {
  const bytes = fs.readFileSync(file);
  const { records, problems: skipped } = parseDataset(bytes.toString('utf8'));
  const seen = new Map<string, number>();
  const problems = records.map(({ line, record }, index) => {
    const problem = recordToProblem(record, path.basename(file));
    const slug = problemFileName(problem, index).replace(/\.problem\.md$/, '');
    const first = seen.get(slug);
    // Two problems sharing a name would share run files, and each would be taken for the other.
    if (first !== undefined) throw new Error(`${path.basename(file)}: lines ${first} and ${line} have the same id "${problem.id ?? slug}"; give each problem its own unique_id`);
    seen.set(slug, line);
    return {
      slug,
      problem: { ...(problem.id !== undefined && { id: problem.id }), text: problem.text, ...(problem.answer !== undefined && { answer: problem.answer }), source: problem.source },
      ...(problem.level !== undefined && { level: problem.level }),
    };
  });
  return { problems, skipped, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export function runFilePath(dir: string, slug: string, strategy: string, n: number | undefined): string {
  return path.join(dir, 'runs', `${slug}-${strategy}${n === undefined ? '' : `-n${n}`}.run.jsonl`);
}
