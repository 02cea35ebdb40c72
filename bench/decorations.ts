/** `node --import tsx bench/decorations.ts`: what opening an annotated chain document computes, on a
 * 100k-token chain (1,000 steps of 100 tokens taken in turn from the recorded runs' real tokens with
 * their alternatives, a critical-token probe on every 20th step, a self-correction on every 10th):
 * the document layout, the decorations with the confidence heat on (every token is looked at), the
 * inlay hints, the CodeLens, and a hover. Target: layout + decorations + hints under 100 ms, computed
 * once per document version. Also the self-correction search the editor runs after drawing a chain
 * that has none logged (the analysis runner over the whole run, deferred, once per run).
 * Writes bench/results/decorations.json. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TokenLogprob } from '../src/core/model/types';
import { parseRunText } from '../src/core/trace/parse';
import type { RunEvent, RunHeader } from '../src/core/trace/schema';
import { replay } from '../src/core/trace/tree';
import { AnnotatedChain } from '../src/extension/annotations/annotatedChain';
import { chainPath, layoutChain } from '../src/extension/annotations/chainLayout';
import { detectSelfCorrections } from '../src/extension/annotations/detect';
import { planDecorations } from '../src/extension/annotations/decorations';
import { hoverAt } from '../src/extension/annotations/hovers';
import { inlayHints } from '../src/extension/annotations/inlayHints';
import { stepLenses } from '../src/extension/annotations/lenses';
import { median } from './timing';

const STEPS = 1000;
const TOKENS_PER_STEP = 100;
const RUNS = 7;
const TARGET_MS = 100;
const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'runs');

function tokenPool(): TokenLogprob[] {
  const pool: TokenLogprob[] = [];
  for (const name of ['recorded-majority-8.run.jsonl', 'beam-8x4.run.jsonl', 'annotated.run.jsonl']) {
    const run = parseRunText(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
    for (const e of run.events) if (e.type === 'node_added' && e.tokens) pool.push(...e.tokens.filter((t) => !t.token.includes('\n')));
  }
  return pool;
}

function longChain(): { header: RunHeader; events: RunEvent[] } {
  const run = parseRunText(fs.readFileSync(path.join(FIXTURES, 'annotated.run.jsonl'), 'utf8'));
  const pool = tokenPool();
  const reference = { kind: 'gold' as const, answer: '\\frac{14}{3}' };
  const events: RunEvent[] = [{ type: 'node_added', t: 0, id: 'root', parent: null, kind: 'root', text: run.header.problem.text }];
  let parent = 'root';
  for (let k = 0, next = 0; k < STEPS; k++) {
    const tokens = Array.from({ length: TOKENS_PER_STEP }, () => pool[next++ % pool.length]);
    const id = `s0.${k}`;
    events.push({ type: 'node_added', t: k, id, parent, kind: 'step', text: tokens.map((t) => t.token).join('').trim(), sample: 0, tokens, tokenCount: tokens.length });
    events.push({ type: 'step_scored', t: k, id, scorer: 'confidence', score: 0.8 + 0.2 * Math.sin(k) ** 2 });
    if (k % 20 === 0) {
      events.push({
        type: 'token_probed', t: k, id, index: 7, token: tokens[7].token, reference, original: { rollouts: 12, correct: 2 },
        alternatives: [{ token: 'x', rollouts: 12, correct: 10 }], criticality: -0.67, interval: [-0.85, -0.3], stopped: 'decided',
      });
    }
    if (k % 10 === 5) {
      events.push({ type: 'self_correction', t: k, id, start: 0, end: 4, marker: 'Wait', kind: 'reflection', effect: 'confirmed', before: '1', after: '1', reference });
    }
    parent = id;
  }
  return { header: run.header, events };
}

async function detection(header: RunHeader, events: RunEvent[]): Promise<{ ms: number; points: number }> {
  // A run no analysis has looked at: the same chain without its logged self-corrections.
  const unlogged = events.filter((e) => e.type !== 'self_correction');
  let best = Infinity;
  let points = 0;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const found = await detectSelfCorrections(header, unlogged);
    best = Math.min(best, performance.now() - start);
    points = [...found.values()].reduce((n, l) => n + l.length, 0);
  }
  return { ms: best, points };
}

function timed<T>(fn: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = fn();
  return { ms: performance.now() - start, result };
}

async function main(): Promise<void> {
  const { header, events } = longChain();
  const tree = replay(header, events);
  const tokens = [...tree.nodes.values()].reduce((n, node) => n + (node.tokens?.length ?? 0), 0);
  const samples = { layout: [] as number[], decorations: [] as number[], hints: [] as number[], lenses: [] as number[], total: [] as number[], hover: [] as number[] };
  let ranges = 0;
  let length = 0;
  for (let run = 0; run < RUNS; run++) {
    // Each round starts cold, as a newly opened document does: no token spans cached.
    const layout = timed(() => layoutChain(tree, chainPath(tree, 's0.0')));
    const chain = new AnnotatedChain(tree, layout.result);
    const decorations = timed(() => planDecorations(chain, { heat: true }));
    const hints = timed(() => inlayHints(chain));
    const lenses = timed(() => stepLenses(chain, true));
    samples.layout.push(layout.ms);
    samples.decorations.push(decorations.ms);
    samples.hints.push(hints.ms);
    samples.lenses.push(lenses.ms);
    samples.total.push(layout.ms + decorations.ms + hints.ms);
    length = layout.result.text.length;
    const plan = decorations.result;
    ranges = [...plan.uncertain, ...plan.harmful, ...plan.helpful].reduce((n, l) => n + l.length, 0) + Object.values(plan.selfCorrections).reduce((n, l) => n + l.length, 0);
    for (let i = 0; i < 200; i++) {
      const offset = Math.floor(((i * 7919) % 1000) / 1000 * length);
      samples.hover.push(timed(() => hoverAt(chain, offset)).ms);
    }
  }
  const total = median(samples.total);
  const detected = await detection(header, events);
  const rows = [
    { name: 'chain', value: tokens, unit: 'tokens', note: `${STEPS} steps, ${(length / 1e6).toFixed(2)}M characters, ${ranges.toLocaleString('en-US')} decorated ranges with the heat on` },
    { name: 'layout (document text and step offsets)', value: round(median(samples.layout)), unit: 'ms', note: `median of ${RUNS}` },
    { name: 'decorations, heat on, cold (token spans computed)', value: round(median(samples.decorations)), unit: 'ms', note: `median of ${RUNS}` },
    { name: 'inlay hints', value: round(median(samples.hints)), unit: 'ms', note: `median of ${RUNS}` },
    { name: 'CodeLens', value: round(median(samples.lenses)), unit: 'ms', note: `median of ${RUNS}` },
    { name: 'layout + decorations + hints', value: round(total), unit: 'ms', note: `median of ${RUNS}; worst ${round(Math.max(...samples.total))} ms; target < ${TARGET_MS} ms` },
    { name: 'hover at an offset', value: round(median(samples.hover), 3), unit: 'ms', note: `median of ${samples.hover.length}; worst ${round(Math.max(...samples.hover), 3)} ms` },
    { name: 'self-corrections found in an unanalysed run', value: round(detected.ms), unit: 'ms', note: `best of 3; ${detected.points} points; after the first draw, once per run` },
  ];
  const out = path.join(__dirname, 'results', 'decorations.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, rows }, null, 2) + '\n');
  for (const r of rows) console.log(`${r.name.padEnd(52)} ${String(r.value).padStart(10)} ${r.unit.padEnd(7)} ${r.note}`);
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  if (total >= TARGET_MS) {
    console.error(`layout + decorations + hints took ${round(total)} ms, over the ${TARGET_MS} ms target`);
    process.exitCode = 1;
  }
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

void main();
