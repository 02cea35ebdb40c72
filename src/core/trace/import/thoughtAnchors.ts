/** thought-anchors folders (interp-reasoning/thought-anchors): one folder per problem and base
 * solution, `problem_N/` with `problem.json` (problem, `gt_answer`), `base_solution.json` (the full
 * trace, the model's `answer`, `is_correct`) and `chunks_labeled.json` (the trace cut into sentence
 * chunks, each with `function_tags` and importance measured from ~100 rollouts). Chunks become
 * steps carrying their tags and importance scores. The opened folder may be one problem folder or
 * any folder above them (`<model>/{correct,incorrect}_base_solution/problem_N`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractAnswer } from '../../answer/extract';
import { asBoolean, asNumber, isObject, oneLine, type JsonObject } from './fields';
import { RunBuilder, UNKNOWN_MODEL, type ChainStep, type FoundAnswer } from './runBuilder';
import { splitReasoning } from './steps';
import { ImportError, type ImportedRun, type TraceSource } from './types';

const PROBLEM = 'problem.json';
const SOLUTION = 'base_solution.json';
const CHUNKS = 'chunks_labeled.json';
/** Problem folders sit at most this deep below the opened folder. */
const MAX_DEPTH = 3;
const VARIANT = /^(.+)_base_solution$/;
/** Per-chunk measurements and the scorer names they get in the run. */
const SCORES: readonly [field: string, scorer: string][] = [
  ['resampling_importance_accuracy', 'importance.resampling'],
  ['counterfactual_importance_accuracy', 'importance.counterfactual'],
  ['forced_importance_accuracy', 'importance.forced'],
  ['resampling_importance_kl', 'importance.resampling.kl'],
  ['counterfactual_importance_kl', 'importance.counterfactual.kl'],
  ['forced_importance_kl', 'importance.forced.kl'],
  ['accuracy', 'rollouts.accuracy'],
];

interface Chunk {
  text: string;
  tags: string[];
  scores: JsonObject;
}

interface Trace {
  problem: string;
  gold?: string;
  solution: string;
  answer: FoundAnswer | null;
  isCorrect?: boolean;
  chunks?: Chunk[];
}

export function isThoughtAnchorsFolder(dir: string): boolean {
  return fs.existsSync(path.join(dir, SOLUTION));
}

async function findProblemFolders(dir: string, depth = 0): Promise<string[]> {
  if (isThoughtAnchorsFolder(dir)) return [dir];
  if (depth >= MAX_DEPTH) return [];
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  const found = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => findProblemFolders(path.join(dir, e.name), depth + 1)));
  return found.flat();
}

/** Model, variant ("correct", "incorrect") and problem folder name, from the folder layout. */
function describeFolder(folder: string): { model?: string; variant?: string; name: string } {
  const parent = path.basename(path.dirname(folder));
  const variant = VARIANT.exec(parent)?.[1];
  return { name: path.basename(folder), variant, model: variant ? path.basename(path.dirname(path.dirname(folder))) : undefined };
}

/** Each problem's correct and incorrect solutions next to each other, problems in numeric order. */
function sortKey(folder: string): string {
  const { model, variant, name } = describeFolder(folder);
  return [model ?? '', name, variant ?? ''].join('\u0000');
}

async function readJson(folder: string, file: string, where: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.promises.readFile(path.join(folder, file), 'utf8');
  } catch (err) {
    throw new ImportError(`${where}/${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ImportError(`${where}/${file}: not JSON (${(err as Error).message})`);
  }
}

function readChunks(value: unknown, where: string): Chunk[] {
  if (!Array.isArray(value)) throw new ImportError(`${where}/${CHUNKS}: not a list of chunks`);
  return value.map((item, i) => {
    if (!isObject(item) || typeof item.chunk !== 'string') throw new ImportError(`${where}/${CHUNKS}: chunk ${i} has no \`chunk\` text`);
    const tags = Array.isArray(item.function_tags) ? item.function_tags.filter((t): t is string => typeof t === 'string') : [];
    return { text: item.chunk, tags, scores: item };
  });
}

