import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { parseRunText, RunFileError } from '../../src/core/trace/parse';
import { RunRecorder } from '../../src/core/trace/recorder';
import { readRunFile, RunWriter } from '../../src/core/trace/runFile';
import type { RunEvent, RunHeader } from '../../src/core/trace/schema';
import { answerGroups, pathTo, replay } from '../../src/core/trace/tree';

const header: RunHeader = {
  type: 'header',
  schema: 1,
  runId: 'r1',
  createdAt: '2026-01-01T00:00:00.000Z',
  problem: { text: 'What is $1+1$?', answer: '2' },
  backend: { kind: 'ollama', host: 'http://127.0.0.1:11434', model: 'm', logprobs: true, options: { temperature: 0.7 } },
  strategy: { name: 'majority', params: { n: 3 } },
  versions: { reasonscope: '0.0.0' },
};

const events: RunEvent[] = [
  { type: 'node_added', t: 0, id: 'root', parent: null, kind: 'root', text: 'What is $1+1$?' },
  { type: 'node_added', t: 1, id: 's0.0', parent: 'root', kind: 'step', text: 'Add.', sample: 0, tokens: [{ token: 'Add', logprob: -0.1, top: [{ token: 'Add', logprob: -0.1 }] }] },
  { type: 'node_added', t: 2, id: 's0.answer', parent: 's0.0', kind: 'answer', text: '2', sample: 0 },
  { type: 'answer_extracted', t: 2, id: 's0.answer', raw: '2', normalized: '2', correct: true },
  { type: 'node_added', t: 3, id: 's1.0', parent: 'root', kind: 'step', text: 'Guess.', sample: 1 },
  { type: 'node_added', t: 4, id: 's1.answer', parent: 's1.0', kind: 'answer', text: '3', sample: 1 },
  { type: 'answer_extracted', t: 4, id: 's1.answer', raw: '3', normalized: '3', correct: false },
  { type: 'node_added', t: 5, id: 's2.0', parent: 'root', kind: 'step', text: 'One plus one.', sample: 2 },
  { type: 'node_added', t: 6, id: 's2.1', parent: 's2.0', kind: 'step', text: 'Two.', sample: 2 },
  { type: 'node_added', t: 7, id: 's2.answer', parent: 's2.1', kind: 'answer', text: '2', sample: 2 },
  { type: 'answer_extracted', t: 7, id: 's2.answer', raw: '2', normalized: '2', correct: true },
  { type: 'run_ended', t: 8, status: 'completed', result: { answer: '2', votes: { 2: 2, 3: 1 }, correct: true }, totals: { promptTokens: 30, completionTokens: 12, requests: 3, wallMs: 8 } },
];

function tmpFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reasonscope-')), name);
}

test('a run written event by event replays to the same tree', async () => {
  const file = tmpFile('a.run.jsonl');
  const recorder = new RunRecorder(header, RunWriter.create(file, header));
  for (const e of events) recorder.emit(e);
  recorder.close();
  const parsed = await readRunFile(file);
  assert.equal(parsed.tornTail, false);
  const reread = replay(parsed.header, parsed.events);
  assert.deepEqual([...reread.nodes.values()], [...recorder.tree.nodes.values()]);
  assert.equal(reread.nodes.size, 8);
  assert.deepEqual(reread.nodes.get('root')?.children, ['s0.0', 's1.0', 's2.0']);
  assert.deepEqual(pathTo(reread, 's2.answer').map((n) => n.id), ['root', 's2.0', 's2.1', 's2.answer']);
  assert.deepEqual(answerGroups(reread).map((g) => [g.answer, g.votes, g.correct]), [['2', 2, true], ['3', 1, false]]);
  assert.equal(reread.ended?.status, 'completed');
});

test('the writer refuses to overwrite an existing run file', () => {
  const file = tmpFile('b.run.jsonl');
  RunWriter.create(file, header).close();
  assert.throws(() => RunWriter.create(file, header), /EEXIST/);
});

test('every event is on disk as soon as it is emitted (a crash loses nothing already emitted)', () => {
  const file = tmpFile('c.run.jsonl');
  const writer = RunWriter.create(file, header);
  writer.write(events[0]);
  writer.write(events[1]);
  // Not closed: read what another process would see right now.
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(lines.length, 3);
  writer.close();
});

test('a torn last line is dropped and reported; everything before it survives', () => {
  const full = [header, ...events].map((l) => JSON.stringify(l)).join('\n') + '\n';
  const torn = full + JSON.stringify(events[1]).slice(0, 25);
  const parsed = parseRunText(torn);
  assert.equal(parsed.tornTail, true);
  assert.equal(parsed.events.length, events.length);
  assert.equal(replay(parsed.header, parsed.events).nodes.size, 8);
});

test('a malformed line in the middle is an error naming its line', () => {
  const lines = [header, ...events].map((l) => JSON.stringify(l));
  lines[3] = '{"type":"node_added", oops';
  assert.throws(() => parseRunText(lines.join('\n') + '\n'), (err: Error) => err instanceof RunFileError && /line 4/.test(err.message));
});

test('files that are not runs are rejected with a reason', () => {
  assert.throws(() => parseRunText(''), /empty/);
  assert.throws(() => parseRunText('{"problem": "x"}\n'), /not a run header/);
  assert.throws(() => parseRunText('hello\n'), /not JSON/);
  assert.throws(() => parseRunText(JSON.stringify({ ...header, schema: 99 }) + '\n'), /unsupported run schema 99/);
});

test('the published JSON Schema accepts every line of a run and rejects a damaged one', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(fs.readFileSync('media/run.schema.json', 'utf8')));
  for (const line of [header, ...events]) assert.ok(validate(line), `${line.type}: ${ajv.errorsText(validate.errors)}`);
  assert.equal(validate({ type: 'node_added', t: 0, id: 'x', parent: null, kind: 'leaf', text: '' }), false);
  assert.equal(validate({ type: 'run_ended', t: 0, status: 'done', totals: {} }), false);
});

test('every fixture run file (hand-built and recorded by the engine) validates against the schema', () => {
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(fs.readFileSync('media/run.schema.json', 'utf8')));
  const dir = 'test/fixtures/runs';
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.run.jsonl'));
  assert.ok(files.length >= 2);
  for (const file of files) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').trim().split('\n');
    lines.forEach((line, i) => assert.ok(validate(JSON.parse(line)), `${file}:${i + 1}: ${JSON.stringify(validate.errors)}`));
  }
});
