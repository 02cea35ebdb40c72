/** `reasonscope convert`: MATH-500-style JSONL <-> `*.problem.md` files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatProblemFile, parseDataset, problemFileName, problemToRecord, recordToProblem } from '../core/problem/dataset';
import { parseProblemFile, type Problem } from '../core/problem/problemFile';
import { parse, UsageError } from './args';

const isJsonl = (p: string) => p.endsWith('.jsonl');

export async function convertCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse(argv, { force: { type: 'boolean' } });
  if (positionals.length !== 2) throw new UsageError('convert takes an input and an output: a .jsonl problem set, a .problem.md file, or a folder of them');
  const [input, output] = positionals;
  if (!fs.existsSync(input)) throw new UsageError(`cannot read ${input}: no such file or folder`);
  const { problems, issues } = readProblems(input);
  for (const issue of issues) console.error(`${input}: ${issue}`);
  if (problems.length === 0) throw new Error(`${input}: no problems to convert`);
  if (isJsonl(output)) {
    if (fs.existsSync(output) && !values.force) throw new UsageError(`${output} exists; pass --force to overwrite it`);
    fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
    fs.writeFileSync(output, problems.map((p) => JSON.stringify(problemToRecord(p))).join('\n') + '\n');
    console.log(`Wrote ${problems.length} problem${problems.length === 1 ? '' : 's'} to ${output}`);
  } else {
    fs.mkdirSync(output, { recursive: true });
    const used = new Set<string>();
    for (const [i, problem] of problems.entries()) {
      let name = problemFileName(problem, i);
      // Two records with one id must not overwrite each other.
      for (let k = 2; used.has(name); k++) name = problemFileName(problem, i).replace(/\.problem\.md$/, `-${k}.problem.md`);
      used.add(name);
      const file = path.join(output, name);
      if (fs.existsSync(file) && !values.force) throw new UsageError(`${file} exists; pass --force to overwrite`);
      fs.writeFileSync(file, formatProblemFile(problem));
    }
    console.log(`Wrote ${problems.length} problem file${problems.length === 1 ? '' : 's'} to ${output}`);
  }
  return issues.length ? 1 : 0;
}

function readProblems(input: string): { problems: Problem[]; issues: string[] } {
  if (fs.statSync(input).isDirectory()) {
    const files = fs.readdirSync(input).filter((f) => f.endsWith('.problem.md')).sort();
    const problems: Problem[] = [];
    const issues: string[] = [];
    for (const f of files) {
      try {
        problems.push(parseProblemFile(fs.readFileSync(path.join(input, f), 'utf8')));
      } catch (err) {
        issues.push(`${f}: ${(err as Error).message}`);
      }
    }
    return { problems, issues };
  }
  const text = fs.readFileSync(input, 'utf8');
  if (isJsonl(input)) {
    const parsed = parseDataset(text);
    return { problems: parsed.records.map((r) => recordToProblem(r.record)), issues: parsed.problems };
  }
  try {
    return { problems: [parseProblemFile(text)], issues: [] };
  } catch (err) {
    throw new UsageError(`${input}: ${(err as Error).message}`);
  }
}
