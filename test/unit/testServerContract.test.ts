/** The test server speaks Ollama's documented wire format (and the OpenAI completions format, and
 * vLLM's pooling API), checked field by field against the documented shapes and by the official
 * `ollama` client. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { checkShape, ollamaShapes, openaiShapes, vllmShapes, type Shape } from '../support/apiShapes';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { ndjson, postJson, sseData } from '../support/testHttp';

const MODEL = 'qwen2.5:1.5b';
const PROBLEM = 'If $f(x) = \\frac{3x-2}{x-2}$, what is the value of $f(-2) +f(-1)+f(0)$? Express your answer as a common fraction.';
const FINAL_STEP = /\n\nThe final answer is \$\\boxed\{[^$]+\}\$\.$/;

function assertShape(value: unknown, shape: Shape, what: string): void {
  assert.deepEqual(checkShape(value, shape), [], `${what} does not match the documented shape`);
}

function assertDistribution(top: { logprob: number }[], k: number): void {
  assert.equal(top.length, k);
  const probabilities = top.map((t) => Math.exp(t.logprob));
  assert.deepEqual([...probabilities].sort((a, b) => b - a), probabilities, 'top_logprobs are sorted, most likely first');
  assert.ok(probabilities.reduce((a, b) => a + b, 0) <= 1 + 1e-9, 'a position’s probabilities sum to at most 1');
}

describe('the shape checker', () => {
  it('reports missing fields, wrong types and undocumented fields', () => {
    const problems = checkShape({ version: 12, extra: true }, ollamaShapes.version);
    assert.deepEqual(problems, ['$.version: expected string, got integer', '$.extra: not a documented field']);
    assert.deepEqual(checkShape({}, ollamaShapes.version), ['$.version: missing']);
  });
});

describe('Ollama native API over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ pullable: ['qwen2.5:0.5b'] });
  });
  after(() => server.close());

  it('answers the root, /api/version and /api/tags as Ollama does', async () => {
    assert.equal(await (await fetch(`${server.url}/`)).text(), 'Ollama is running');
    const version = await (await fetch(`${server.url}/api/version`)).json();
    assertShape(version, ollamaShapes.version, '/api/version');
    assert.equal((version as { version: string }).version, '0.12.11');
    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: { name: string }[] };
    assertShape(tags, ollamaShapes.tags, '/api/tags');
    assert.deepEqual(tags.models.map((m) => m.name).sort(), ['llama3.2:1b', 'qwen2.5:1.5b']);
  });

  it('shows a model with its context length and capabilities, and 404s an unknown one', async () => {
    const shown = await postJson(`${server.url}/api/show`, { model: MODEL });
    const body = (await shown.json()) as { model_info: Record<string, unknown>; capabilities: string[] };
    assertShape(body, ollamaShapes.show, '/api/show');
    assert.equal(body.model_info['qwen2.context_length'], 32768);
    assert.deepEqual(body.capabilities, ['completion']);
    const missing = await postJson(`${server.url}/api/show`, { model: 'mistral:7b' });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: "model 'mistral:7b' not found" });
  });

  it('streams a chat reply as NDJSON with per-token logprobs and a done object', async () => {
    const response = await postJson(`${server.url}/api/chat`, {
      model: MODEL,
      messages: [{ role: 'user', content: PROBLEM }],
      logprobs: true,
      top_logprobs: 3,
      options: { seed: 7, temperature: 1 },
    });
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson');
    const lines = await ndjson(response);
    const done = lines.pop() as { done_reason: string; eval_count: number; message: { content: string } };
    lines.forEach((chunk, i) => assertShape(chunk, ollamaShapes.chatChunk, `chunk ${i}`));
    assertShape(done, ollamaShapes.chatDone, 'final chunk');
    assert.equal(done.done_reason, 'stop');
    assert.equal(done.message.content, '');
    assert.equal(done.eval_count, lines.length);
    const content = lines.map((l) => (l.message as { content: string }).content).join('');
    assert.match(content, FINAL_STEP);
    for (const chunk of lines) {
      const [entry] = chunk.logprobs as { token: string; top_logprobs: { logprob: number }[] }[];
      assert.equal(entry.token, (chunk.message as { content: string }).content);
      assertDistribution(entry.top_logprobs, 3);
    }
  });

  it('answers stream:false with one object holding the same text and every token’s logprob', async () => {
    const request = { model: MODEL, messages: [{ role: 'user', content: PROBLEM }], logprobs: true, options: { seed: 7 } };
    const chunks = (await ndjson(await postJson(`${server.url}/api/chat`, request))).slice(0, -1);
    const whole = (await (await postJson(`${server.url}/api/chat`, { ...request, stream: false })).json()) as { message: { content: string }; logprobs: unknown[] };
    assertShape(whole, ollamaShapes.chatDone, 'non-streamed chat');
    assert.equal(whole.message.content, chunks.map((l) => (l.message as { content: string }).content).join(''));
    assert.deepEqual(whole.logprobs, chunks.flatMap((l) => l.logprobs));
  });

  it('continues an assistant prefill in chat and a ChatML-rendered raw prompt in generate', async () => {
    const prefix = 'We have $f(-2)+f(-1)+f(0)=';
    const chat = (await (await postJson(`${server.url}/api/chat`, {
      model: MODEL,
      messages: [{ role: 'user', content: PROBLEM }, { role: 'assistant', content: prefix }],
      stream: false,
    })).json()) as { message: { content: string } };
    assert.ok(!chat.message.content.startsWith('We have'), 'the reply holds only the continuation');
    assert.match(prefix + chat.message.content, /^We have \$f\(-2\)\+f\(-1\)\+f\(0\)=\\frac\{3\(-2\)-2\}/);
    const raw = `<|im_start|>user\n${PROBLEM}<|im_end|>\n<|im_start|>assistant\n${prefix}`;
    const generated = await ndjson(await postJson(`${server.url}/api/generate`, { model: MODEL, prompt: raw, raw: true, options: { seed: 1 } }));
    const done = generated.pop();
    generated.forEach((chunk, i) => assertShape(chunk, ollamaShapes.generateChunk, `generate chunk ${i}`));
    assertShape(done, ollamaShapes.generateDone, 'generate final chunk');
    assert.equal(done?.context, undefined, 'raw mode returns no context');
    assert.match(prefix + generated.map((c) => c.response).join(''), FINAL_STEP);
  });

  it('returns a context from templated generate', async () => {
    const body = (await (await postJson(`${server.url}/api/generate`, { model: MODEL, prompt: PROBLEM, stream: false })).json()) as { context: number[]; response: string };
    assertShape(body, ollamaShapes.generateDone, 'non-streamed generate');
    assert.ok(body.context.length > 0);
    assert.match(body.response, FINAL_STEP);
  });

  it('rejects bad requests with Ollama’s status codes and {"error": …} bodies', async () => {
    const unknown = await postJson(`${server.url}/api/chat`, { model: 'phi4:14b', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { error: "model 'phi4:14b' not found" });
    const malformed = await postJson(`${server.url}/api/chat`, '{"model": ');
    assert.equal(malformed.status, 400);
    assertShape(await malformed.json(), ollamaShapes.error, 'malformed JSON error');
    const tooMany = await postJson(`${server.url}/api/generate`, { model: MODEL, prompt: 'x', logprobs: true, top_logprobs: 21 });
    assert.equal(tooMany.status, 400);
    assert.deepEqual(await tooMany.json(), { error: 'top_logprobs must be between 0 and 20' });
    assert.equal((await fetch(`${server.url}/api/nothing`)).status, 404);
    assert.equal((await fetch(`${server.url}/api/chat`)).status, 405);
  });

  it('streams pull progress, installs the model, and fails an unknown model like the registry', async () => {
    const progress = await ndjson(await postJson(`${server.url}/api/pull`, { model: 'qwen2.5:0.5b' }));
    progress.forEach((p, i) => assertShape(p, ollamaShapes.pullProgress, `pull progress ${i}`));
    const statuses = progress.map((p) => p.status as string);
    assert.equal(statuses[0], 'pulling manifest');
    assert.deepEqual(statuses.slice(-3), ['verifying sha256 digest', 'writing manifest', 'success']);
    const layer = progress.filter((p) => p.digest === progress[1].digest && p.completed !== undefined).map((p) => p.completed as number);
    assert.deepEqual([...layer].sort((a, b) => a - b), layer, 'completed only grows');
    assert.equal(layer.at(-1), progress[1].total);
    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: { name: string }[] };
    assert.ok(tags.models.some((m) => m.name === 'qwen2.5:0.5b'));

    assert.deepEqual(await ndjson(await postJson(`${server.url}/api/pull`, { model: 'no-such-model:7b' })), [
      { status: 'pulling manifest' },
      { error: 'pull model manifest: file does not exist' },
    ]);
    const blocking = await postJson(`${server.url}/api/pull`, { model: 'no-such-model:7b', stream: false });
    assert.equal(blocking.status, 500);
  });
});

describe('an Ollama older than 0.12.11', () => {
  it('ignores logprobs requests, as a real old Ollama does', async () => {
    const server = await startTestServer({ version: '0.12.6' });
    try {
      const body = await (await postJson(`${server.url}/api/chat`, {
        model: MODEL, messages: [{ role: 'user', content: PROBLEM }], logprobs: true, top_logprobs: 25, stream: false,
      })).json();
      assertShape(body, ollamaShapes.chatDone, 'old-version chat');
      assert.equal((body as { logprobs?: unknown }).logprobs, undefined);
    } finally {
      await server.close();
    }
  });
});

describe('the official ollama client against the test server', () => {
  let server: TestServer;
  let client: Ollama;
  before(async () => {
    server = await startTestServer();
    client = new Ollama({ host: server.url });
  });
  after(() => server.close());

  it('lists, shows and reports the version', async () => {
    assert.equal((await client.version()).version, '0.12.11');
    assert.deepEqual((await client.list()).models.map((m) => m.details.family).sort(), ['llama', 'qwen2']);
    assert.equal((await client.show({ model: 'llama3.2:1b' })).details.family, 'llama');
  });

  it('streams chat with logprobs to the end', async () => {
    const stream = await client.chat({ model: MODEL, messages: [{ role: 'user', content: PROBLEM }], stream: true, logprobs: true, top_logprobs: 5, options: { seed: 2 } });
    let text = '';
    let tokens = 0;
    let doneReason = '';
    for await (const part of stream) {
      text += part.message.content;
      tokens += part.logprobs?.length ?? 0;
      if (part.done) doneReason = part.done_reason;
    }
    assert.match(text, FINAL_STEP);
    assert.ok(tokens > 10);
    assert.equal(doneReason, 'stop');
  });

  it('generates without streaming', async () => {
    const reply = await client.generate({ model: MODEL, prompt: PROBLEM, options: { seed: 4, num_predict: 6 } });
    assert.equal(reply.done_reason, 'length');
    assert.equal(reply.eval_count, 6);
  });

  it('follows pull progress, and surfaces registry and model errors', async () => {
    const statuses: string[] = [];
    for await (const p of await client.pull({ model: 'qwen2.5:0.5b', stream: true })) statuses.push(p.status);
    assert.equal(statuses.at(-1), 'success');
    await assert.rejects(async () => {
      for await (const p of await client.pull({ model: 'nope:1b', stream: true })) statuses.push(p.status);
    }, /pull model manifest: file does not exist/);
    await assert.rejects(client.chat({ model: 'nope:1b', messages: [{ role: 'user', content: 'hi' }] }), (err: Error & { status_code?: number }) => {
      assert.equal(err.status_code, 404);
      assert.equal(err.message, "model 'nope:1b' not found");
      return true;
    });
  });
});

describe('OpenAI-compatible API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const transcript = `Problem: ${PROBLEM}\n\nSolution:\n`;

  it('lists models at /v1/models', async () => {
    const body = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
    assertShape(body, openaiShapes.models, '/v1/models');
    assert.ok(body.data.some((m) => m.id === MODEL));
  });

  it('completes with legacy logprobs: tokens, token_logprobs, top_logprobs {token: logprob}, text_offset', async () => {
    const body = (await (await postJson(`${server.url}/v1/completions`, { model: MODEL, prompt: transcript, logprobs: 2, seed: 3 })).json()) as {
      choices: { text: string; finish_reason: string; logprobs: { tokens: string[]; token_logprobs: number[]; top_logprobs: Record<string, number>[]; text_offset: number[] } }[];
      usage: { completion_tokens: number };
    };
    assertShape(body, openaiShapes.completion, '/v1/completions');
    const [choice] = body.choices;
    assert.equal(choice.logprobs.tokens.join(''), choice.text);
    assert.match(choice.text, FINAL_STEP);
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(body.usage.completion_tokens, choice.logprobs.tokens.length);
    choice.logprobs.tokens.forEach((token, i) => {
      assert.equal(choice.logprobs.text_offset[i], choice.logprobs.tokens.slice(0, i).join('').length);
      assert.equal(choice.logprobs.top_logprobs[i][token], choice.logprobs.token_logprobs[i], 'the sampled token is among top_logprobs');
    });
  });

  it('streams server-sent events ending in [DONE], with usage when asked', async () => {
    const response = await postJson(`${server.url}/v1/completions`, {
      model: MODEL, prompt: transcript, stream: true, max_tokens: 8, logprobs: 1, stream_options: { include_usage: true },
    });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const events = await sseData(response);
    assert.equal(events.pop(), '[DONE]');
    const chunks = events.map((e) => JSON.parse(e) as { choices: { finish_reason: string | null }[]; usage?: { completion_tokens: number } });
    chunks.forEach((c, i) => assertShape(c, openaiShapes.completionChunk, `SSE chunk ${i}`));
    assert.equal(chunks.at(-1)?.usage?.completion_tokens, 8);
    assert.equal(chunks.at(-2)?.choices[0].finish_reason, 'length');
  });

  it('continues the text after "Solution:" and after a ChatML assistant marker', async () => {
    const prefix = 'We have $f(-2)+f(-1)+f(0)=';
    for (const prompt of [`${transcript}${prefix}`, `<|im_start|>user\n${PROBLEM}<|im_end|>\n<|im_start|>assistant\n${prefix}`]) {
      const body = (await (await postJson(`${server.url}/v1/completions`, { model: MODEL, prompt, seed: 5 })).json()) as { choices: { text: string }[] };
      assert.match(body.choices[0].text, /^\\frac\{3\(-2\)-2\}/);
    }
  });

  it('reports errors in OpenAI’s error shape', async () => {
    const unknown = await postJson(`${server.url}/v1/completions`, { model: 'gpt-4', prompt: 'x' });
    assert.equal(unknown.status, 404);
    const body = await unknown.json();
    assertShape(body, openaiShapes.error, 'OpenAI error');
    assert.equal((body as { error: { type: string } }).error.type, 'not_found_error');
    const malformed = await postJson(`${server.url}/v1/completions`, '{');
    assert.equal(malformed.status, 400);
    assertShape(await malformed.json(), openaiShapes.error, 'OpenAI malformed-JSON error');
  });
});

describe('vLLM pooling API for a process reward model', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const PRM = 'Qwen/Qwen2.5-Math-PRM-7B';
  const steps = ['We have $f(-2)=2$.', 'Then $f(-1)=\\frac53$ and $f(0)=1$.', 'The final answer is $\\boxed{\\frac{14}{3}}$.'];

  it('lists the PRM at /v1/models beside the generative models', async () => {
    const body = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
    assertShape(body, openaiShapes.models, '/v1/models');
    assert.ok(body.data.some((m) => m.id === PRM));
  });

  it('answers chat messages with one [p(wrong), p(right)] pair per <extra_0>, in PoolingResponse\'s shape', async () => {
    const request = {
      model: PRM,
      messages: [
        { role: 'system', content: 'Please reason step by step, and put your final answer within \\boxed{}.' },
        { role: 'user', content: PROBLEM },
        { role: 'assistant', content: steps.map((s) => `${s}<extra_0>`).join('') },
      ],
    };
    assertShape(request, vllmShapes.poolingChatRequest, 'the pooling request');
    const response = await postJson(`${server.url}/pooling`, request);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { model: string; data: { data: number[][] }[] };
    assertShape(body, vllmShapes.poolingResponse, '/pooling');
    assert.equal(body.model, PRM);
    assert.equal(body.data[0].data.length, steps.length);
    for (const [wrong, right] of body.data[0].data) assert.ok(Math.abs(wrong + right - 1) < 1e-12 && right > 0 && right < 1);
  });

  it('scores a rendered ChatML input the same as the messages, and a list of inputs one by one', async () => {
    const rendered = `<|im_start|>user\n${PROBLEM}<|im_end|>\n<|im_start|>assistant\n${steps.map((s) => `${s}<extra_0>`).join('')}<|im_end|>\n`;
    const body = (await (await postJson(`${server.url}/pooling`, { model: PRM, input: [rendered, rendered] })).json()) as { data: { index: number; data: number[][] }[] };
    assertShape(body, vllmShapes.poolingResponse, '/pooling with input');
    assert.deepEqual(body.data.map((d) => d.index), [0, 1]);
    assert.equal(body.data[0].data.length, steps.length);
    assert.deepEqual(body.data[0].data, body.data[1].data);
  });

  it('reports errors in vLLM\'s ErrorResponse shape, and is absent where no PRM is served', async () => {
    const unknown = await postJson(`${server.url}/pooling`, { model: 'Qwen/Qwen2.5-Math-PRM-72B', input: 'x<extra_0>' });
    assert.equal(unknown.status, 404);
    const body = await unknown.json();
    assertShape(body, vllmShapes.error, 'unknown model');
    assert.equal((body as { error: { message: string } }).error.message, 'The model `Qwen/Qwen2.5-Math-PRM-72B` does not exist.');
    const empty = await postJson(`${server.url}/pooling`, { model: PRM });
    assert.equal(empty.status, 400);
    assertShape(await empty.json(), vllmShapes.error, 'missing input');
    const none = await startTestServer({ rewardModels: [] });
    try {
      assert.equal((await postJson(`${none.url}/pooling`, { model: PRM, input: 'x' })).status, 404);
    } finally {
      await none.close();
    }
  });
});

describe('the standalone launcher', () => {
  it('prints one {"url": …} line, serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../support/serve.ts'), '--port', '0', '--latency', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const { url } = JSON.parse(first) as { url: string };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(((await (await fetch(`${url}/api/version`)).json()) as { version: string }).version, '0.12.11');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
