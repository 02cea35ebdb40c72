/** `node --import tsx bench/grade.ts`: grader throughput and accuracy on the labelled suite and on
 * Math-Verify's cases. Writes bench/results/grade.json and prints a table. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { gradePair, parsePairs, type Graded, type PairOptions } from '../src/cli/grade';
import { DEFAULT_TIME_LIMIT_MS } from '../src/core/answer/grade';

interface Dataset { name: string; file: string; format: 'tsv' | 'jsonl'; extract: boolean }

const DATASETS: Dataset[] = [
  { name: 'own suite (test/fixtures/equivalence/suite.tsv)', file: 'test/fixtures/equivalence/suite.tsv', format: 'tsv', extract: false },
  { name: 'Math-Verify cases (--extract on both sides)', file: 'test/fixtures/equivalence/math-verify-cases.jsonl', format: 'jsonl', extract: true },
];

function run(dataset: Dataset, opts: PairOptions): { rows: Graded[]; ms: number } {
  const { pairs, errors } = parsePairs(fs.readFileSync(dataset.file, 'utf8'), dataset.format);
  if (errors.length) throw new Error(`${dataset.file}: ${errors.join('; ')}`);
  const start = performance.now();
  const rows = pairs.map((pair) => gradePair(pair, opts));
  return { rows, ms: performance.now() - start };
}

const results = DATASETS.map((dataset) => {
  const opts = { extract: dataset.extract, lastNumber: false, timeLimitMs: DEFAULT_TIME_LIMIT_MS };
  // The first pass parses every expression; the second finds them in the parser cache, as a vote over
  // many chains of one problem mostly does.
  const first = run(dataset, opts);
  const repeat = run(dataset, opts);
  const wrong = first.rows.filter((r) => r.expected !== r.equal);
  return {
    dataset: dataset.name,
    pairs: first.rows.length,
    correct: first.rows.length - wrong.length,
    accuracy: Number(((first.rows.length - wrong.length) / first.rows.length).toFixed(4)),
    pairsPerSecondFirstPass: Math.round(first.rows.length / (first.ms / 1000)),
    pairsPerSecondRepeat: Math.round(repeat.rows.length / (repeat.ms / 1000)),
    disagreements: wrong.map((r) => ({ line: r.line, expected: r.expected, pred: r.pred.slice(0, 120), gold: r.gold.slice(0, 120), reason: r.reason })),
  };
});

const machine = `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}`;
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/grade.json', `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine, results }, null, 2)}\n`);

console.log(`Answer grader (${machine})\n`);
console.log(`${'dataset'.padEnd(48)} ${'pairs'.padStart(6)} ${'accuracy'.padStart(9)} ${'pairs/s (1st)'.padStart(14)} ${'pairs/s (repeat)'.padStart(17)}`);
for (const r of results) {
  console.log(`${r.dataset.padEnd(48)} ${String(r.pairs).padStart(6)} ${`${(100 * r.accuracy).toFixed(1)}%`.padStart(9)} ${String(r.pairsPerSecondFirstPass).padStart(14)} ${String(r.pairsPerSecondRepeat).padStart(17)}`);
}
for (const r of results.filter((x) => x.disagreements.length)) {
  console.log(`\n${r.dataset}: ${r.disagreements.length} disagreements (all in bench/results/grade.json)`);
  for (const d of r.disagreements) console.log(`  line ${d.line}: expected ${d.expected ? 'equal' : 'not equal'} — ${d.reason}`);
}
