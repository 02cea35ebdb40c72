/** `node --import tsx bench/import.ts`: indexing a ~1 GB JSONL of real trace records against
 * `wc -l` on the same file (target: at most 2× its time, RSS under 300 MB), reading records by
 * offset, and the streaming JSON-array scan. The big files live in the OS temp folder and are
 * deleted afterwards. Writes bench/results/import.json. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { indexJsonArray } from '../src/core/trace/import/jsonArrayIndex';
import { indexJsonLines } from '../src/core/trace/jsonlIndex';

const TARGET_BYTES = Number(process.env.BENCH_IMPORT_BYTES ?? 1 << 30);
const ARRAY_BYTES = Math.min(TARGET_BYTES, 256 << 20);
const RUNS = 3;
const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'traces');

/** Real records, one JSON line each: ProcessBench, Sky-T1 long traces, Qwen best-of-8, R1 chats, PRM800K. */
function realRecords(): string[] {
  const processbench = ['gsm8k', 'math', 'olympiadbench', 'omnimath'].flatMap((name) =>
    (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'processbench', `${name}.json`), 'utf8')) as unknown[]).map((r) => JSON.stringify(r)));
  const jsonl = ['long-cot/sky-t1-32b-aime24-sample.jsonl', 'generic/qwen2.5-math-7b-math-cot-sample.jsonl', 'r1-chat/thought-anchors-chats.jsonl', 'prm800k/phase-samples.jsonl']
    .flatMap((name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8').split('\n').filter((l) => l.trim()));
  return [...processbench, ...jsonl];
}

/** Writes the records over and over until the file reaches `bytes`; returns the line count. */
function writeRepeated(file: string, bytes: number, records: string[], separator: string, open = '', close = ''): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let count = 0;
  try {
    const block = Buffer.from(records.join(separator) + separator);
    written += fs.writeSync(fd, open);
    while (written < bytes) {
      written += fs.writeSync(fd, block);
      count += records.length;
    }
    fs.writeSync(fd, Buffer.from(records[0] + close + '\n'));
    return count + 1;
  } finally {
    fs.closeSync(fd);
  }
}

async function best<T>(run: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  let ms = Infinity;
  let result: T | undefined;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    result = await run();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, result: result as T };
}

/** Indexes `file` in a fresh process so its peak RSS is the indexer's alone (plus Node and tsx). */
function childIndex(file: string): { ms: number; processMs: number; count: number; maxRssMB: number } {
  const start = performance.now();
  const out = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', file], { encoding: 'utf8', cwd: path.join(__dirname, '..') });
  if (out.status !== 0) throw new Error(`indexing child failed: ${out.stderr}`);
  return { ...(JSON.parse(out.stdout) as { ms: number; count: number; maxRssMB: number }), processMs: performance.now() - start };
}

async function child(file: string): Promise<void> {
  const start = performance.now();
  const index = await indexJsonLines(file);
  const ms = performance.now() - start;
  await index.close();
  process.stdout.write(JSON.stringify({ ms, count: index.count, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

type Record = (name: string, value: number, unit: string, note?: string) => void;

/** The JSONL target: `wc -l` against the indexer on ~1 GiB of `records` repeated, then record N by offset. */
async function benchLines(file: string, what: string, records: string[], record: Record): Promise<void> {
  const lines = writeRepeated(file, TARGET_BYTES, records, '\n');
  const size = fs.statSync(file).size;
  record(`${what}: JSONL file`, size / 2 ** 20, 'MiB', `${lines.toLocaleString('en-US')} lines, mean ${Math.round(size / lines)} bytes`);
  spawnSync('wc', ['-l', file]); // warm the page cache for both contenders
  const wc = await best(() => spawnSync('wc', ['-l', file], { encoding: 'utf8' }).stdout);
  record(`${what}: wc -l`, wc.ms, 'ms', `best of ${RUNS}, a whole process`);
  const runs = Array.from({ length: 2 * RUNS }, () => childIndex(file));
  if (runs.some((r) => r.count !== lines)) throw new Error(`the index found ${runs.map((r) => r.count).join('/')} records; the file has ${lines}`);
  const ms = Math.min(...runs.map((r) => r.ms));
  record(`${what}: indexJsonLines`, ms, 'ms', `best of ${runs.length}, in a fresh process, timed around the call`);
  record(`${what}: index time / wc -l time`, ms / wc.ms, '×', 'target ≤ 2');
  record(`${what}: indexing process, start to exit`, Math.min(...runs.map((r) => r.processMs)), 'ms', 'with Node and tsx start-up');
  record(`${what}: peak RSS of the indexing process`, Math.max(...runs.map((r) => r.maxRssMB)), 'MB', 'Node + tsx + index; target < 300');

  const index = await indexJsonLines(file);
  const picks = Array.from({ length: 1000 }, (_, i) => Math.floor((((i * 7919) % 1000) / 1000) * index.count));
  const start = performance.now();
  for (const i of picks) JSON.parse(await index.text(i));
  record(`${what}: record N by offset (read + JSON.parse)`, (performance.now() - start) / picks.length, 'ms', '1000 records spread over the file');
  await index.close();
  fs.rmSync(file);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-bench-import-'));
  const rows: { name: string; value: number; unit: string; note?: string }[] = [];
  const record: Record = (name, value, unit, note) => {
    rows.push({ name, value: Number(value.toPrecision(4)), unit, ...(note && { note }) });
    console.log(`${name.padEnd(56)} ${String(Number(value.toPrecision(4))).padStart(10)} ${unit}${note ? `  (${note})` : ''}`);
  };
  try {
    const traces = realRecords();
    await benchLines(path.join(dir, 'traces.jsonl'), 'trace records', traces, record);
    // Short lines are the indexer's hard case: per-line work, not bytes, dominates.
    const math500 = fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'math500-sample.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
    await benchLines(path.join(dir, 'math500.jsonl'), 'MATH-500 rows', math500, record);

    const array = path.join(dir, 'traces.json');
    const elements = writeRepeated(array, ARRAY_BYTES, traces, ',\n', '[\n', '\n]');
    const arraySize = fs.statSync(array).size;
    const scanned = await best(async () => {
      const { index, problems } = await indexJsonArray(array);
      await index.close();
      if (index.count !== elements || problems.length) throw new Error(`array scan found ${index.count} of ${elements} (${problems.join('; ')})`);
      return index.count;
    });
    record('JSON-array scan (indexJsonArray)', arraySize / 2 ** 20 / (scanned.ms / 1000), 'MiB/s', `${Math.round(arraySize / 2 ** 20)} MiB, ${scanned.result.toLocaleString('en-US')} elements, byte-by-byte state machine`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const results = path.join(__dirname, 'results', 'import.json');
  fs.mkdirSync(path.dirname(results), { recursive: true });
  fs.writeFileSync(results, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, rows }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), results)}`);
}

if (process.argv[2] === '--child') void child(process.argv[3]);
else void main();
