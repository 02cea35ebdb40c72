/** An evaluation's results from its runs' `run_ended` lines: accuracy, tokens and wall time per N,
 * and accuracy per MATH level, written as `summary.json` (every run's row too) and `summary.md`. A
 * run counts once it completed (a run stopped by its budget has completed); accuracy is over the
 * completed runs whose problem has a gold answer. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvalPlan } from './evaluate';
import type { EvalSettings } from './settings';

export interface EvalRunRow {
  problem: string;
  id?: string;
  level?: number;
  n?: number;
  /** Relative to the evaluation folder. */
  file: string;
  status: 'completed' | 'cancelled' | 'failed' | 'interrupted' | 'not run';
  answer?: string | null;
  correct?: boolean;
  stoppedBy?: string;
  completionTokens?: number;
  promptTokens?: number;
  requests?: number;
  wallMs?: number;
}

export interface Accuracy {
  /** Completed runs with a gold answer to grade against. */
  graded: number;
  correct: number;
  /** correct / graded; null when nothing was graded. */
  accuracy: number | null;
}

export interface NRow extends Accuracy {
  /** null for a strategy without `n`. */
  n: number | null;
  runs: number;
  completed: number;
  failed: number;
  meanCompletionTokens: number | null;
  meanWallMs: number | null;
  totalWallMs: number;
}

export interface LevelRow {
  level: number | null;
  problems: number;
  byN: (Accuracy & { n: number | null })[];
}

export interface EvalSummary {
  settings: EvalSettings;
  problems: number;
  byN: NRow[];
  byLevel: LevelRow[];
  runs: EvalRunRow[];
}

export function summariseEval(dir: string, plan: EvalPlan): EvalSummary {
  const runs = plan.runs.map((run): EvalRunRow => {
    const base = {
      problem: run.problem.slug,
      ...(run.problem.problem.id !== undefined && { id: run.problem.problem.id }),
      ...(run.problem.level !== undefined && { level: run.problem.level }),
      ...(run.n !== undefined && { n: run.n }),
      file: path.relative(dir, run.file),
    };
    if (run.state.kind !== 'ended') return { ...base, status: run.state.kind === 'missing' ? 'not run' : 'interrupted' };
    const { ended } = run.state;
    return {
      ...base,
      status: ended.status,
      answer: ended.result?.answer ?? null,
      ...(ended.result?.correct !== undefined && { correct: ended.result.correct }),
      ...(ended.stoppedBy !== undefined && { stoppedBy: ended.stoppedBy }),
      completionTokens: ended.totals.completionTokens,
      promptTokens: ended.totals.promptTokens,
      requests: ended.totals.requests,
      wallMs: ended.totals.wallMs,
    };
  });
  const ns = [...new Set(runs.map((r) => r.n ?? null))];
  const byN = ns.map((n): NRow => {
    const rows = runs.filter((r) => (r.n ?? null) === n);
    const completed = rows.filter((r) => r.status === 'completed');
    const totalWallMs = completed.reduce((s, r) => s + (r.wallMs ?? 0), 0);
    return {
      n,
      runs: rows.length,
      completed: completed.length,
      failed: rows.filter((r) => r.status === 'failed').length,
      ...accuracy(completed),
      meanCompletionTokens: mean(completed.map((r) => r.completionTokens ?? 0)),
      meanWallMs: mean(completed.map((r) => r.wallMs ?? 0)),
      totalWallMs,
    };
  });
  const levels = [...new Set(runs.map((r) => r.level ?? null))].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  const byLevel = levels.map((level): LevelRow => {
    const rows = runs.filter((r) => (r.level ?? null) === level);
    return {
      level,
      problems: new Set(rows.map((r) => r.problem)).size,
      byN: ns.map((n) => ({ n, ...accuracy(rows.filter((r) => (r.n ?? null) === n && r.status === 'completed')) })),
    };
  });
  return { settings: plan.settings, problems: new Set(runs.map((r) => r.problem)).size, byN, byLevel, runs };
}

function accuracy(completed: EvalRunRow[]): Accuracy {
  const graded = completed.filter((r) => r.correct !== undefined);
  const correct = graded.filter((r) => r.correct).length;
  return { graded: graded.length, correct, accuracy: graded.length ? correct / graded.length : null };
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

export function summaryMarkdown(summary: EvalSummary): string {
  const { settings: s } = summary;
  const nLabel = (n: number | null) => (n === null ? '—' : String(n));
  const acc = (a: Accuracy) => (a.accuracy === null ? '—' : `${(a.accuracy * 100).toFixed(1)}% (${a.correct}/${a.graded})`);
  const setting = [
    `model ${s.model}`,
    ...Object.entries(s.params).map(([k, v]) => `${k} ${String(v)}`),
    `scorer ${s.scorer?.name ?? 'none'}`,
    `temperature ${s.sampling.temperature ?? 'server default'}`,
    `seed ${s.sampling.seed}`,
    ...(s.budget ? [`budget ${Object.entries(s.budget).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`] : []),
  ];
  const lines = [
    `# ${s.strategy} on ${path.basename(s.dataset.file)}`,
    '',
    `${summary.problems} ${summary.problems === 1 ? 'problem' : 'problems'} · ${setting.join(' · ')}`,
    '',
    '| N | runs | accuracy | tokens / problem | wall time / problem |',
    '|--:|--:|--:|--:|--:|',
  ];
  for (const row of summary.byN) {
    const runs = `${row.completed}/${row.runs}${row.failed ? ` (${row.failed} failed)` : ''}`;
    const tokens = row.meanCompletionTokens === null ? '—' : Math.round(row.meanCompletionTokens).toLocaleString('en-US');
    const wall = row.meanWallMs === null ? '—' : `${(row.meanWallMs / 1000).toFixed(1)} s`;
    lines.push(`| ${nLabel(row.n)} | ${runs} | ${acc(row)} | ${tokens} | ${wall} |`);
  }
  if (summary.byLevel.some((l) => l.level !== null)) {
    lines.push('', 'Accuracy by MATH level', '', `| level | problems | ${summary.byN.map((r) => `N=${nLabel(r.n)}`).join(' | ')} |`, `|--:|--:|${summary.byN.map(() => '--:|').join('')}`);
    for (const row of summary.byLevel) lines.push(`| ${row.level ?? '—'} | ${row.problems} | ${row.byN.map(acc).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Writes `summary.json` and `summary.md` into the evaluation folder. */
export function writeSummary(dir: string, summary: EvalSummary): void {
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'summary.md'), summaryMarkdown(summary) + '\n');
}
