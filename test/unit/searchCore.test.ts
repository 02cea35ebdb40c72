/** The search core every strategy shares: the scheduler's slots and budgets, best-of-N and weighted
 * majority selection, scorer requirements, and resuming a stopped run from its log. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OllamaBackend } from '../../src/core/model/ollama';
import { aggregate, type Scorer } from '../../src/core/reward/types';
import { confidenceScorer } from '../../src/core/reward/confidence';
import { goldScorer } from '../../src/core/reward/gold';
import { buildSpec, executeRun, type SpecInput } from '../../src/core/search/run';
import { Scheduler } from '../../src/core/search/scheduler';
import { prepareRun, resumeRun } from '../../src/core/search/startRun';
import { readRunFile } from '../../src/core/trace/runFile';
import type { RunEvent } from '../../src/core/trace/schema';
import { replay, type RunTree } from '../../src/core/trace/tree';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { problemText, tempDir } from '../support/helpers';
import { chainHashScorer, chatRequests, runSearch, shape } from '../support/searchRun';

const MODEL = 'qwen2.5:1.5b';
const GOLD = '\\frac{14}{3}';

/** A scorer with no model behind it: a step's score falls with its length and a "Wait" halves it,
 * so chains differ in score in a way the test can recompute. */
const lengthScorer: Scorer = {
  name: 'test-length',
  async scoreSteps(chain, from) {
    return chain.steps.slice(from).map((s) => (1 / (1 + s.text.length / 200)) * (s.text.startsWith('Wait') ? 0.5 : 1));
  },
};

function spec(input: Partial<SpecInput> = {}): SpecInput {
  return { strategy: 'majority', params: { n: 6 }, model: MODEL, sampling: { temperature: 0.8, seed: 21, maxTokens: 512 }, concurrency: 2, logprobs: true, topLogprobs: 3, ...input };
}

async function run(server: TestServer, input: SpecInput, opts: { signal?: AbortSignal; onEvent?: (e: RunEvent, tree: RunTree) => void; outFile?: string } = {}) {
  const backend = new OllamaBackend(server.url);
  const outFile = opts.outFile ?? path.join(tempDir(), 'x.run.jsonl');
  const prepared = await prepareRun({ backend, problem: { text: problemText(), answer: GOLD }, spec: buildSpec(input), outFile }, opts.signal);
  if (opts.onEvent) prepared.recorder.onEvent(opts.onEvent);
  const ended = await executeRun(backend, prepared.recorder, prepared.spec, opts.signal).finally(() => prepared.recorder.close());
  const logged = await readRunFile(outFile);
  return { ended, outFile, logged, tree: replay(logged.header, logged.events) };
}


