/** Bad input never crashes or hangs the importers: arbitrary text, real traces cut at any byte and
 * real records with damaged JSON either open or fail with an ImportError, and every error and
 * every listed problem says where (a line, a record or a file). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { ImportError, openTraceSource, type TraceFormat } from '../../src/core/trace/import';
import { tempDir } from '../support/helpers';

const FIXTURES = path.resolve('test/fixtures/traces');
const dir = tempDir('reasonscope-fuzz-');
const LOCATED = /\b(line|record) \d+|\.json: /;
/** Enough records to exercise a source without making each fuzz case slow. */
const MAX_RECORDS = 12;
let files = 0;

function located(err: unknown, what: string): void {
  assert.ok(err instanceof ImportError, `${what}: ${err instanceof Error ? err.stack : String(err)}`);
  assert.match(err.message, LOCATED, `${what}: "${err.message}" says where`);
}

/** Opens `content` as a file and touches every record; the invariant of every fuzz case. */
async function survives(content: string | Buffer, format?: TraceFormat): Promise<void> {
  const file = path.join(dir, `case-${files++}`);
  fs.writeFileSync(file, content);
  let source;
  try {
    source = await openTraceSource(file, { format });
  } catch (err) {
    return located(err, 'open');
  }
  try {
    for (const problem of source.problems) assert.match(problem, LOCATED, `problem "${problem}" says where`);
    for (let i = 0; i < Math.min(source.recordCount, MAX_RECORDS); i++) {
      for (const action of [() => source.label(i), () => source.load(i)]) {
        await action().catch((err: unknown) => located(err, `record ${i}`));
      }
    }
  } finally {
    await source.close();
  }
}

const REAL = ['processbench/gsm8k.json', 'prm800k/phase-samples.jsonl', 'r1-chat/thought-anchors-chats.jsonl', 'generic/qwen2.5-math-7b-math-cot-sample.jsonl', 'text/r1-trace.txt']
  .map((name) => fs.readFileSync(path.join(FIXTURES, name)));

test('arbitrary text, JSON-looking or not, never crashes an import', async () => {
  const jsonish = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }).map((v) => v.map((x) => JSON.stringify(x)).join('\n')),
    fc.array(fc.constantFrom('{', '}', '[', ']', '"', '\\', ',', ':', '\n', ' ', 'problem', 'steps', '<think>', '</think>', '1'), { maxLength: 60 }).map((t) => t.join('')),
  );
  await fc.assert(fc.asyncProperty(jsonish, fc.constantFrom<TraceFormat | undefined>(undefined, undefined, 'processbench', 'prm800k', 'r1-chat', 'generic-jsonl', 'text', 'run'), survives), { numRuns: 300 });
});

test('real traces cut at any byte open what is complete and locate the rest', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: REAL.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), async (which, at) => {
    const real = REAL[which];
    await survives(real.subarray(0, Math.floor(real.length * at)));
  }), { numRuns: 150 });
});

test('real records with damaged JSON are reported by line, the others still open', async () => {
  const lines = REAL[3].toString('utf8').trim().split('\n').concat(REAL[2].toString('utf8').trim().split('\n'));
  const damage = fc.record({ line: fc.nat(), at: fc.nat(), kind: fc.constantFrom('delete', 'insert', 'cut'), char: fc.constantFrom('"', '{', '}', ',', '\\', ':', 'x', '\n') });
  await fc.assert(fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 4 }), async (damages) => {
    const damaged = [...lines];
    for (const d of damages) {
      const i = d.line % damaged.length;
      const at = d.at % Math.max(1, damaged[i].length);
      const text = damaged[i];
      damaged[i] = d.kind === 'delete' ? text.slice(0, at) + text.slice(at + 1) : d.kind === 'cut' ? text.slice(0, at) : text.slice(0, at) + d.char + text.slice(at);
    }
    await survives(damaged.join('\n'));
  }), { numRuns: 150 });
});
