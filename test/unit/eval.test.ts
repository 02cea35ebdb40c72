/** The dataset-evaluation engine: where each run file stands, the folder's settings check, runs
 * sharing the request slots, stopping and continuing, and the summary per N and MATH level. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isDone, planEval, runEval, type EvalJob, type EvalPlan, type PlannedRun } from '../../src/core/eval/evaluate';
import { readEvalDataset, type EvalProblem } from '../../src/core/eval/problems';
import { runState } from '../../src/core/eval/runState';
import { claimEvalDir, SettingsMismatch, type EvalSettings } from '../../src/core/eval/settings';
import { summariseEval, summaryMarkdown } from '../../src/core/eval/summary';
import { OllamaBackend } from '../../src/core/model/ollama';
import type { RunEndedEvent, RunHeader } from '../../src/core/trace/schema';
import { tempDir } from '../support/helpers';
import { startTestServer, type TestServer } from '../support/ollamaServer';

const DATASET = path.resolve('test/fixtures/math500-sample.jsonl');
const chatRequests = (server: TestServer) => server.requests.filter((r) => r.path === '/api/chat').length;

const HEADER = JSON.stringify({
  type: 'header', schema: 1, runId: 'r', createdAt: '2025-01-01T00:00:00Z', problem: { text: 'x' },
  backend: { kind: 'ollama', host: 'h', model: 'm', logprobs: false, options: { seed: 1 } }, strategy: { name: 'majority', params: { n: 1 } }, versions: { reasonscope: '0' },
} satisfies RunHeader);

function ended(status: RunEndedEvent['status'], correct?: boolean, extra: Partial<RunEndedEvent> = {}): RunEndedEvent {
  return {
    type: 'run_ended', t: 5, status,
    result: { answer: '1', votes: { 1: 1 }, ...(correct !== undefined && { correct }) },
    totals: { promptTokens: 10, completionTokens: 100, requests: 1, wallMs: 2000 }, ...extra,
  };
}

describe('run state from the last line', () => {
  const file = (text: string) => {
    const f = path.join(tempDir(), 'r.run.jsonl');
    fs.writeFileSync(f, text);
    return f;
  };

  test('missing, interrupted (no run_ended, or a torn line), and ended with its status', () => {
    assert.deepEqual(runState(path.join(tempDir(), 'none.run.jsonl')), { kind: 'missing' });
    assert.deepEqual(runState(file(`${HEADER}\n`)), { kind: 'interrupted' });
    const step = JSON.stringify({ type: 'node_added', t: 1, id: 's0.0', parent: 'root', kind: 'step', text: 'a' });
    assert.deepEqual(runState(file(`${HEADER}\n${step}\n`)), { kind: 'interrupted' });
    assert.deepEqual(runState(file(`${HEADER}\n${step}\n${JSON.stringify(ended('completed')).slice(0, 30)}`)), { kind: 'interrupted' });
    const done = ended('completed', true);
    assert.deepEqual(runState(file(`${HEADER}\n${step}\n${JSON.stringify(done)}\n`)), { kind: 'ended', ended: done });
    // Resumed after a cancel: only the last run_ended counts.
    const cancelled = JSON.stringify(ended('cancelled'));
    assert.equal(runState(file(`${HEADER}\n${cancelled}\n{"type":"run_resumed","t":6}\n`)).kind, 'interrupted');
  });

  test('a last line longer than the tail it reads first, and a big file, are read right', () => {
    const votes = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`answer-${i}-${'x'.repeat(20)}`, 1]));
    const big = ended('failed', undefined, { result: { answer: null, votes } });
    const padding = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ type: 'warning', t: i, message: 'y'.repeat(50) })).join('\n');
    assert.deepEqual(runState(file(`${HEADER}\n${padding}\n${JSON.stringify(big)}\n`)), { kind: 'ended', ended: big });
    assert.deepEqual(runState(file(`${HEADER}\n${padding}\n${JSON.stringify(ended('completed'))}\n`)).kind, 'ended');
  });

  test('a file that is not a run file is an error, not a run to redo', () => {
    assert.throws(() => runState(file('hello\n')), /not JSON/);
  });
});

describe('dataset problems', () => {
  test('run files are named by path-safe ids; problems without one by their position; levels kept', () => {
    const { problems, skipped } = readEvalDataset(DATASET);
    assert.equal(skipped.length, 0);
    assert.equal(problems[0].slug, 'algebra-24');
    assert.equal(problems[0].level, 1);
    assert.equal(problems[0].problem.answer, '2000');
    const f = path.join(tempDir(), 'd.jsonl');
    fs.writeFileSync(f, '{"problem":"1+1?","answer":"2"}\nnot json\n{"problem":"2+2?"}\n');
    const read = readEvalDataset(f);
    assert.deepEqual(read.problems.map((p) => p.slug), ['problem-1', 'problem-2']);
    assert.deepEqual(read.skipped, ['line 2: not JSON']);
  });

  test('two problems with one id are refused, naming both lines', () => {
    const f = path.join(tempDir(), 'd.jsonl');
    fs.writeFileSync(f, '{"problem":"a","unique_id":"x/1"}\n{"problem":"b","unique_id":"y"}\n{"problem":"c","unique_id":"x/1"}\n');
    assert.throws(() => readEvalDataset(f), /lines 1 and 3 have the same id "x\/1"/);
  });
});

describe('the settings check', () => {
  const settings: EvalSettings = {
    dataset: { file: 'd.jsonl', sha256: 'aa' }, strategy: 'best-of-n', params: { aggregation: 'last' }, model: 'm',
    sampling: { temperature: 0.7, topP: 0.95, seed: 4, maxTokens: 100 }, logprobs: true, scorer: { name: 'confidence' },
  };

  test('a new folder records them; the same ones continue; once it has runs, each differing one is named', () => {
    const dir = tempDir();
    claimEvalDir(dir, settings);
    assert.ok(fs.existsSync(path.join(dir, 'eval.json')) && fs.existsSync(path.join(dir, 'runs')));
    assert.doesNotThrow(() => claimEvalDir(dir, structuredClone(settings)));
    const other = { ...settings, dataset: { file: 'd.jsonl', sha256: 'bb' }, params: { aggregation: 'min' }, model: 'm2', scorer: undefined };
    // No run was made yet (say the model name was mistyped): the new settings replace the old.
    claimEvalDir(dir, other);
    claimEvalDir(dir, settings);
    fs.writeFileSync(path.join(dir, 'runs', 'a-best-of-n-n1.run.jsonl'), `${HEADER}\n`);
    assert.throws(() => claimEvalDir(dir, other), (err: unknown) => {
      assert.ok(err instanceof SettingsMismatch);
      assert.deepEqual(err.differences, [
        'the dataset d.jsonl has changed since', 'parameter aggregation was "last", now "min"', 'the model was "m", now "m2"', 'the scorer was {"name":"confidence"}, now none',
      ]);
      return true;
    });
  });
});

describe('evaluating against the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 3, parallel: 3, tokenLatencyMs: 1 });
  });
  after(() => server.close());

  const job = (dir: string, extra: Partial<EvalJob> = {}): EvalJob => ({
    dir,
    datasetFile: DATASET,
    dataset: readEvalDataset(DATASET),
    limit: 2,
    ns: [1, 2, 4],
    backend: new OllamaBackend(server.url),
    spec: { strategy: 'majority', model: 'qwen2.5:1.5b', sampling: { temperature: 0.7, maxTokens: 400 }, logprobs: false },
    concurrency: 3,
    ...extra,
  });

  test('runs share the request limit: the server never queues, and every run completes once', async () => {
    const dir = tempDir();
    const plan = planEval(job(dir));
    const before = chatRequests(server);
    await runEval(job(dir), plan);
    assert.ok(plan.runs.every(isDone));
    assert.equal(server.stats.queued, 0, 'never more requests in flight than --concurrency');
    assert.equal(chatRequests(server) - before, 2 * (1 + 2 + 4));
    assert.deepEqual(plan.runs.map((r) => path.basename(r.file)), [
      'algebra-24-majority-n1.run.jsonl', 'algebra-24-majority-n2.run.jsonl', 'algebra-24-majority-n4.run.jsonl',
      'algebra-2584-majority-n1.run.jsonl', 'algebra-2584-majority-n2.run.jsonl', 'algebra-2584-majority-n4.run.jsonl',
    ]);
    // Planned again without a seed: the folder's seed, and nothing left to do.
    const again = planEval(job(dir));
    assert.equal(again.settings.sampling.seed, plan.settings.sampling.seed);
    assert.ok(again.runs.every(isDone));
  });

  test('stopped after the first run ends, it continues where it stopped', async () => {
    const dir = tempDir();
    const stop = new AbortController();
    const first = planEval(job(dir));
    await runEval(job(dir), first, { ended: () => stop.abort() }, stop.signal);
    const done = first.runs.filter(isDone).length;
    assert.ok(done >= 1 && done < first.runs.length, `${done} done`);
    const second = planEval(job(dir));
    assert.equal(second.runs.filter(isDone).length, done);
    let resumed = 0;
    await runEval(job(dir), second, { started: (_run, wasResumed) => void (resumed += wasResumed ? 1 : 0) });
    assert.ok(second.runs.every(isDone));
    assert.equal(resumed, second.runs.filter((r) => fs.readFileSync(r.file, 'utf8').includes('"run_resumed"')).length);
  });
});

describe('the summary', () => {
  test('accuracy per N and per level counts completed runs with a gold answer; tokens and time are means', () => {
    const problem = (slug: string, level?: number): EvalProblem => ({ slug, problem: { text: slug, answer: '1' }, ...(level !== undefined && { level }) });
    const [a, b, c] = [problem('a', 1), problem('b', 1), problem('c')];
    const run = (p: EvalProblem, n: number, state: PlannedRun['state']): PlannedRun => ({ problem: p, n, file: `/e/runs/${p.slug}-n${n}.run.jsonl`, state });
    const plan: EvalPlan = {
      settings: { dataset: { file: 'd.jsonl', sha256: 'x' }, strategy: 'majority', params: {}, model: 'm', sampling: { seed: 1 }, logprobs: true },
      runs: [
        run(a, 1, { kind: 'ended', ended: ended('completed', true) }),
        run(b, 1, { kind: 'ended', ended: ended('completed', false, { totals: { promptTokens: 0, completionTokens: 300, requests: 1, wallMs: 4000 } }) }),
        run(c, 1, { kind: 'ended', ended: ended('completed') }),
        run(a, 2, { kind: 'ended', ended: ended('completed', true) }),
        run(b, 2, { kind: 'ended', ended: ended('failed') }),
        run(c, 2, { kind: 'missing' }),
      ],
    };
    const summary = summariseEval('/e', plan);
    const [n1, n2] = summary.byN;
    assert.deepEqual({ ...n1 }, { n: 1, runs: 3, completed: 3, failed: 0, graded: 2, correct: 1, accuracy: 0.5, meanCompletionTokens: 500 / 3, meanWallMs: 8000 / 3, totalWallMs: 8000 });
    assert.deepEqual([n2.completed, n2.failed, n2.graded, n2.accuracy], [1, 1, 1, 1]);
    assert.deepEqual(summary.byLevel.map((l) => [l.level, l.problems, l.byN.map((x) => x.accuracy)]), [[1, 2, [0.5, 1]], [null, 1, [null, null]]]);
    assert.equal(summary.runs[5].status, 'not run');
    assert.equal(summary.runs[0].file, 'runs/a-n1.run.jsonl');
    const md = summaryMarkdown(summary);
    assert.match(md, /\| 1 \| 3\/3 \| 50\.0% \(1\/2\) \| 167 \| 2\.7 s \|/);
    assert.match(md, /\| 2 \| 1\/3 \(1 failed\) \| 100\.0% \(1\/1\) \| 100 \| 2\.0 s \|/);
    assert.match(md, /\| 1 \| 2 \| 50\.0% \(1\/2\) \| 100\.0% \(1\/1\) \|/);
  });
});