describe('scheduler', () => {
  test('never has more tasks in flight than its slots, and serves them first come first served', async () => {
    const scheduler = new Scheduler(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await Promise.all(Array.from({ length: 10 }, (_, i) => scheduler.run(async () => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    })));
    assert.equal(peak, 3);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('a cancelled run starts no new task', async () => {
    const outer = new AbortController();
    const scheduler = new Scheduler(1, {}, outer.signal);
    let ran = false;
    let started!: () => void;
    const firstStarted = new Promise<void>((r) => (started = r));
    const first = scheduler.run(() => new Promise((r) => {
      started();
      setTimeout(r, 20);
    }));
    const second = assert.rejects(scheduler.run(async () => {
      ran = true;
    }), /Cancelled/);
    await firstStarted;
    outer.abort();
    await first;
    await second;
    assert.equal(ran, false);
    assert.equal(scheduler.stopped?.kind, 'cancelled');
  });
});

describe('search runs against the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 9, errorRate: 0.5 });
  });
  after(() => server.close());

  test('best-of-N selects the chain with the best aggregated score and records it', async () => {
    const { ended, tree, logged } = await run(server, spec({ strategy: 'best-of-n', params: { n: 6, aggregation: 'mean' }, scorer: lengthScorer }));
    assert.equal(ended.status, 'completed');
    const leaves = [...tree.nodes.values()].filter((n) => n.kind === 'answer');
    assert.ok(leaves.length >= 5);
    const chainScore = (leafId: string) => {
      const scores: number[] = [];
      for (let id = tree.nodes.get(leafId)?.parent ?? null; id && id !== 'root'; id = tree.nodes.get(id)?.parent ?? null) scores.push(tree.nodes.get(id)?.scores['test-length'] ?? Number.NaN);
      return aggregate(scores.reverse(), 'mean');
    };
    const best = leaves.reduce((b, l) => (chainScore(l.id) > chainScore(b.id) ? l : b));
    assert.equal(ended.result?.selected, best.id);
    assert.equal(ended.result?.answer, best.answer?.normalized);
    assert.equal(ended.result?.correct, best.answer?.correct);
    assert.ok(tree.nodes.get(best.id)?.selected, 'node_selected marks the chosen leaf');
    assert.equal(logged.header.scorer?.name, 'test-length');
    assert.equal(logged.header.strategy.params.aggregation, 'mean');
  });

  test('weighted majority sums chain scores per answer and picks the heaviest answer', async () => {
    const { ended, tree } = await run(server, spec({ strategy: 'weighted', params: { n: 6, aggregation: 'last' }, scorer: lengthScorer }));
    const weights: Record<string, number> = {};
    for (const leaf of [...tree.nodes.values()].filter((n) => n.kind === 'answer' && n.answer?.normalized)) {
      const last = tree.nodes.get(leaf.parent ?? '');
      weights[leaf.answer!.normalized!] = (weights[leaf.answer!.normalized!] ?? 0) + (last?.scores['test-length'] ?? 0);
    }
    for (const [answer, w] of Object.entries(weights)) assert.ok(Math.abs((ended.result?.weights?.[answer] ?? -1) - w) < 1e-9, answer);
    const heaviest = Object.entries(weights).sort((a, b) => b[1] - a[1])[0][0];
    assert.equal(ended.result?.answer, heaviest);
  });

  test('the gold scorer picks a correct chain when there is one, and is refused without a gold answer', async () => {
    const { ended, tree } = await run(server, spec({ strategy: 'best-of-n', params: { n: 6 }, scorer: goldScorer(GOLD) }));
    const anyCorrect = [...tree.nodes.values()].some((n) => n.answer?.correct);
    assert.equal(ended.result?.correct, anyCorrect);
    assert.throws(() => goldScorer(undefined), /gold answer/);
  });

  test('a scorer that reads logprobs is refused, with the reason, on a server without them', async () => {
    const old = await startTestServer({ version: '0.11.4' });
    try {
      const backend = new OllamaBackend(old.url);
      await assert.rejects(
        prepareRun({ backend, problem: { text: problemText() }, spec: buildSpec(spec({ strategy: 'best-of-n', scorer: confidenceScorer })) }),
        /confidence scorer reads token logprobs.*0\.12\.11/,
      );
    } finally {
      await old.close();
    }
  });

  test('a request budget ends the run as completed, says so, and sends no request past it', async () => {
    const before = chatRequests(server);
    const { ended, tree } = await run(server, spec({ params: { n: 8 }, budget: { maxRequests: 3 } }));
    assert.equal(ended.status, 'completed');
    assert.equal(ended.stoppedBy, 'request budget of 3 reached');
    assert.equal(ended.totals.requests, 3);
    assert.equal(chatRequests(server) - before, 3);
    assert.equal([...tree.nodes.values()].filter((n) => n.kind === 'answer').length, 3, 'the chains in flight finished');
  });

  test('a token budget stops generation at once and keeps the steps being written', async () => {
    const slow = await startTestServer({ seed: 9, tokenLatencyMs: 1 });
    try {
      const { ended, tree } = await run(slow, spec({ params: { n: 4 }, budget: { maxTokens: 150 } }));
      assert.equal(ended.status, 'completed');
      assert.equal(ended.stoppedBy, 'token budget of 150 reached');
      assert.ok(ended.totals.completionTokens >= 150 && ended.totals.completionTokens < 150 + 4 * 8);
      assert.ok([...tree.nodes.values()].some((n) => n.stopReason === 'cancelled'), 'partial steps are kept');
    } finally {
      await slow.close();
    }
  });
});

