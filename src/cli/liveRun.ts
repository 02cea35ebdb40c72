/** Runs a prepared (or resumed) run in the terminal, shared by `solve` and `search`: a line per
 * answer, a live status line, then the summary (or one JSON line) and the exit code. */
import { normalizeAnswer } from '../core/answer/extract';
import type { ModelBackend } from '../core/model/types';
import { executeRun } from '../core/search/run';
import type { PreparedRun } from '../core/search/startRun';
import type { RunEndedEvent, RunEvent } from '../core/trace/schema';
import { answerGroups, type RunTree, type TreeNode } from '../core/trace/tree';
import { StatusLine, bar, formatSeconds } from './output';

export interface LiveRunOptions {
  outFile: string;
  json?: boolean;
  /** Chains the strategy draws, when the command knows: the status line then shows a bar. */
  chains?: number;
  /** The command's status line, when it printed notes before the run. */
  status?: StatusLine;
}

export async function runLive(backend: ModelBackend, prepared: PreparedRun, opts: LiveRunOptions, signal: AbortSignal): Promise<number> {
  const { recorder } = prepared;
  const status = opts.status ?? new StatusLine();
  for (const notice of prepared.notices) status.log(`note: ${notice}`);
  const progress = new RunProgress(recorder.tree);
  recorder.onEvent((event, tree) => {
    progress.apply(event);
    if ((event.type === 'answer_extracted' || event.type === 'sample_failed') && !opts.json) status.log(answerLine(event, tree));
    if (event.type === 'warning') status.log(`warning: ${event.message}`);
    status.update(progress.line(recorder.now(), opts.chains));
  });
  let ended: RunEndedEvent;
  try {
    ended = await executeRun(backend, recorder, prepared.spec, signal);
  } finally {
    recorder.close();
    status.clear();
  }
  console.log(opts.json ? JSON.stringify({ runFile: opts.outFile, ...ended }) : runSummary(recorder.tree, ended, opts.outFile));
  if (ended.status === 'cancelled') return 130;
  return ended.status === 'completed' ? 0 : 1;
}

/** Counters for the status line, kept per event so a big tree is not walked on every update. */
export class RunProgress {
  private nodes = 0;
  private steps = 0;
  private pruned = 0;
  private answers = 0;
  private tokens = 0;
  private best = Number.NaN;

  constructor(tree: RunTree) {
    for (const node of tree.nodes.values()) {
      this.countNode(node);
      if (node.status === 'pruned') this.pruned++;
      if (node.answer) this.answers++;
      for (const score of Object.values(node.scores)) this.best = bestOf(this.best, score);
    }
    this.answers += tree.failures.length;
  }

  apply(event: RunEvent): void {
    if (event.type === 'node_added') this.countNode(event);
    else if (event.type === 'node_pruned') this.pruned++;
    else if (event.type === 'answer_extracted' || event.type === 'sample_failed') this.answers++;
    else if (event.type === 'step_scored') this.best = bestOf(this.best, event.score);
  }

  line(ms: number, chains?: number): string {
    const parts = [
      chains === undefined ? `${this.answers} ${this.answers === 1 ? 'answer' : 'answers'}` : `${bar(this.answers / chains, 20)} ${this.answers}/${chains} chains`,
      `${this.steps} steps`,
      ...(chains === undefined ? [`${this.nodes} nodes`] : []),
      ...(this.pruned ? [`${this.pruned} pruned`] : []),
      ...(Number.isNaN(this.best) ? [] : [`best score ${this.best.toFixed(2)}`]),
      `${this.tokens.toLocaleString('en-US')} tokens`,
      formatSeconds(ms),
    ];
    return parts.join(' · ');
  }

  private countNode(node: { kind: string; tokenCount?: number }): void {
    if (node.kind === 'root') return;
    this.nodes++;
    if (node.kind === 'step') this.steps++;
    this.tokens += node.tokenCount ?? 0;
  }
}

const bestOf = (best: number, score: number) => (Number.isFinite(score) && !(score <= best) ? score : best);

function chainName(node: TreeNode | undefined, fallback: string): string {
  if (node?.sample !== undefined) return `chain ${node.sample + 1}`;
  return node ? `branch ${node.id}` : fallback;
}

function answerLine(event: { type: string; id?: string; sample?: number; lane?: string; message?: string }, tree: RunTree): string {
  if (event.type === 'sample_failed') return `${event.sample === undefined ? event.lane ?? 'a request' : `chain ${event.sample + 1}`}: failed — ${event.message}`;
  const node = tree.nodes.get(event.id ?? '');
  const steps = node ? node.depth - (node.kind === 'answer' ? 1 : 0) : 0;
  const answer = node?.answer?.raw ?? null;
  const mark = node?.answer?.correct === undefined ? '' : node.answer.correct ? '  ✓' : '  ✗';
  return `${chainName(node, 'chain 1')}: ${answer === null ? 'no final answer' : answer} (${steps} steps)${mark}`;
}

export function runSummary(tree: RunTree, ended: RunEndedEvent, outFile: string): string {
  const lines: string[] = [];
  const groups = answerGroups(tree);
  const total = groups.reduce((s, g) => s + g.votes, 0);
  const gold = tree.header.problem.answer;
  const weights = ended.result?.weights;
  const width = Math.min(40, Math.max(12, ...groups.map((g) => (g.answer ?? '(no answer)').length)));
  lines.push('', 'Answers');
  for (const g of groups) {
    const label = (g.answer ?? '(no answer)').padEnd(width);
    const weight = weights && g.answer !== null ? `  weight ${(weights[g.answer] ?? 0).toFixed(2)}` : '';
    const mark = g.correct === undefined ? '' : g.correct ? '  ✓ matches gold' : '';
    lines.push(`  ${label}  ${String(g.votes).padStart(3)} ${g.votes === 1 ? 'vote ' : 'votes'}  ${bar(g.votes / Math.max(1, total), 12)}${weight}${mark}`);
  }
  if (!groups.length) lines.push('  (none)');
  const winner = ended.result?.answer;
  if (winner) {
    const verdict = gold === undefined ? '' : ended.result?.correct ? ' — correct' : ` — wrong (gold ${normalizeAnswer(gold)})`;
    const selected = ended.result?.selected;
    if (selected === undefined) lines.push(`Majority answer: ${winner}${verdict}`);
    else {
      const weight = weights?.[winner] === undefined ? '' : `, weight ${weights[winner].toFixed(2)}`;
      lines.push(`Selected answer: ${winner}${verdict} (chosen by ${tree.header.strategy.name}${weight}: ${chainName(tree.nodes.get(selected), selected)})`);
    }
  }
  if (ended.stoppedBy) lines.push(`Stopped early: ${ended.stoppedBy}`);
  const t = ended.totals;
  const pruned = [...tree.nodes.values()].filter((n) => n.status === 'pruned').length;
  lines.push(`${t.completionTokens.toLocaleString('en-US')} tokens generated · ${t.promptTokens.toLocaleString('en-US')} prompt · ${t.requests} requests${pruned ? ` · ${pruned} pruned` : ''} · ${formatSeconds(t.wallMs)}`);
  const resume = `continue it with: reasonscope search --resume ${outFile}`;
  if (ended.status === 'cancelled') lines.push(`Cancelled: the partial run is saved to ${outFile}; ${resume}`);
  else if (ended.status === 'failed') lines.push(`Failed: ${ended.error}\nThe run is saved to ${outFile}; ${resume}`);
  else lines.push(`Run saved to ${outFile}`);
  return lines.join('\n');
}
