import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BackendError, CancelledError } from '../../src/core/model/errors';
import { OpenAICompatibleBackend, renderPrompt } from '../../src/core/model/openai';
import type { GenerateRequest } from '../../src/core/model/types';
import { buildSpec, executeRun } from '../../src/core/search/run';
import { prepareRun } from '../../src/core/search/startRun';
import { answerGroups } from '../../src/core/trace/tree';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { closedPort, collect, problemText, solveRequest } from '../support/helpers';

const MODEL = 'qwen2.5:1.5b';

function request(extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return solveRequest(MODEL, { options: { seed: 4, temperature: 0.6 }, ...extra });
}

test('prompts render as ChatML with the prefix open, or as a plain transcript', () => {
  const messages = [{ role: 'user' as const, content: 'What is 2+2?' }];
  assert.equal(renderPrompt(messages, 'First,', 'chatml'), '<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\nFirst,');
  assert.equal(renderPrompt(messages, 'First,', 'plain'), 'Problem: What is 2+2?\n\nSolution:\nFirst,');
});

describe('OpenAI-compatible backend (/v1/completions) against the test server', () => {
  let server: TestServer;
  let backend: OpenAICompatibleBackend;
  before(async () => {
    server = await startTestServer({ seed: 9 });
    backend = new OpenAICompatibleBackend(server.url);
  });
  after(() => server.close());

  test('lists models and streams text with token logprobs and alternatives', async () => {
    assert.ok((await backend.listModels()).some((m) => m.name === MODEL));
    const { text, tokens, done } = await collect(backend.generate(request({ logprobs: true, topLogprobs: 2 })));
    assert.match(text, /\\boxed\{/);
    assert.equal(tokens.map((t) => t.token).join(''), text);
    assert.ok(tokens.every((t) => t.logprob <= 0 && (t.top?.length ?? 0) >= 1 && (t.top?.length ?? 0) <= 2));
    assert.equal(done?.stopReason, 'stop');
    const sent = server.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(sent.logprobs, 2);
    assert.equal(sent.seed, 4);
    assert.match(String(sent.prompt), /<\|im_start\|>assistant\n$/);
  });

  test('max tokens ends with length; a missing model is model-not-found', async () => {
    assert.equal((await collect(backend.generate(request({ options: { maxTokens: 4 } })))).done?.stopReason, 'length');
    await assert.rejects(collect(backend.generate(request({ model: 'absent' }))), (e: BackendError) => e.code === 'model-not-found' && e.message.includes('absent'));
    await assert.rejects(backend.showModel('absent'), (e: BackendError) => e.code === 'model-not-found');
  });

  test('server errors, truncated streams and cancellation map to the same typed errors', async () => {
    server.injectFault({ kind: 'status', status: 503, message: 'busy' });
    await assert.rejects(collect(backend.generate(request())), (e: BackendError) => e.code === 'overloaded' && /busy/.test(e.message));
    server.injectFault({ kind: 'truncate', afterTokens: 3 });
    await assert.rejects(collect(backend.generate(request())), (e: BackendError) => e.code === 'stream-truncated');
    server.injectFault({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(collect(backend.generate(request(), controller.signal)), (e: Error) => e instanceof CancelledError);
    await server.waitForAbort(2000);
  });

  test('the same majority run works over this backend', async () => {
    const prepared = await prepareRun({
      backend, problem: { text: problemText(), answer: '\\frac{14}{3}' },
      spec: buildSpec({ strategy: 'majority', params: { n: 3 }, model: MODEL, sampling: { temperature: 0.7, seed: 1 }, concurrency: 3, logprobs: true, topLogprobs: 2 }),
    });
    const ended = await executeRun(backend, prepared.recorder, prepared.spec);
    assert.equal(ended.status, 'completed');
    assert.equal(answerGroups(prepared.recorder.tree).reduce((s, g) => s + g.votes, 0), 3);
    assert.equal(prepared.recorder.header.backend.kind, 'openai');
  });
});

test('unreachable server: a clear unreachable error', async () => {
  const host = `http://127.0.0.1:${await closedPort()}`;
  await assert.rejects(new OpenAICompatibleBackend(host).listModels(), (e: BackendError) => e.code === 'unreachable' && e.message.includes(host));
});

test('a llama-server that reports its slots caps the run at that many requests at once, and says so', async () => {
  // llama.cpp's /props in front of the test server's completions.
  const upstream = await startTestServer({ seed: 9 });
  const proxy = http.createServer((req, res) => {
    if (req.url === '/props') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total_slots: 2, build_info: 'b1' }));
      return;
    }
    const forward = http.request(`${upstream.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const backend = new OpenAICompatibleBackend(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
    assert.equal(await backend.parallelSlots(), 2);
    assert.equal(await new OpenAICompatibleBackend(upstream.url).parallelSlots(), undefined, 'no /props: unknown');
    const prepared = await prepareRun({
      backend, problem: { text: problemText() },
      spec: buildSpec({ strategy: 'majority', params: { n: 2 }, model: MODEL, concurrency: 6 }),
    });
    assert.equal(prepared.spec.concurrency, 2);
    assert.match(prepared.notices.join('\n'), /generates 2 requests at once; running 2 at a time instead of 6/);
  } finally {
    proxy.close();
    await upstream.close();
  }
});