describe('resume', () => {
  test('a cancelled run resumes in the same file: finished chains are not generated again, the rest complete', async () => {
    const server = await startTestServer({ seed: 4, tokenLatencyMs: 2 });
    try {
      const controller = new AbortController();
      let answers = 0;
      const first = await run(server, spec({ params: { n: 6 } }), {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'answer_extracted' && ++answers === 2) controller.abort();
        },
      });
      assert.equal(first.ended.status, 'cancelled');
      const finished = [...first.tree.nodes.values()].filter((n) => n.kind === 'answer').map((n) => n.id);
      const before = chatRequests(server);
      const finishedNodes = [...first.tree.nodes.values()].filter((n) => finished.some((leaf) => n.id.startsWith(leaf.split('.')[0] + '.')));

      const backend = new OllamaBackend(server.url);
      const resumed = await resumeRun(first.outFile, { backend });
      const ended = await executeRun(backend, resumed.recorder, resumed.spec).finally(() => resumed.recorder.close());
      assert.equal(ended.status, 'completed');
      assert.equal(chatRequests(server) - before, 6 - finished.length, 'one request per unfinished chain');

      const logged = await readRunFile(first.outFile);
      assert.equal(logged.events.filter((e) => e.type === 'run_resumed').length, 1);
      const tree = replay(logged.header, logged.events);
      assert.equal([...tree.nodes.values()].filter((n) => n.kind === 'answer').length, 6);
      for (const node of finishedNodes) assert.equal(tree.nodes.get(node.id)?.text, node.text, `${node.id} unchanged`);
      const added = logged.events.flatMap((e) => (e.type === 'node_added' ? [e.id] : []));
      assert.equal(new Set(added).size, added.length, 'no id is used twice (a cut step is written again under a new id)');
      const cut = [...tree.nodes.values()].filter((n) => n.stopReason === 'cancelled');
      assert.ok(cut.every((n) => n.status === 'pruned' && /interrupted/.test(n.pruneReason ?? '')), 'steps cut off mid-sentence are pruned, written again');
      assert.equal(ended.result?.votes && Object.values(ended.result.votes).reduce((a, b) => a + b, 0), 6);
    } finally {
      await server.close();
    }
  });

  test('a run cut off by a crash (torn last line, no run_ended) resumes; imported runs are refused', async () => {
    const server = await startTestServer({ seed: 4 });
    try {
      const { outFile, logged } = await run(server, spec({ params: { n: 3 } }));
      const lines = fs.readFileSync(outFile, 'utf8').split('\n').filter(Boolean);
      const cutAt = lines.findIndex((l) => l.includes('"answer_extracted"'));
      fs.writeFileSync(outFile, lines.slice(0, cutAt).join('\n') + '\n{"type":"node_ad');
      const backend = new OllamaBackend(server.url);
      const resumed = await resumeRun(outFile, { backend });
      const ended = await executeRun(backend, resumed.recorder, resumed.spec).finally(() => resumed.recorder.close());
      assert.equal(ended.status, 'completed');
      const again = await readRunFile(outFile);
      assert.equal(again.tornTail, false, 'the torn line was cut before appending');
      const answers = (t: RunTree) => [...t.nodes.values()].filter((n) => n.kind === 'answer').map((n) => `${n.id}=${n.text}`).sort();
      assert.deepEqual(answers(replay(again.header, again.events)), answers(replay(logged.header, logged.events)), 'the same answers as the uninterrupted run');

      // Cut between an answer leaf and its verdict: the leaf is not added twice.
      const leafAt = lines.findIndex((l) => l.includes('"kind":"answer"'));
      fs.writeFileSync(outFile, lines.slice(0, leafAt + 1).join('\n') + '\n');
      const again2 = await resumeRun(outFile, { backend });
      await executeRun(backend, again2.recorder, again2.spec).finally(() => again2.recorder.close());
      const relogged = await readRunFile(outFile);
      const leaves = relogged.events.flatMap((e) => (e.type === 'node_added' && e.kind === 'answer' ? [e.id] : []));
      assert.equal(new Set(leaves).size, leaves.length, 'each answer leaf once');
      assert.deepEqual(answers(replay(relogged.header, relogged.events)), answers(replay(logged.header, logged.events)));

      const imported = path.join(tempDir(), 'imported.run.jsonl');
      fs.writeFileSync(imported, JSON.stringify({ ...logged.header, importedFrom: 'processbench:x.json#0' }) + '\n');
      await assert.rejects(resumeRun(imported, { backend }), /imported.*read-only/);
    } finally {
      await server.close();
    }
  });
});

