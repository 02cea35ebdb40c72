/** `node --import tsx bench/selfCorrection.ts`: the self-correction detector against the labelled
 * excerpts (precision, recall and F1 per kind and overall, kind and effect accuracy, for the excerpts
 * it was tuned on and the held-out ones), what it finds on the real traces in ../shared/data when they
 * are there (counts per kind and effect per source, and agreement with the thought-anchors chunk
 * tags), and speeds: detector characters per second, and token confidence on a 100k-token chain.
 * Writes bench/results/self-correction.json and prints a table. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeSelfCorrections, findSelfCorrections } from '../src/core/analysis/selfCorrection';
import { confidenceDips, confidenceProfile } from '../src/core/analysis/tokenConfidence';
import type { TokenLogprob } from '../src/core/model/types';
import type { AnalysisReference } from '../src/core/trace/schema';
import { KINDS, loadExcerpts, scoreDetector, type Excerpt, type Scores } from '../test/fixtures/self-corrections/score';
import { median, timeCalls } from './timing';

const DATA = path.resolve('..', 'shared', 'data');
const detect = (text: string, reference?: AnalysisReference) => analyzeSelfCorrections(text, { reference });

function labelled(): Record<string, Omit<Scores, 'misses'> & { misses: Scores['misses'] }> {
  const all = loadExcerpts();
  const splits: [string, Excerpt[]][] = [['all', all], ['tuned on', all.filter((e) => !('split' in e))], ['held out', all.filter((e) => 'split' in e)]];
  return Object.fromEntries(splits.map(([name, excerpts]) => [name, scoreDetector(excerpts, detect)]));
}

interface Trace { source: string; text: string; gold?: string }

/** The real traces: Sky-T1 on AIME 2024, the thought-anchors R1 traces, the Qwen2.5-Math samples. */
function realTraces(): Trace[] {
  const traces: Trace[] = [];
  const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const r of lines(path.join(DATA, 'long-cot', 'sky-t1-32b-aime24.jsonl'))) traces.push({ source: 'Sky-T1-32B (AIME 2024)', text: (r.code as string[])[0], gold: String(r.gt) });
  for (const chain of thoughtAnchorFolders()) {
    const solution = JSON.parse(fs.readFileSync(path.join(chain, 'base_solution.json'), 'utf8')) as { solution: string };
    const problem = JSON.parse(fs.readFileSync(path.join(chain, 'problem.json'), 'utf8')) as { gt_answer: string };
    traces.push({ source: 'R1-Distill-Llama-8B (thought-anchors)', text: solution.solution, gold: problem.gt_answer });
  }
  for (const r of lines(path.join(DATA, 'samples', 'qwen2.5-math-7b-math-cot-100x8.jsonl'))) {
    for (const code of r.code as string[]) traces.push({ source: 'Qwen2.5-Math-7B CoT (MATH)', text: code, gold: String(r.gt) });
  }
  return traces;
}

function thoughtAnchorFolders(): string[] {
  const root = path.join(DATA, 'thought-anchors', 'deepseek-r1-distill-llama-8b');
  return fs.readdirSync(root).flatMap((outcome) => fs.readdirSync(path.join(root, outcome)).map((p) => path.join(root, outcome, p)));
}

function onRealTraces() {
  const traces = realTraces();
  const bySource: Record<string, { traces: number; withPoints: number; points: number; kind: Record<string, number>; effect: Record<string, number> }> = {};
  const start = performance.now();
  let chars = 0;
  for (const trace of traces) {
    chars += trace.text.length;
    const found = detect(trace.text, trace.gold ? { kind: 'gold', answer: trace.gold } : undefined);
    const s = (bySource[trace.source] ??= { traces: 0, withPoints: 0, points: 0, kind: {}, effect: {} });
    s.traces++;
    if (found.length) s.withPoints++;
    s.points += found.length;
    for (const p of found) {
      s.kind[p.kind] = (s.kind[p.kind] ?? 0) + 1;
      s.effect[p.effect] = (s.effect[p.effect] ?? 0) + 1;
    }
  }
  const ms = performance.now() - start;
  return { bySource, speed: { traces: traces.length, characters: chars, ms: Math.round(ms), charactersPerSecond: Math.round(chars / (ms / 1000)) }, thoughtAnchorTags: tagAgreement() };
}

/** The thought-anchors chunks (sentences) carry `function_tags` given by their authors: how often a
 * chunk with a detected point is tagged uncertainty management, self-checking or plan generation,
 * and how many chunks of each tag hold a point. An independent view of what the detector finds. */
