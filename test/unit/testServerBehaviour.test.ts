/** How the test server behaves as a server: generation options, injected faults, parallel slots
 * and client aborts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/ollamaServer';
import { ndjson, postJson } from '../support/testHttp';

const MODEL = 'qwen2.5:1.5b';
const PROBLEM = 'How many positive whole-number divisors does 196 have?';

async function withServer(options: TestServerOptions, body: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer(options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

function chat(server: TestServer, extra: Record<string, unknown> = {}, init: RequestInit = {}): Promise<Response> {
  return postJson(`${server.url}/api/chat`, { model: MODEL, messages: [{ role: 'user', content: PROBLEM }], ...extra }, init);
}

async function chatText(server: TestServer, extra: Record<string, unknown> = {}): Promise<{ text: string; done: Record<string, unknown> }> {
  const lines = await ndjson(await chat(server, extra));
  const done = lines.pop() ?? {};
  return { text: lines.map((l) => (l.message as { content: string }).content).join(''), done };
}

/** Waits until the server reaches a state; bounded, so a regression fails instead of hanging. */
async function until(reached: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!reached()) {
    if (Date.now() > deadline) throw new Error(`the server never ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Reads `count` NDJSON chunks of a streaming response, then leaves the stream open. */
async function readChunks(response: Response, count: number): Promise<number> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let seen = 0;
  while (seen < count) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value).split('\n').filter((l) => l !== '').length;
  }
  return seen;
}

describe('generation options', () => {
  it('stops at num_predict tokens with done_reason "length"', () =>
    withServer({}, async (server) => {
      const { done } = await chatText(server, { options: { num_predict: 7 } });
      assert.equal(done.done_reason, 'length');
      assert.equal(done.eval_count, 7);
    }));

  it('stops before a stop sequence, leaving it out, with done_reason "stop"', () =>
    withServer({}, async (server) => {
      const { text, done } = await chatText(server, { options: { stop: ['\n\n'], seed: 1 } });
      assert.equal(done.done_reason, 'stop');
      assert.ok(text.length > 0 && !text.includes('\n\n'));
      const cut = await chatText(server, { options: { stop: ['factor'], seed: 1 } });
      assert.equal(cut.text, 'First prime ');
    }));

  it('gives successive seedless requests different seeds, reproducibly from the server seed', async () => {
    const sequence = async () => {
      const texts: string[] = [];
      await withServer({ seed: 11 }, async (server) => {
        for (let i = 0; i < 6; i++) texts.push((await chatText(server, { options: { temperature: 1 } })).text);
      });
      return texts;
    };
    const first = await sequence();
    assert.ok(new Set(first).size > 1);
    assert.deepEqual(await sequence(), first);
  });
});

describe('injected faults', () => {
  it('answers with a status and an error body, only on matching paths, `times` times', () =>
    withServer({ faults: [{ kind: 'status', status: 503, times: 2, path: '/api/chat' }] }, async (server) => {
      assert.equal((await fetch(`${server.url}/api/tags`)).status, 200);
      for (let i = 0; i < 2; i++) {
        const refused = await chat(server);
        assert.equal(refused.status, 503);
        assert.deepEqual(await refused.json(), { error: 'server busy, please try again.  maximum pending requests exceeded' });
      }
      assert.equal((await chat(server)).status, 200);
      server.injectFault({ kind: 'status', status: 500, message: 'boom' });
      const openai = await postJson(`${server.url}/v1/completions`, { model: MODEL, prompt: PROBLEM });
      assert.equal(openai.status, 500);
      assert.deepEqual(await openai.json(), { error: { message: 'boom', type: 'api_error', param: null, code: null } });
    }));

  it('breaks a stream with an {"error": …} line after N tokens', () =>
    withServer({ faults: [{ kind: 'error-mid-stream', afterTokens: 3, message: 'runner crashed' }] }, async (server) => {
      const lines = await ndjson(await chat(server));
      assert.equal(lines.length, 4);
      assert.deepEqual(lines[3], { error: 'runner crashed' });
      assert.ok(lines.slice(0, 3).every((l) => l.done === false));
      server.injectFault({ kind: 'error-mid-stream', afterTokens: 3 });
      const client = new Ollama({ host: server.url });
      await assert.rejects(async () => {
        for await (const part of await client.chat({ model: MODEL, messages: [{ role: 'user', content: PROBLEM }], stream: true })) void part;
      }, /model runner has unexpectedly stopped/);
      server.injectFault({ kind: 'error-mid-stream', afterTokens: 3 });
      assert.equal((await chat(server, { stream: false })).status, 500);
    }));

  it('ends a stream after N tokens without a done object', () =>
    withServer({ faults: [{ kind: 'truncate', afterTokens: 5, times: 2 }] }, async (server) => {
      const lines = await ndjson(await chat(server));
      assert.equal(lines.length, 5);
      assert.ok(lines.every((l) => l.done === false));
      const client = new Ollama({ host: server.url });
      await assert.rejects(async () => {
        for await (const part of await client.generate({ model: MODEL, prompt: PROBLEM, stream: true })) void part;
      }, /Did not receive done or success response in stream/);
    }));

  it('hangs until the client gives up, and counts the abort', () =>
    withServer({ faults: [{ kind: 'hang' }] }, async (server) => {
      await assert.rejects(chat(server, {}, { signal: AbortSignal.timeout(100) }), { name: 'TimeoutError' });
      await server.waitForAbort();
      assert.equal(server.stats.streamsAborted, 1);
      assert.equal((await chat(server)).status, 200, 'the next request is served');
    }));
});

describe('parallel slots', () => {
  it('runs at most `parallel` generations at once and queues the rest', () =>
    withServer({ parallel: 2, tokenLatencyMs: 1 }, async (server) => {
      const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => chatText(server, { options: { seed: i } })));
      assert.ok(replies.every((r) => r.done.done === true));
      assert.equal(server.stats.maxConcurrent, 2);
      assert.equal(server.stats.queued, 3);
      assert.equal(server.stats.streamsCompleted, 5);
    }));

  it('serves queued generations in arrival order', () =>
    withServer({ parallel: 1, tokenLatencyMs: 1 }, async (server) => {
      const finished: string[] = [];
      const pending: Promise<void>[] = [];
      for (const label of ['a', 'b', 'c', 'd']) {
        const arrived = server.requests.length;
        pending.push(chatText(server, { options: { num_predict: 5 } }).then(() => void finished.push(label)));
        await until(() => server.requests.length > arrived, 'received the request');
      }
      await Promise.all(pending);
      assert.deepEqual(finished, ['a', 'b', 'c', 'd']);
    }));
});

describe('client aborts', () => {
  it('stop the generation at once: the abort is counted and the slot is free for the next request', () =>
    withServer({ parallel: 1, tokenLatencyMs: 5 }, async (server) => {
      const controller = new AbortController();
      const response = await chat(server, {}, { signal: controller.signal });
      assert.ok((await readChunks(response, 3)) >= 3);
      controller.abort();
      await server.waitForAbort();
      assert.deepEqual([server.stats.streamsStarted, server.stats.streamsCompleted, server.stats.streamsAborted], [1, 0, 1]);
      const { done } = await chatText(server, { options: { num_predict: 3 } });
      assert.equal(done.done, true);
      assert.equal(server.stats.queued, 0, 'the aborted generation no longer held the only slot');
    }));

  it('of a queued request take it out of the queue', () =>
    withServer({ parallel: 1, tokenLatencyMs: 2 }, async (server) => {
      const running = chatText(server);
      const controller = new AbortController();
      const queued = chat(server, {}, { signal: controller.signal });
      await until(() => server.stats.queued > 0, 'queued the second request');
      controller.abort();
      await assert.rejects(queued, { name: 'AbortError' });
      await server.waitForAbort();
      assert.equal((await running).done.done, true);
      assert.deepEqual([server.stats.streamsStarted, server.stats.streamsCompleted], [1, 1]);
    }));

  it('time out waitForAbort when nothing was aborted', () =>
    withServer({}, async (server) => {
      await assert.rejects(server.waitForAbort(20), /no client abort within 20 ms/);
    }));
});