async function readTrace(folder: string, where: string): Promise<Trace> {
  const problem = await readJson(folder, PROBLEM, where);
  const solution = await readJson(folder, SOLUTION, where);
  if (!isObject(problem) || typeof problem.problem !== 'string') throw new ImportError(`${where}/${PROBLEM}: no \`problem\` text`);
  if (!isObject(solution) || typeof solution.solution !== 'string') throw new ImportError(`${where}/${SOLUTION}: no \`solution\` text`);
  const chunks = fs.existsSync(path.join(folder, CHUNKS)) ? readChunks(await readJson(folder, CHUNKS, where), where) : undefined;
  const answer = typeof solution.answer === 'string' && solution.answer.trim() ? { answer: solution.answer.trim() } : extractAnswer(solution.solution);
  return {
    problem: problem.problem,
    gold: typeof problem.gt_answer === 'string' ? problem.gt_answer : undefined,
    solution: solution.solution,
    answer,
    isCorrect: asBoolean(solution.is_correct),
    chunks,
  };
}

function convert(trace: Trace, folder: string, origin: { file: string; index: number; createdAt: string }): ImportedRun {
  const { model, name } = describeFolder(folder);
  const run = new RunBuilder({ id: name, text: trace.problem, answer: trace.gold }, model ?? UNKNOWN_MODEL);
  let steps: ChainStep[];
  if (trace.chunks) {
    steps = trace.chunks.map((c) => ({ text: c.text, tags: c.tags }));
  } else {
    const split = splitReasoning(trace.solution);
    steps = split.steps;
    run.warn(`no ${CHUNKS}: steps are the solution's paragraphs, without function tags or importance`);
  }
  if (steps.length === 0) throw new ImportError(`${origin.file}: the solution has no text`);
  const ids = run.chain(0, steps);
  trace.chunks?.forEach((chunk, i) => {
    for (const [field, scorer] of SCORES) run.score(ids[i], scorer, asNumber(chunk.scores[field]));
  });
  run.answer(0, ids[ids.length - 1], trace.answer, trace.isCorrect === undefined ? undefined : { correct: trace.isCorrect, from: `thought-anchors ${SOLUTION} is_correct` });
  return run.finish({ format: 'thought-anchors', ...origin });
}

export async function thoughtAnchorsSource(dir: string, createdAt: string): Promise<TraceSource> {
  const folders = (await findProblemFolders(dir)).sort((a, b) => sortKey(a).localeCompare(sortKey(b), undefined, { numeric: true }));
  if (folders.length === 0) {
    throw new ImportError(`no thought-anchors problem folders (with ${PROBLEM}, ${SOLUTION} and ${CHUNKS}) in ${path.basename(dir)} or up to ${MAX_DEPTH} levels below it`);
  }
  const base = path.basename(dir);
  const where = (folder: string) => [base, path.relative(dir, folder)].filter(Boolean).join('/');
  const problems = folders.filter((f) => !fs.existsSync(path.join(f, PROBLEM))).map((f) => `${where(f)}: no ${PROBLEM}`);
  const readable = folders.filter((f) => fs.existsSync(path.join(f, PROBLEM)));
  const get = (k: number) => {
    if (!Number.isInteger(k) || k < 0 || k >= readable.length) throw new ImportError(`no record ${k}: ${base} has ${readable.length} problem folders (0–${readable.length - 1})`);
    return readable[k];
  };
  return {
    path: dir,
    format: 'thought-anchors',
    recordCount: readable.length,
    problems,
    async label(k) {
      const folder = get(k);
      const trace = await readTrace(folder, where(folder));
      const { model, variant, name } = describeFolder(folder);
      const mark = trace.isCorrect === undefined ? '' : trace.isCorrect ? ' ✓' : ' ✗';
      return [
        k, name, variant && `${variant} solution`, model,
        trace.chunks && `${trace.chunks.length} chunks`,
        trace.answer !== null && `answer ${trace.answer.answer}${mark}`,
        oneLine(trace.problem, 50),
      ].filter((x) => x !== undefined && x !== false && x !== '').join(' · ');
    },
    async load(k) {
      const folder = get(k);
      return convert(await readTrace(folder, where(folder)), folder, { file: where(folder), index: k, createdAt });
    },
    close: async () => undefined,
  };
}
