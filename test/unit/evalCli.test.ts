import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EvalSummary } from '../../src/core/eval/summary';
import { parseRunText } from '../../src/core/trace/parse';
import type { RunEndedEvent } from '../../src/core/trace/schema';
import { cli } from '../support/cli';
import { tempDir } from '../support/helpers';
import { startTestServer, type TestServer } from '../support/ollamaServer';

const DATASET = path.resolve('test/fixtures/math500-sample.jsonl');
const chatRequests = (server: TestServer) => server.requests.filter((r) => r.path === '/api/chat').length;
const lastEvent = (file: string) => parseRunText(fs.readFileSync(file, 'utf8')).events.at(-1) as RunEndedEvent;

describe('reasonscope eval against the test server', () => {
  let server: TestServer;
  let dir: string;
  let args: string[];
  before(async () => {
    server = await startTestServer({ seed: 6, errorRate: 0.5 });
    dir = path.join(tempDir(), 'eval');
    args = ['eval', DATASET, '--host', server.url, '--strategy', 'majority', '--n', '2,1', '--limit', '3', '--concurrency', '3', '--max-tokens', '600', '--out', dir];
  });
  after(() => server.close());

  test('one run per problem and N, and a summary whose accuracy per N is that of the run files', async () => {
    const r = await cli(args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /3 problems × N 1,2 = 6 runs in .*: 0 done, 0 to resume, 6 to run/);
    const runs = fs.readdirSync(path.join(dir, 'runs')).sort();
    assert.deepEqual(runs, ['algebra-24', 'algebra-2517', 'algebra-2584'].flatMap((id) => [1, 2].map((n) => `${id}-majority-n${n}.run.jsonl`)));
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as EvalSummary;
    for (const row of summary.byN) {
      const ends = runs.filter((f) => f.endsWith(`-n${row.n}.run.jsonl`)).map((f) => lastEvent(path.join(dir, 'runs', f)));
      assert.equal(row.completed, 3);
      assert.equal(row.correct, ends.filter((e) => e.result?.correct).length, `N=${row.n}`);
      assert.equal(row.graded, 3);
      assert.equal(row.meanCompletionTokens, ends.reduce((s, e) => s + e.totals.completionTokens, 0) / 3);
    }
    assert.deepEqual(summary.byLevel.map((l) => l.level), [1, 3, 5]);
    const md = fs.readFileSync(path.join(dir, 'summary.md'), 'utf8');
    assert.match(md, /\| N \| runs \| accuracy \| tokens \/ problem \| wall time \/ problem \|/);
    assert.ok(r.stdout.includes(md.trim()), 'the table is printed too');
  });

  test('a second run with the same folder generates nothing; a deleted run is redone and an interrupted one resumed', async () => {
    const requests = server.requests.length;
    const again = await cli(args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /6 done, 0 to resume, 0 to run/);
    assert.equal(server.requests.length, requests, 'the server is not asked anything');

    const runsDir = path.join(dir, 'runs');
    const deleted = path.join(runsDir, 'algebra-2584-majority-n2.run.jsonl');
    const cut = path.join(runsDir, 'algebra-24-majority-n2.run.jsonl');
    fs.rmSync(deleted);
    const lines = fs.readFileSync(cut, 'utf8').trimEnd().split('\n');
    fs.writeFileSync(cut, lines.slice(0, -1).join('\n') + '\n'); // killed before run_ended was written
    const untouched = Object.fromEntries(fs.readdirSync(runsDir).filter((f) => ![deleted, cut].includes(path.join(runsDir, f))).map((f) => [f, fs.readFileSync(path.join(runsDir, f), 'utf8')]));
    const chats = chatRequests(server);
    const third = await cli(args);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stderr, /4 done, 1 to resume, 1 to run/);
    assert.match(third.stderr, /algebra-24 n=2: resumed/);
    assert.equal(chatRequests(server) - chats, 2, 'only the deleted run (n=2) is generated; the cut one had all its chains');
    for (const [f, text] of Object.entries(untouched)) assert.equal(fs.readFileSync(path.join(runsDir, f), 'utf8'), text, f);
    assert.equal(lastEvent(deleted).status, 'completed');
    assert.equal(lastEvent(cut).status, 'completed');
  });

  test('other settings in the same folder are refused, naming each difference', async () => {
    const r = await cli([...args, '--temperature', '0.3', '--model', 'llama3.2:1b']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the model was "qwen2\.5:1\.5b", now "llama3\.2:1b"; temperature was 0\.7, now 0\.3\. To evaluate with these settings, pass a new --out folder/);
    const other = await cli([...args.map((a) => (a === 'majority' ? 'best-of-n' : a)), '--scorer', 'confidence']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /the strategy was "majority", now "best-of-n"; the scorer was none, now \{"name":"confidence"\}/);
  });

  test('Ctrl-C keeps what finished and says how to continue; the same command then completes', async () => {
    const slow = await startTestServer({ seed: 6, tokenLatencyMs: 4 });
    try {
      const out = path.join(tempDir(), 'eval');
      const slowArgs = ['eval', DATASET, '--host', slow.url, '--strategy', 'majority', '--n', '1,2', '--limit', '3', '--concurrency', '1', '--out', out];
      let sent = false;
      const r = await cli(slowArgs, {
        onStderr: (s, interrupt) => {
          if (!sent && /\[1\/6\]/.test(s)) {
            sent = true;
            interrupt();
          }
        },
      });
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stderr, /Stopped with [1-5] of 6 runs unfinished; run the same command again to continue/);
      assert.ok(fs.existsSync(path.join(out, 'summary.json')), 'the summary of what is done is written');
      const rerun = await cli(slowArgs);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.match(rerun.stderr, /[1-5] done, [0-2] to resume/);
      const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as EvalSummary;
      assert.deepEqual(summary.byN.map((row) => row.completed), [3, 3]);
    } finally {
      await slow.close();
    }
  });
});

