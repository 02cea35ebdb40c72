/** `reasonscope inspect`: what a run or a trace file shows on analysis — self-correction points with
 * their kind, effect and the answers around them, forced-answer probes, the most critical tokens and
 * step importance (when analysed now or logged before), and confidence dips — as a terminal summary
 * or JSON. The text analyses need no model; `--probe`, `--critical` and `--importance` ask one. With
 * `--write`, the analysis events are appended to the run file, so every view shows them. */
import * as path from 'node:path';
import { analyzeRun, runChains, runConfidenceDips, type AnalysisReport, type AnalyzeOptions } from '../core/analysis/analyze';
import { rankCriticalTokens } from '../core/analysis/critical';
import { DEFAULT_PROBE_TOKENS } from '../core/analysis/probe';
import { outcomeName, rolloutSettingsFor } from '../core/analysis/rollouts';
import { Lexicon } from '../core/analysis/selfCorrection';
import { tokenConfidence } from '../core/analysis/tokenConfidence';
import { isCancelled } from '../core/model/errors';
import type { ModelBackend } from '../core/model/types';
import { Scheduler, type Budget } from '../core/search/scheduler';
import { ImportError, openTraceSource, TRACE_FORMATS, type ImportedRun, type TraceFormat } from '../core/trace/import';
import { RunRecorder } from '../core/trace/recorder';
import { reopenEndedRun } from '../core/search/startRun';
import type { AnalysisReference, SelfCorrectionEvent } from '../core/trace/schema';
import type { RunTree, TreeNode } from '../core/trace/tree';
import { numberFlag, parse, UsageError } from './args';
import { backendFromFlags, backendOptions } from './backendFlags';
import { StatusLine } from './output';

const DEFAULT_TOP = 10;
const EXCERPT_CHARS = 64;

export async function inspectCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...backendOptions,
    format: { type: 'string', short: 'f' },
    record: { type: 'string', short: 'r' },
    model: { type: 'string', short: 'm' },
    probe: { type: 'boolean' },
    critical: { type: 'boolean' },
    importance: { type: 'boolean' },
    chain: { type: 'string' },
    budget: { type: 'string' },
    'max-time': { type: 'string' },
    concurrency: { type: 'string' },
    marker: { type: 'string', multiple: true },
    'no-marker': { type: 'string', multiple: true },
    top: { type: 'string' },
    json: { type: 'boolean' },
    write: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('inspect takes one run file or trace file (or thought-anchors folder)');
  const format = values.format as TraceFormat | undefined;
  if (format !== undefined && !TRACE_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${TRACE_FORMATS.join(', ')}; got "${format}"`);
  const record = numberFlag(values.record, 'record', { min: 0, integer: true }) ?? 0;
  const top = numberFlag(values.top, 'top', { min: 1, integer: true }) ?? DEFAULT_TOP;
  const usesModel = Boolean(values.probe || values.critical || values.importance);
  for (const flag of ['budget', 'max-time', 'concurrency', 'chain', 'model', 'host', 'backend'] as const) {
    if (values[flag] !== undefined && !usesModel) throw new UsageError(`--${flag} is for the analyses that ask a model: add --probe, --critical or --importance`);
  }
  const budget = budgetFrom(values.budget, values['max-time']);
  const concurrency = numberFlag(values.concurrency, 'concurrency', { min: 1, integer: true }) ?? 2;
  let lexicon: Lexicon;
  try {
    lexicon = new Lexicon({ extraMarkers: values.marker, disabledMarkers: values['no-marker'] });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/^unknown/, '--no-marker: unknown')}`);
  }

  const input = positionals[0];
  const name = path.basename(input);
  const { run, format: found } = await loadRun(input, record, format, signal);
  if (values.write && found !== 'run') {
    throw new UsageError(`--write appends to a run file, and ${name} is not one (it reads as ${found}): import it first (reasonscope import ${name} --record ${record} --out FILE), then inspect FILE --write`);
  }
  const recorder = values.write ? await reopenForAnalyses(input) : RunRecorder.resume(run.header, run.events);
  const writer = values.write;
  const status = new StatusLine();
  const opts: AnalyzeOptions = { lexicon, signal, ...(values.chain !== undefined && { chain: values.chain }) };
  let scheduler: Scheduler | undefined;
  try {
    if (usesModel) {
      const backend = backendFromFlags(values);
      const model = values.model ?? run.header.backend.model;
      await checkModel(backend, model, name, signal);
      const rollout = { backend, settings: rolloutSettingsFor(run.header, { model }), options: { concurrency, ...(budget && { budget }) } };
      if (values.probe) {
        scheduler = new Scheduler(concurrency, budget, signal);
        opts.probe = { backend, scheduler, model, maxTokens: DEFAULT_PROBE_TOKENS };
      }
      if (values.critical) opts.critical = rollout;
      if (values.importance) opts.importance = rollout;
      showProgress(recorder, status);
    }
    let report: AnalysisReport;
    try {
      report = await analyzeRun(recorder, opts);
    } catch (err) {
      if (!isCancelled(err)) throw err;
      status.clear();
      console.error(`reasonscope: cancelled${writer ? `; the ${recorder.events.length - run.events.length} analysis events written so far are in ${name}` : ''}.`);
      return 130;
    }
    status.clear();
    const saved = Boolean(writer);
    const where = { file: name, format: found, record };
    console.log(values.json ? JSON.stringify(inspection(recorder.tree, report, where, saved)) : summary(recorder.tree, report, where, saved, top));
    return 0;
  } finally {
    scheduler?.dispose();
    recorder.close();
  }
}

