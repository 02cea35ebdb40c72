import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BackendError } from '../../src/core/model/errors';
import { OllamaBackend } from '../../src/core/model/ollama';
import { buildSpec, executeRun, type SpecInput } from '../../src/core/search/run';
import { prepareRun } from '../../src/core/search/startRun';
import { readRunFile } from '../../src/core/trace/runFile';
import type { RunEvent } from '../../src/core/trace/schema';
import { answerGroups, replay } from '../../src/core/trace/tree';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { problemText, tempDir } from '../support/helpers';

const MODEL = 'qwen2.5:1.5b';

function params({ n = 6, ...extra }: Partial<SpecInput> & { n?: number } = {}): SpecInput {
  return { strategy: 'majority', params: { n }, model: MODEL, sampling: { temperature: 0.8, seed: 11, maxTokens: 512 }, concurrency: 2, logprobs: true, topLogprobs: 3, ...extra };
}

async function solve(server: TestServer, p: SpecInput, signal?: AbortSignal, onEvent?: (e: RunEvent) => void) {
  const backend = new OllamaBackend(server.url);
  const outFile = path.join(tempDir(), 'x.run.jsonl');
  const prepared = await prepareRun({ backend, problem: { text: problemText(), answer: '\\frac{14}{3}' }, spec: buildSpec(p), outFile }, signal);
  if (onEvent) prepared.recorder.onEvent(onEvent);
  const ended = await executeRun(backend, prepared.recorder, prepared.spec, signal).finally(() => prepared.recorder.close());
  const run = await readRunFile(outFile);
  return { ended, run, tree: replay(run.header, run.events), prepared };
}

describe('majority solve against the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 5 });
  });
  after(() => server.close());

  test('n chains become n branches of steps ending in answer leaves grouped by vote', async () => {
    const { ended, tree, run } = await solve(server, params());
    assert.equal(ended.status, 'completed');
    const root = tree.nodes.get(tree.rootId ?? '');
    assert.equal(root?.children.length, 6);
    const groups = answerGroups(tree);
    assert.equal(groups.reduce((s, g) => s + g.votes, 0), 6);
    assert.deepEqual(ended.result?.votes, Object.fromEntries(groups.filter((g) => g.answer).map((g) => [g.answer, g.votes])));
    assert.equal(ended.result?.answer, groups[0].answer);
    for (const g of groups) assert.equal(typeof g.correct, 'boolean');
    const steps = [...tree.nodes.values()].filter((n) => n.kind === 'step');
    assert.ok(steps.length >= 12, `${steps.length} steps`);
    assert.ok(steps.every((s) => !s.text.includes('\n\n')), 'steps are split at blank lines');
    assert.ok(steps.some((s) => (s.tokens?.length ?? 0) > 0), 'token logprobs are recorded on steps');
    assert.equal(ended.totals.requests, 6);
    assert.ok(ended.totals.completionTokens > 0);
    assert.equal(run.header.backend.model, MODEL);
  });

  test('the same seed reproduces the same chains', async () => {
    const a = await solve(server, params({ n: 3 }));
    const b = await solve(server, params({ n: 3 }));
    const texts = (t: typeof a.tree) => [...t.nodes.values()].map((n) => `${n.id}:${n.text}`).sort();
    assert.deepEqual(texts(a.tree), texts(b.tree));
  });

  test('steps appear while chains are still generating (live growth)', async () => {
    const slow = await startTestServer({ seed: 5, tokenLatencyMs: 3 });
    try {
      let stepsWhileStreaming = 0;
      await solve(slow, params({ n: 2 }), undefined, (e) => {
        if (e.type === 'node_added' && e.kind === 'step' && slow.stats.streamsCompleted === 0) stepsWhileStreaming++;
      });
      assert.ok(stepsWhileStreaming >= 1);
    } finally {
      await slow.close();
    }
  });

  test('a missing model fails before any run file is written', async () => {
    const dir = tempDir();
    const backend = new OllamaBackend(server.url);
    await assert.rejects(
      prepareRun({ backend, problem: { text: problemText() }, spec: buildSpec(params({ model: 'absent:1b' })), outFile: path.join(dir, 'r.run.jsonl') }),
      (err: BackendError) => err.code === 'model-not-found',
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('a transient failure mid-chain is retried from the last complete step, without duplicate nodes', async () => {
    // Learn where the first step ends, then cut the stream a few tokens into the second.
    const clean = await solve(server, params({ n: 1, concurrency: 1 }));
    const firstStepTokens = clean.tree.nodes.get('s0.0')?.tokens?.length ?? 0;
    assert.ok(firstStepTokens > 0 && (clean.tree.nodes.get('s0.1')?.tokens?.length ?? 0) > 3);
    server.injectFault({ kind: 'truncate', afterTokens: firstStepTokens + 3 });
    const { ended, tree, run } = await solve(server, params({ n: 1, concurrency: 1 }));
    assert.equal(ended.status, 'completed');
    assert.equal(ended.totals.requests, 2);
    const retry = server.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as { messages: { role: string; content: string }[] };
    const firstStep = [...tree.nodes.values()].find((n) => n.id === 's0.0');
    assert.equal(retry.messages.at(-1)?.role, 'assistant');
    assert.ok(retry.messages.at(-1)?.content.startsWith(firstStep?.text ?? '∅'));
    const texts = [...tree.nodes.values()].filter((n) => n.kind === 'step').map((n) => n.text);
    assert.equal(new Set(texts).size, texts.length);
    assert.ok(run.events.some((e) => e.type === 'warning' && /Retrying from step/.test(e.message)));
  });
});

test('cancelling keeps every step received so far and marks the run cancelled', async () => {
  const server = await startTestServer({ seed: 5, tokenLatencyMs: 5 });
  try {
    const controller = new AbortController();
    let steps = 0;
    const { ended, tree, run } = await solve(server, params({ n: 4 }), controller.signal, (e) => {
      if (e.type === 'node_added' && e.kind === 'step' && ++steps === 2) controller.abort();
    });
    assert.equal(ended.status, 'cancelled');
    assert.equal(run.events.at(-1)?.type, 'run_ended');
    const partial = [...tree.nodes.values()].filter((n) => n.stopReason === 'cancelled');
    assert.ok(partial.length >= 1, 'the step being written when cancelled is kept');
    await server.waitForAbort(2000);
  } finally {
    await server.close();
  }
});

test('an old Ollama: the run goes on without token logprobs and says why', async () => {
  const server = await startTestServer({ version: '0.11.4' });
  try {
    const { ended, tree, run, prepared } = await solve(server, params({ n: 2 }));
    assert.equal(ended.status, 'completed');
    assert.equal(run.header.backend.logprobs, false);
    assert.match(prepared.notices[0], /0\.11\.4.*0\.12\.11/);
    assert.ok(run.events.some((e) => e.type === 'warning' && /0\.12\.11/.test(e.message)));
    assert.ok([...tree.nodes.values()].every((n) => n.tokens === undefined));
    assert.ok(server.requests.filter((r) => r.path === '/api/chat').every((r) => (r.body as { logprobs?: boolean }).logprobs !== true));
  } finally {
    await server.close();
  }
});

test('when every chain fails the run is failed with the first reason', async () => {
  const server = await startTestServer({ faults: [{ kind: 'status', status: 500, message: 'out of memory', times: 10, path: '/api/chat' }] });
  try {
    const { ended, tree } = await solve(server, params({ n: 2 }));
    assert.equal(ended.status, 'failed');
    assert.match(ended.error ?? '', /out of memory/);
    assert.equal(tree.failures.length, 2);
  } finally {
    await server.close();
  }
});