function tagAgreement() {
  const perTag: Record<string, { chunks: number; withPoint: number }> = {};
  let withPoint = 0;
  let reasoningTagged = 0;
  for (const chain of thoughtAnchorFolders()) {
    for (const chunk of JSON.parse(fs.readFileSync(path.join(chain, 'chunks_labeled.json'), 'utf8')) as { chunk: string; function_tags: string[] }[]) {
      const found = findSelfCorrections(chunk.chunk).length > 0;
      if (found) withPoint++;
      if (found && chunk.function_tags.some((t) => ['uncertainty_management', 'self_checking', 'plan_generation'].includes(t))) reasoningTagged++;
      for (const tag of chunk.function_tags) {
        const t = (perTag[tag] ??= { chunks: 0, withPoint: 0 });
        t.chunks++;
        if (found) t.withPoint++;
      }
    }
  }
  return { chunksWithPoint: withPoint, ofThemTaggedUncertaintySelfCheckOrPlan: reasoningTagged, perTag };
}

/** Median milliseconds of `runs` calls. */
function time(runs: number, work: () => void): number {
  return Number(median(timeCalls(runs, work)).toFixed(2));
}

function tokenConfidenceSpeed() {
  // A chain like a recorded one: mostly confident tokens, a few uncertain, five alternatives each.
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const tokens: TokenLogprob[] = Array.from({ length: 100_000 }, (_, i) => {
    const p = random() < 0.05 ? 0.05 + 0.4 * random() : 0.8 + 0.19 * random();
    return { token: `t${i}`, logprob: Math.log(p), top: Array.from({ length: 5 }, (__, k) => ({ token: `a${k}`, logprob: Math.log(k === 0 ? p : (1 - p) / (k + 1)) })) };
  });
  return {
    tokens: tokens.length,
    topAlternatives: 5,
    profileMs: time(21, () => confidenceProfile(tokens)),
    dipsMs: time(21, () => confidenceDips(tokens)),
  };
}

const machine = `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}`;
const scores = labelled();
const real = fs.existsSync(path.join(DATA, 'long-cot')) ? onRealTraces() : undefined;
const tokens = tokenConfidenceSpeed();
const summary = (s: Scores) => ({
  excerpts: s.excerpts, labelledPoints: s.labelledPoints,
  overall: rounded(s.overall), byKind: Object.fromEntries(KINDS.map((k) => [k, rounded(s.byKind[k])])),
  kindAccuracy: round(s.kindAccuracy), effect: { ...s.effect, accuracy: round(s.effect.accuracy) }, misses: s.misses,
});
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/self-correction.json', `${JSON.stringify({
  date: new Date().toISOString().slice(0, 10),
  machine,
  labelled: Object.fromEntries(Object.entries(scores).map(([name, s]) => [name, summary(s)])),
  ...(real ? { realTraces: real } : { realTraces: `not run: ${path.relative(process.cwd(), DATA)} is absent` }),
  tokenConfidence: tokens,
}, null, 2)}\n`);

console.log(`Self-correction detector (${machine})\n`);
console.log(`${'labelled excerpts'.padEnd(18)} ${'points'.padStart(6)} ${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)}  ${KINDS.map((k) => `${k} P/R`.padStart(20)).join('')}  ${'kind acc'.padStart(8)} ${'effect acc'.padStart(10)}`);
for (const [name, s] of Object.entries(scores)) {
  const kinds = KINDS.map((k) => `${s.byKind[k].precision.toFixed(2)}/${s.byKind[k].recall.toFixed(2)}`.padStart(20)).join('');
  console.log(`${name.padEnd(18)} ${String(s.labelledPoints).padStart(6)} ${s.overall.precision.toFixed(3).padStart(6)} ${s.overall.recall.toFixed(3).padStart(6)} ${s.overall.f1.toFixed(3).padStart(6)}  ${kinds}  ${s.kindAccuracy.toFixed(3).padStart(8)} ${`${s.effect.agreed}/${s.effect.labelled}`.padStart(10)}`);
}
if (real) {
  console.log(`\nReal traces (${real.speed.traces}, ${(real.speed.characters / 1e6).toFixed(1)} M characters in ${real.speed.ms} ms: ${(real.speed.charactersPerSecond / 1e6).toFixed(1)} M chars/s, effects included)`);
  for (const [source, s] of Object.entries(real.bySource)) {
    console.log(`  ${source}: ${s.points} points in ${s.withPoints}/${s.traces} traces · ${KINDS.map((k) => `${k} ${s.kind[k] ?? 0}`).join(', ')} · ${Object.entries(s.effect).map(([e, n]) => `${e} ${n}`).join(', ')}`);
  }
  const tags = real.thoughtAnchorTags;
  console.log(`  thought-anchors chunks with a point: ${tags.chunksWithPoint}, of them tagged uncertainty management, self-checking or plan generation: ${tags.ofThemTaggedUncertaintySelfCheckOrPlan}`);
}
console.log(`\nToken confidence on ${tokens.tokens.toLocaleString('en-US')} tokens (${tokens.topAlternatives} alternatives each): profile ${tokens.profileMs} ms, dips ${tokens.dipsMs} ms (medians of 21)`);

function rounded<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v as number)])) as T;
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : x;
}
