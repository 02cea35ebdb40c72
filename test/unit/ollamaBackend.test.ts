import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { BackendError, CancelledError } from '../../src/core/model/errors';
import { OllamaBackend } from '../../src/core/model/ollama';
import type { GenerateRequest } from '../../src/core/model/types';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { closedPort, collect, solveRequest } from '../support/helpers';

const MODEL = 'qwen2.5:1.5b';

function request(extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return solveRequest(MODEL, { options: { seed: 7, temperature: 0.7 }, ...extra });
}

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof BackendError, `expected a BackendError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('Ollama backend against the Ollama-protocol test server', () => {
  let server: TestServer;
  let backend: OllamaBackend;
  before(async () => {
    server = await startTestServer({ seed: 3 });
    backend = new OllamaBackend(server.url);
  });
  after(() => server.close());

  test('lists installed models and reads capabilities', async () => {
    const models = await backend.listModels();
    assert.ok(models.some((m) => m.name === MODEL));
    const show = await backend.showModel(MODEL);
    assert.ok(show.capabilities.includes('completion'));
    assert.ok((show.contextLength ?? 0) > 0);
  });

  test('reports the server version and that logprobs are available', async () => {
    const info = await backend.serverInfo();
    assert.equal(info.version, '0.12.11');
    assert.equal(info.logprobs.supported, true);
  });

  test('streams a continuation with token logprobs and a final done', async () => {
    const { text, tokens, done } = await collect(backend.generate(request({ logprobs: true, topLogprobs: 3 })));
    assert.match(text, /\\boxed\{/);
    assert.equal(done?.stopReason, 'stop');
    assert.ok((done?.completionTokens ?? 0) > 0 && (done?.promptTokens ?? 0) > 0);
    assert.equal(tokens.map((t) => t.token).join(''), text);
    assert.ok(tokens.every((t) => t.logprob <= 0 && (t.top?.length ?? 0) <= 3 && (t.top?.length ?? 0) > 0));
    const sent = server.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(sent.logprobs, true);
    assert.equal(sent.top_logprobs, 3);
    assert.deepEqual(sent.options, { temperature: 0.7, seed: 7 });
  });

  test('continues an assistant prefix (chat prefill) and honours num_predict and stop', async () => {
    const full = await collect(backend.generate(request()));
    const firstStep = full.text.split('\n\n')[0];
    const cont = await collect(backend.generate(request({ prefix: `${firstStep}\n\n` })));
    const sent = server.requests.at(-1)?.body as { messages: { role: string; content: string }[] };
    assert.deepEqual(sent.messages.at(-1), { role: 'assistant', content: `${firstStep}\n\n` });
    assert.ok(!cont.text.startsWith(firstStep), 'the continuation does not repeat the prefix');
    const short = await collect(backend.generate(request({ options: { seed: 7, maxTokens: 5 } })));
    assert.equal(short.done?.stopReason, 'length');
    assert.equal(short.done?.completionTokens, 5);
    const stopped = await collect(backend.generate(request({ options: { seed: 7, stop: ['\n\n'] } })));
    assert.equal(stopped.text, firstStep);
    assert.equal(stopped.done?.stopReason, 'stop');
  });

  test('a missing model says how to pull it', async () => {
    const err = await rejection(collect(backend.generate(request({ model: 'nope:7b' }))));
    assert.equal(err.code, 'model-not-found');
    assert.match(err.message, /ollama pull nope:7b/);
    assert.equal((await rejection(backend.showModel('nope:7b'))).code, 'model-not-found');
  });

  for (const [status, code] of [[400, 'bad-request'], [500, 'server-error'], [503, 'overloaded']] as const) {
    test(`HTTP ${status} becomes ${code} with the server's message`, async () => {
      server.injectFault({ kind: 'status', status, message: `boom ${status}` });
      const err = await rejection(collect(backend.generate(request())));
      assert.equal(err.code, code);
      assert.equal(err.status, status);
      assert.match(err.message, new RegExp(`boom ${status}`));
      assert.equal(err.transient, status === 503);
    });
  }

  test('an {"error"} line in the middle of a stream is a stream error', async () => {
    server.injectFault({ kind: 'error-mid-stream', afterTokens: 4, message: 'llama runner process has terminated' });
    const err = await rejection(collect(backend.generate(request())));
    assert.equal(err.code, 'stream-error');
    assert.match(err.message, /llama runner process has terminated/);
  });

  test('a stream that ends without done is reported as truncated (and is retryable)', async () => {
    server.injectFault({ kind: 'truncate', afterTokens: 4 });
    const err = await rejection(collect(backend.generate(request())));
    assert.equal(err.code, 'stream-truncated');
    assert.equal(err.transient, true);
  });

  test('aborting closes the HTTP stream: the server sees the connection go', async () => {
    server.injectFault({ kind: 'hang' });
    const controller = new AbortController();
    const pending = collect(backend.generate(request(), controller.signal));
    setTimeout(() => controller.abort(), 50);
    const err = await rejection(pending);
    assert.ok(err instanceof CancelledError);
    await server.waitForAbort(2000);
  });

  test('a consumer that stops reading early also closes the stream', async () => {
    const slow = await startTestServer({ tokenLatencyMs: 20 });
    try {
      for await (const chunk of new OllamaBackend(slow.url).generate(request())) {
        if (chunk.kind === 'delta') break;
      }
      await slow.waitForAbort(2000);
      assert.equal(slow.stats.streamsAborted, 1);
    } finally {
      await slow.close();
    }
  });

  test('pull streams progress and installs the model', async () => {
    const seen: string[] = [];
    let sawBytes = false;
    await backend.pull('qwen2.5:0.5b', (p) => {
      seen.push(p.status);
      if (p.total && p.completed !== undefined) sawBytes = true;
    });
    assert.equal(seen[0], 'pulling manifest');
    assert.equal(seen.at(-1), 'success');
    assert.ok(sawBytes);
    assert.ok((await backend.listModels()).some((m) => m.name === 'qwen2.5:0.5b'));
    const missing = await rejection(backend.pull('no-such-model', () => undefined));
    assert.match(missing.message, /does not exist|not found/);
  });
});

test('an old Ollama: logprobs are reported unavailable with the reason', async () => {
  const old = await startTestServer({ version: '0.11.4' });
  try {
    const info = await new OllamaBackend(old.url).serverInfo();
    assert.equal(info.logprobs.supported, false);
    assert.match(info.logprobs.reason ?? '', /0\.11\.4/);
  } finally {
    await old.close();
  }
});

test('connection refused names the host and says to start `ollama serve`', async () => {
  const host = `http://127.0.0.1:${await closedPort()}`;
  const err = await rejection(new OllamaBackend(host).listModels());
  assert.equal(err.code, 'unreachable');
  assert.ok(err.message.includes(host));
  assert.match(err.message, /ollama serve/);
  const gen = await rejection(collect(new OllamaBackend(host).generate(request())));
  assert.equal(gen.code, 'unreachable');
});
