/** `npm run bench:engine`: engine and run-log throughput against the Ollama-protocol test server.
 * Writes bench/results/engine.json and engine.md. Numbers, not pass/fail: compare across commits. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OllamaBackend } from '../src/core/model/ollama';
import { buildSpec, executeRun } from '../src/core/search/run';
import { prepareRun } from '../src/core/search/startRun';
import { parseRunText } from '../src/core/trace/parse';
import { ROOT_ID } from '../src/core/trace/schema';
import { replay } from '../src/core/trace/tree';
import { startTestServer } from '../test/support/ollamaServer';
import { problemText } from '../test/support/helpers';

interface Row { name: string; value: number; unit: string; note?: string }
const rows: Row[] = [];
const record = (name: string, value: number, unit: string, note?: string) => {
  rows.push({ name, value: Number(value.toPrecision(4)), unit, note });
  console.log(`${name.padEnd(48)} ${String(Number(value.toPrecision(4))).padStart(10)} ${unit}${note ? `  (${note})` : ''}`);
};

async function engine(n: number, concurrency: number, logprobs: boolean): Promise<string> {
  const server = await startTestServer({ seed: 1, parallel: concurrency });
  const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rs-bench-')), 'bench.run.jsonl');
  try {
    const backend = new OllamaBackend(server.url);
    const start = performance.now();
    const prepared = await prepareRun({
      backend, outFile, problem: { text: problemText(), answer: '\\frac{14}{3}' },
      spec: buildSpec({ strategy: 'majority', params: { n }, model: 'qwen2.5:1.5b', sampling: { temperature: 0.8, seed: 1, maxTokens: 2048 }, concurrency, logprobs, topLogprobs: 5 }),
    });
    const ended = await executeRun(backend, prepared.recorder, prepared.spec).finally(() => prepared.recorder.close());
    const ms = performance.now() - start;
    const label = `majority n=${n} c=${concurrency}${logprobs ? ' +logprobs(5)' : ''}`;
    record(`${label}: wall`, ms, 'ms', `${ended.totals.completionTokens} tokens`);
    record(`${label}: tokens through the engine`, ended.totals.completionTokens / (ms / 1000), 'tokens/s', 'server latency 0: engine + client + loopback HTTP');
    record(`${label}: run file size`, fs.statSync(outFile).size / 1024, 'KiB');
    return outFile;
  } finally {
    await server.close();
  }
}

function replayBench(file: string, copies: number): void {
  // A big run: the recorded events repeated under fresh ids, so replay does real work on every node.
  const base = parseRunText(fs.readFileSync(file, 'utf8'));
  const lines = [JSON.stringify(base.header)];
  for (let c = 0; c < copies; c++) {
    for (const e of base.events) {
      if (e.type === 'run_ended' || e.type === 'warning') continue;
      const clone = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
      for (const key of ['id', 'parent'] as const) {
        if (typeof clone[key] === 'string' && clone[key] !== ROOT_ID) clone[key] = `c${c}:${clone[key] as string}`;
      }
      if (clone.type === 'node_added' && clone.kind === 'root' && c > 0) continue;
      lines.push(JSON.stringify(clone));
    }
  }
  const text = lines.join('\n') + '\n';
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  const run = parseRunText(text);
  const tree = replay(run.header, run.events);
  const ms = performance.now() - start;
  record(`replay ${tree.nodes.size} nodes (${(text.length / 1e6).toFixed(1)} MB with token logprobs)`, ms, 'ms');
  record('replay throughput', run.events.length / (ms / 1000), 'events/s');
  record('replay RSS growth', (process.memoryUsage().rss - rssBefore) / 1e6, 'MB');
}

async function main(): Promise<void> {
  console.log(`Reasonscope bench on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`);
  await engine(4, 4, true); // warm-up: JIT and the test server's first requests
  rows.length = 0;
  await engine(16, 4, false);
  const file = await engine(16, 4, true);
  await engine(64, 8, true);
  replayBench(file, 64);
  const out = path.join('bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const meta = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model };
  fs.writeFileSync(path.join(out, 'engine.json'), JSON.stringify({ ...meta, rows }, null, 2) + '\n');
  const md = [`# Bench results (${meta.date.slice(0, 10)}, Node ${meta.node}, ${meta.cpus} × ${meta.cpu})`, '', '| measure | value | unit | note |', '|---|---:|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.unit} | ${r.note ?? ''} |`)].join('\n');
  fs.writeFileSync(path.join(out, 'engine.md'), md + '\n');
  console.log(`\nwrote ${out}/engine.json and engine.md`);
}

void main();
