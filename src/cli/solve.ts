/** `reasonscope solve`: sample chains for one problem, stream progress, save the run, summarise. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeAnswer } from '../core/answer/extract';
import { parseProblemFile, type Problem } from '../core/problem/problemFile';
import { buildSpec, executeRun } from '../core/search/run';
import { defaultRunFileName, prepareRun } from '../core/search/startRun';
import { answerGroups, type RunTree } from '../core/trace/tree';
import type { RunEndedEvent } from '../core/trace/schema';
import { numberFlag, parse, UsageError } from './args';
import { backendFromFlags, backendOptions } from './backendFlags';
import { StatusLine, bar, formatSeconds } from './output';

export const DEFAULT_MODEL = 'qwen2.5:1.5b';

export async function solveCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...backendOptions,
    text: { type: 'string' },
    model: { type: 'string', short: 'm' },
    strategy: { type: 'string' },
    n: { type: 'string', short: 'n' },
    seed: { type: 'string' },
    temperature: { type: 'string' },
    'top-p': { type: 'string' },
    'max-tokens': { type: 'string' },
    concurrency: { type: 'string' },
    'no-logprobs': { type: 'boolean' },
    answer: { type: 'string' },
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  });
  const strategy = values.strategy ?? 'majority';
  if (strategy !== 'cot' && strategy !== 'majority') throw new UsageError(`--strategy must be "cot" or "majority", got "${strategy}"`);
  const { problem, stem, source } = loadProblem(positionals, values.text);
  if (values.answer !== undefined) problem.answer = values.answer;
  const n = numberFlag(values.n, 'n', { min: 1, integer: true }) ?? 8;
  const backend = backendFromFlags(values);
  const model = values.model ?? process.env.REASONSCOPE_MODEL ?? DEFAULT_MODEL;
  const outFile = values.out ?? path.join('.reasonscope', 'runs', defaultRunFileName(stem, strategy));
  const spec = buildSpec({
    strategy,
    params: strategy === 'majority' ? { n } : {},
    model,
    sampling: {
      temperature: numberFlag(values.temperature, 'temperature', { min: 0 }) ?? (strategy === 'cot' ? 0 : 0.7),
      topP: numberFlag(values['top-p'], 'top-p', { min: 0 }) ?? 0.95,
      seed: numberFlag(values.seed, 'seed', { integer: true }),
      maxTokens: numberFlag(values['max-tokens'], 'max-tokens', { min: 1, integer: true }) ?? 2048,
    },
    concurrency: numberFlag(values.concurrency, 'concurrency', { min: 1, integer: true }) ?? 2,
    logprobs: !values['no-logprobs'],
    topLogprobs: 5,
  });
  const prepared = await prepareRun({ backend, problem: { id: problem.id, text: problem.text, answer: problem.answer, source }, outFile, spec }, signal);
  const { recorder } = prepared;
  const status = new StatusLine();
  for (const notice of prepared.notices) status.log(`note: ${notice}`);
  const chains = strategy === 'cot' ? 1 : n;
  recorder.onEvent((event, tree) => {
    if (event.type === 'answer_extracted' || event.type === 'sample_failed') {
      if (!values.json) status.log(chainLine(event, tree));
    }
    if (event.type === 'warning') status.log(`warning: ${event.message}`);
    status.update(progressLine(tree, chains, recorder.now()));
  });
  let ended: RunEndedEvent;
  try {
    ended = await executeRun(backend, recorder, prepared.spec, signal);
  } finally {
    recorder.close();
    status.clear();
  }
  if (values.json) {
    console.log(JSON.stringify({ runFile: outFile, ...ended }));
  } else {
    console.log(summary(recorder.tree, ended, outFile));
  }
  if (ended.status === 'cancelled') return 130;
  return ended.status === 'completed' ? 0 : 1;
}

function loadProblem(positionals: string[], text: string | undefined): { problem: Problem; stem: string; source?: string } {
  if (text !== undefined) {
    if (positionals.length) throw new UsageError('give either a problem file or --text, not both');
    if (!text.trim()) throw new UsageError('--text is empty');
    return { problem: { text: text.trim() }, stem: 'text' };
  }
  if (positionals.length !== 1) throw new UsageError('solve takes one problem file (or --text "…")');
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

function chainLine(event: { type: string; id?: string; sample?: number; lane?: string; message?: string }, tree: RunTree): string {
  if (event.type === 'sample_failed') return `${event.sample === undefined ? event.lane ?? 'a request' : `chain ${event.sample + 1}`}: failed — ${event.message}`;
  const node = tree.nodes.get(event.id ?? '');
  const steps = node ? node.depth - (node.kind === 'answer' ? 1 : 0) : 0;
  const answer = node?.answer?.raw ?? null;
  const mark = node?.answer?.correct === undefined ? '' : node.answer.correct ? '  ✓' : '  ✗';
  return `chain ${(node?.sample ?? 0) + 1}: ${answer === null ? 'no \\boxed{} answer' : answer} (${steps} steps)${mark}`;
}

function progressLine(tree: RunTree, chains: number, ms: number): string {
  let done = 0;
  let steps = 0;
  for (const node of tree.nodes.values()) {
    if (node.answer) done++;
    if (node.kind === 'step') steps++;
  }
  done += tree.failures.length;
  return `${bar(done / chains, 20)} ${done}/${chains} chains · ${steps} steps · ${formatSeconds(ms)}`;
}

function summary(tree: RunTree, ended: RunEndedEvent, outFile: string): string {
  const lines: string[] = [];
  const groups = answerGroups(tree);
  const total = groups.reduce((s, g) => s + g.votes, 0);
  const gold = tree.header.problem.answer;
  const width = Math.min(40, Math.max(12, ...groups.map((g) => (g.answer ?? '(no answer)').length)));
  lines.push('', 'Answers');
  for (const g of groups) {
    const label = (g.answer ?? '(no answer)').padEnd(width);
    const mark = g.correct === undefined ? '' : g.correct ? '  ✓ matches gold' : '';
    lines.push(`  ${label}  ${String(g.votes).padStart(3)} ${g.votes === 1 ? 'vote ' : 'votes'}  ${bar(g.votes / Math.max(1, total), 12)}${mark}`);
  }
  if (!groups.length) lines.push('  (none)');
  const winner = ended.result?.answer;
  if (winner) {
    const verdict = gold === undefined ? '' : ended.result?.correct ? ' — correct' : ` — wrong (gold ${normalizeAnswer(gold)})`;
    lines.push(`Majority answer: ${winner}${verdict}`);
  }
  const t = ended.totals;
  lines.push(`${t.completionTokens.toLocaleString('en-US')} tokens generated · ${t.promptTokens.toLocaleString('en-US')} prompt · ${t.requests} requests · ${formatSeconds(t.wallMs)}`);
  if (ended.status === 'cancelled') lines.push(`Cancelled: the partial run is saved to ${outFile}`);
  else if (ended.status === 'failed') lines.push(`Failed: ${ended.error}\nThe run is saved to ${outFile}`);
  else lines.push(`Run saved to ${outFile}`);
  return lines.join('\n');
}