async function loadRun(input: string, record: number, format: TraceFormat | undefined, signal: AbortSignal): Promise<{ run: ImportedRun; format: TraceFormat }> {
  const name = path.basename(input);
  const source = await openTraceSource(input, { format, signal }).catch((err: unknown) => {
    throw err instanceof ImportError ? new Error(`${name}: ${err.message}`) : err;
  });
  try {
    if (source.recordCount === 0) throw new Error(`${name} has no readable records${source.problems.length ? ` (${source.problems[0]})` : ''}`);
    if (record >= source.recordCount) throw new UsageError(`${name} has ${source.recordCount} record${source.recordCount === 1 ? '' : 's'} (0–${source.recordCount - 1}); --record ${record} is past the end`);
    const run = await source.load(record).catch((err: unknown) => {
      throw err instanceof ImportError ? new Error(`${name}: ${err.message}`) : err;
    });
    for (const w of run.warnings) console.error(`warning: ${w}`);
    return { run, format: source.format };
  } finally {
    await source.close();
  }
}

/** A finished run reopened to append analyses (one still being written is refused). */
async function reopenForAnalyses(file: string): Promise<RunRecorder> {
  try {
    return (await reopenEndedRun(file, 'writing analyses to it (reasonscope search --resume finishes a stopped run)')).recorder;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function checkModel(backend: ModelBackend, model: string, file: string, signal: AbortSignal): Promise<void> {
  if (!model) throw new UsageError(`${file} names no model: choose one to probe with, e.g. --model qwen2.5:1.5b`);
  await backend.showModel(model, signal);
}

function budgetFrom(requests: string | undefined, seconds: string | undefined): Budget | undefined {
  const maxRequests = numberFlag(requests, 'budget', { min: 1, integer: true });
  const s = numberFlag(seconds, 'max-time', { min: 0 });
  if (s === 0) throw new UsageError('--max-time is in seconds and must be more than 0');
  if (maxRequests === undefined && s === undefined) return undefined;
  return { ...(maxRequests !== undefined && { maxRequests }), ...(s !== undefined && { maxWallMs: Math.round(s * 1000) }) };
}

/** A status line while a model is asked: what has been probed so far. */
function showProgress(recorder: RunRecorder, status: StatusLine): void {
  const counts = { answer_probed: 0, token_probed: 0, step_importance: 0 };
  recorder.onEvent((event) => {
    if (!(event.type in counts)) return;
    counts[event.type as keyof typeof counts]++;
    status.update(`probes ${counts.answer_probed} · critical positions ${counts.token_probed} · importance updates ${counts.step_importance}`);
  });
}

interface Where {
  file: string;
  format: TraceFormat;
  record: number;
}

interface PointRow extends Omit<SelfCorrectionEvent, 'type' | 't' | 'reference'> {
  excerpt: string;
}

/** Every self-correction point of the run, in chain order. */
function pointRows(tree: RunTree): PointRow[] {
  const rows: PointRow[] = [];
  const seen = new Set<string>();
  for (const { steps } of runChains(tree)) {
    for (const step of steps) {
      if (seen.has(step.id)) continue;
      seen.add(step.id);
      for (const { id, start, end, marker, kind, effect, before, after } of step.analysis?.selfCorrections ?? []) {
        const excerpt = oneLine(step.text.slice(start, start + 4 * EXCERPT_CHARS));
        rows.push({ id, start, end, marker, kind, effect, ...(before !== undefined && { before }), ...(after !== undefined && { after }), excerpt });
      }
    }
  }
  return rows;
}

function countBy<T extends string>(items: readonly T[]): Partial<Record<T, number>> {
  const counts: Partial<Record<T, number>> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

/** Everything the summary shows, for scripts. */
function inspection(tree: RunTree, report: AnalysisReport, where: Where, saved: boolean) {
  const nodes = [...tree.nodes.values()];
  const points = pointRows(tree);
  return {
    ...where,
    problem: { ...(tree.header.problem.id && { id: tree.header.problem.id }), text: tree.header.problem.text, ...(tree.header.problem.answer && { answer: tree.header.problem.answer }) },
    model: tree.header.backend.model,
    strategy: tree.header.strategy.name,
    chains: runChains(tree).length,
    steps: nodes.filter((n) => n.kind === 'step').length,
    reference: report.reference ?? null,
    selfCorrections: points,
    counts: { kind: countBy(points.map((p) => p.kind)), effect: countBy(points.map((p) => p.effect)) },
    probes: nodes.flatMap((n) => (n.analysis?.probes ?? []).map(({ offset, answer, correct }) => ({ id: n.id, offset, answer, ...(correct !== undefined && { correct }) }))),
    criticalTokens: rankCriticalTokens(nodes.flatMap((n) => n.analysis?.tokens ?? [])).map(({ type: _type, t: _t, ...probe }) => probe),
    stepImportance: nodes.flatMap((n) => (n.analysis?.importance ? [n.analysis.importance] : [])).map(({ type: _type, t: _t, ...step }) => step),
    confidenceDips: runConfidenceDips(tree).map((d) => dipRow(tree, d)),
    analysis: {
      written: report.written,
      saved,
      probes: report.probes,
      ...(report.critical && { critical: { rollouts: report.critical.rollouts, candidates: report.critical.candidates, ...(report.critical.stoppedBy && { stoppedBy: report.critical.stoppedBy }) } }),
      ...(report.importance && { importance: { rollouts: report.importance.rollouts, ...(report.importance.stoppedBy && { stoppedBy: report.importance.stoppedBy }) } }),
    },
  };
}

function dipRow(tree: RunTree, dip: ReturnType<typeof runConfidenceDips>[number]) {
  const token = tree.nodes.get(dip.id)?.tokens?.[dip.tokenIndex];
  const confidence = token ? tokenConfidence(token) : undefined;
  return {
    id: dip.id, index: dip.tokenIndex, token: dip.token, surprisal: round(dip.surprisal), baseline: round(dip.baseline), excess: round(dip.excess),
    ...(confidence && { logprob: confidence.logprob }),
    ...(confidence?.entropy !== undefined && { entropy: round(confidence.entropy) }),
    ...(confidence?.margin !== undefined && { margin: round(confidence.margin) }),
  };
}

function summary(tree: RunTree, report: AnalysisReport, where: Where, saved: boolean, top: number): string {
  const { header } = tree;
  const chains = runChains(tree);
  const steps = [...tree.nodes.values()].filter((n) => n.kind === 'step').length;
  const lines = [
    `${where.file}${where.format === 'run' ? '' : ` record ${where.record} (${where.format})`} · ${header.backend.model || 'model not named'} · ${header.strategy.name} · ${plural(chains.length, 'chain')}, ${plural(steps, 'step')}`,
    `Problem: ${oneLine(header.problem.text, 100)}`,
    `Reference: ${referenceLine(report.reference)}`,
    '',
    ...selfCorrectionLines(tree, top),
    ...probeLines(tree, report, top),
    ...criticalLines(tree, top),
    ...importanceLines(tree, top),
    ...dipLines(tree, top),
  ];
  if (report.written > 0) {
    lines.push('', saved
      ? `Wrote ${plural(report.written, 'analysis event')} to ${where.file}.`
      : where.format === 'run'
        ? `${plural(report.written, 'analysis event')} not saved: --write appends ${report.written === 1 ? 'it' : 'them'} to ${where.file}.`
        : `Analysed in memory: reasonscope import ${where.file}${where.record ? ` --record ${where.record}` : ''} makes a run file that inspect --write can keep the analysis in.`);
  }
  return lines.join('\n');
}

function referenceLine(reference: AnalysisReference | undefined): string {
  if (!reference) return 'none (no gold answer, and fewer than two chains answered): effects say only confirmed or changed';
  return reference.kind === 'gold' ? `gold answer ${reference.answer}` : `majority answer ${reference.answer} of the run's chains (fixed/broke mean agreement with it, not correctness)`;
}

function selfCorrectionLines(tree: RunTree, top: number): string[] {
  const points = pointRows(tree);
  if (points.length === 0) return ['Self-corrections: none found'];
  const kinds = Object.entries(countBy(points.map((p) => p.kind))).map(([k, n]) => `${k} ${n}`).join(', ');
  const effects = Object.entries(countBy(points.map((p) => p.effect))).map(([k, n]) => `${k} ${n}`).join(', ');
  // Points that changed the answer matter most; the rest follow in chain order.
  const shown = [...points].sort((a, b) => rank(a.effect) - rank(b.effect)).slice(0, top);
  const width = Math.max(...shown.map((p) => p.id.length));
  return [
    `Self-corrections: ${points.length} — ${kinds} · ${effects}`,
    ...shown.map((p) => `  ${p.id.padEnd(width)}  ${p.kind.padEnd(13)}${p.effect.padEnd(10)}${answers(p.before, p.after).padEnd(24)} "${p.excerpt}"`),
    ...more(points.length, top),
  ];
}

const EFFECT_ORDER = ['fixed', 'broke', 'changed', 'confirmed', 'unknown'];
const rank = (effect: string) => EFFECT_ORDER.indexOf(effect);

function answers(before: string | undefined, after: string | undefined): string {
  return before === undefined && after === undefined ? '' : `${before ?? '?'} → ${after ?? '?'}`;
}

function probeLines(tree: RunTree, report: AnalysisReport, top: number): string[] {
  const chains = runChains(tree).filter((c) => c.steps.some((s) => s.analysis?.probes.length));
  if (chains.length === 0) return [];
  const lines = [
    '',
    `Forced-answer probes: ${report.probes.positions ? `${report.probes.answered} of ${plural(report.probes.positions, 'position')} answered` : 'as logged'}${report.probes.stoppedBy ? ` (stopped: ${report.probes.stoppedBy})` : ''}`,
  ];
  for (const { steps, leaf } of chains.slice(0, top)) {
    const trajectory = steps.flatMap((s) => (s.analysis?.probes ?? []).map((p) => p.answer ?? '–'));
    lines.push(`  ${leaf.id}: ${trajectory.join(' → ')}`);
  }
  return [...lines, ...more(chains.length, top)];
}

function criticalLines(tree: RunTree, top: number): string[] {
  const probes = rankCriticalTokens([...tree.nodes.values()].flatMap((n) => n.analysis?.tokens ?? []));
  if (probes.length === 0) return ['', 'Critical tokens: none analysed (--critical searches the principal chain, whose tokens need logprobs)'];
  const name = outcomeName(probes[0].reference);
  return [
    '',
    `Critical tokens (${name}; a negative criticality means the written token hurt):`,
    ...probes.slice(0, top).map((p) => {
      const best = [...p.alternatives].sort((a, b) => b.correct / b.rollouts - a.correct / a.rollouts)[0];
      const pct = (c: number, n: number) => (n ? `${c}/${n}` : '–');
      return `  ${p.id} #${p.index} ${JSON.stringify(p.token)}  criticality ${signed(p.criticality)} [${signed(p.interval[0])}, ${signed(p.interval[1])}]  ${pct(p.original.correct, p.original.rollouts)} with it${best ? `, ${pct(best.correct, best.rollouts)} with ${JSON.stringify(best.token)}` : ''}${p.stopped === 'decided' ? '' : ` (${p.stopped})`}`;
    }),
    ...more(probes.length, top),
  ];
}

function importanceLines(tree: RunTree, top: number): string[] {
  const steps = [...tree.nodes.values()].flatMap((n) => (n.analysis?.importance ? [n.analysis.importance] : []));
  if (steps.length === 0) return [];
  steps.sort((a, b) => Math.abs(b.importance) - Math.abs(a.importance));
  return [
    '',
    `Step importance (${outcomeName(steps[0].reference)} after the step − before it):`,
    ...steps.slice(0, top).map((s) => `  ${s.id}  ${signed(s.importance)}  (${s.before.correct}/${s.before.rollouts} → ${s.after.correct}/${s.after.rollouts})`),
    ...more(steps.length, top),
  ];
}

function dipLines(tree: RunTree, top: number): string[] {
  const hasTokens = [...tree.nodes.values()].some((n) => n.tokens?.length);
  if (!hasTokens) return ['', 'Confidence dips: the run has no token logprobs'];
  const dips = runConfidenceDips(tree);
  if (dips.length === 0) return ['', 'Confidence dips: none (no token stands out from the text around it)'];
  return [
    '',
    'Confidence dips (tokens far less likely than the text around them):',
    ...dips.slice(0, top).map((d) => `  ${d.id} #${d.tokenIndex} ${JSON.stringify(d.token)}  p ${Math.exp(-d.surprisal).toFixed(3)}, usually ${Math.exp(-d.baseline).toFixed(2)}${context(tree.nodes.get(d.id), d.tokenIndex)}`),
    ...more(dips.length, top),
  ];
}

/** The words around a dip's token, so a reader can place it without opening the run. */
function context(node: TreeNode | undefined, index: number): string {
  const tokens = node?.tokens;
  if (!tokens) return '';
  const around = tokens.slice(Math.max(0, index - 4), index + 5).map((t) => t.token).join('');
  return `  "${oneLine(around, 48)}"`;
}

function more(total: number, shown: number): string[] {
  return total > shown ? [`  …and ${total - shown} more (--top ${total} or --json for all)`] : [];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function oneLine(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