test('a beam search whose server is killed mid-run resumes against a new server to the tree of an uninterrupted run', async () => {
  const options = { seed: 7, errorRate: 0.5 };
  const input = spec({ strategy: 'beam', params: { n: 4, beamWidth: 2 }, scorer: chainHashScorer, sampling: { temperature: 0.8, seed: 5, maxTokens: 256 }, retries: 0 });
  const reference = await startTestServer(options);
  const full = await runSearch(reference, input).finally(() => reference.close());

  const doomed = await startTestServer(options);
  let steps = 0;
  let killed: Promise<void> | undefined;
  const broken = await run(doomed, input, {
    onEvent: (e) => {
      if (e.type === 'node_added' && e.kind === 'step' && ++steps === 6) killed = doomed.close();
    },
  });
  await killed;
  assert.notEqual(broken.ended.status, 'completed', 'the run could not finish without its server');
  assert.ok(broken.logged.events.some((e) => e.type === 'sample_failed' && /Cannot reach|connection/i.test(e.message)), 'the lost server is named');

  const revived = await startTestServer(options);
  try {
    const backend = new OllamaBackend(revived.url);
    const resumed = await resumeRun(broken.outFile, { backend, scorer: chainHashScorer });
    const ended = await executeRun(backend, resumed.recorder, resumed.spec).finally(() => resumed.recorder.close());
    assert.equal(ended.status, 'completed');
    const logged = await readRunFile(broken.outFile);
    assert.deepEqual(shape(replay(logged.header, logged.events)), shape(full.tree), 'the same tree as the run that was never interrupted');
    assert.equal(ended.result?.selected, full.ended.result?.selected);
    assert.ok(chatRequests(revived) < full.requests, 'what was logged before the kill was not generated again');
  } finally {
    await revived.close();
  }
});

test('a beam search stopped by its budget still reports its best completed beam, not only the vote', async () => {
  const options = { seed: 7, errorRate: 0.5 };
  const input = spec({ strategy: 'beam', params: { n: 4, beamWidth: 2 }, scorer: chainHashScorer, sampling: { temperature: 0.8, seed: 5, maxTokens: 256 } });
  const reference = await startTestServer(options);
  const full = await runSearch(reference, input).finally(() => reference.close());
  const server = await startTestServer(options);
  try {
    const stopped = await runSearch(server, { ...input, budget: { maxRequests: full.ended.totals.requests - 2 } });
    assert.equal(stopped.ended.stoppedBy, `request budget of ${full.ended.totals.requests - 2} reached`);
    const selected = stopped.tree.nodes.get(stopped.ended.result?.selected ?? '');
    assert.equal(selected?.kind, 'answer', 'a completed beam is chosen');
    assert.equal(stopped.ended.result?.answer, selected?.answer?.normalized);
    assert.ok(selected?.selected, 'and marked in the tree');
  } finally {
    await server.close();
  }
});