test('eval with a PRM: the PRM server may move between starts, the runs are kept', async () => {
  const [a, b] = await Promise.all([startTestServer({ seed: 6 }), startTestServer({ seed: 6 })]);
  try {
    const out = path.join(tempDir(), 'eval');
    const args = (prm: string) => ['eval', DATASET, '--host', a.url, '--strategy', 'best-of-n', '--n', '2', '--limit', '2', '--scorer', 'http', '--prm-model', 'Qwen/Qwen2.5-Math-PRM-7B', '--prm-url', prm, '--out', out];
    const first = await cli(args(a.url));
    assert.equal(first.code, 0, first.stderr);
    const settings = JSON.parse(fs.readFileSync(path.join(out, 'eval.json'), 'utf8'));
    assert.deepEqual(settings.scorer, { name: 'prm:Qwen/Qwen2.5-Math-PRM-7B', params: { model: 'Qwen/Qwen2.5-Math-PRM-7B' } });
    const moved = await cli(args(b.url));
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stderr, /2 done, 0 to resume, 0 to run/);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

describe('eval usage errors (exit 2)', () => {
  test('name the flag or the file and what to do', async () => {
    const dataset = path.join(tempDir(), 'noanswers.jsonl');
    fs.writeFileSync(dataset, '{"problem":"1+1?","answer":"2"}\n{"problem":"2+2?"}\n');
    const cases: [string[], RegExp][] = [
      [['eval'], /eval takes one dataset file/],
      [['eval', 'missing.jsonl', '--strategy', 'majority'], /cannot read missing\.jsonl: no such file/],
      [['eval', DATASET, '--strategy', 'majority', '--n', '1,x'], /--n must be an integer ≥ 1, got "x"/],
      [['eval', DATASET, '--strategy', 'majority', '--n', '1,5000'], /--n must be an integer ≥ 1 ≤ 4096, got "5000"/],
      [['eval', DATASET, '--strategy', 'cot', '--n', '1,2'], /cot has no n parameter, so --n does not apply/],
      [['eval', DATASET, '--strategy', 'majority', '--aggregation', 'min'], /--aggregation is not a parameter of majority/],
      [['eval', dataset, '--strategy', 'best-of-n', '--scorer', 'gold'], /--scorer gold needs every problem's answer, and 1 of 2 have none/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  });
});
