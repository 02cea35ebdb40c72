/** The HTTP process reward model over vLLM's pooling API, end to end against the test server's
 * /pooling, and every way the PRM server can be wrong, each with a message that says what to do. */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { BackendError } from '../../src/core/model/errors';
import { createScorer, prepareScorer, scorerFromHeader } from '../../src/core/reward';
import { poolingRequest, prmFormat } from '../../src/core/reward/httpPrm';
import type { ChainToScore } from '../../src/core/reward/types';
import { Scheduler } from '../../src/core/search/scheduler';
import { checkShape, vllmShapes } from '../support/apiShapes';
import { closedPort } from '../support/helpers';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { samplePlans } from '../support/problems';
import { solve } from '../support/solver';

const PRM = 'Qwen/Qwen2.5-Math-PRM-7B';
const SETTINGS = { errorRate: 0.6, selfCorrectionRate: 0.35 };
const WRONG_OPENING = /^(Simplifying, the expression becomes|Combining these results gives|This works out to|Therefore the value we need is) \$/;

function chain(problem: string, steps: string[]): ChainToScore {
  return { problem, steps: steps.map((text, i) => ({ id: `s0.${i}`, text })) };
}

const plan = samplePlans()[0];
const steps = solve({ userText: plan.problem, prefix: '', seed: 1, temperature: 1 }, SETTINGS).tokens.map((t) => t.token).join('').split('\n\n');
const poolingCalls = (server: TestServer) => server.requests.filter((r) => r.path === '/pooling');

/** Rejects with a BackendError whose code is `code` and whose message matches `message`. */
function failsWith(code: string, message: RegExp) {
  return (err: BackendError) => {
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  };
}

describe('the HTTP PRM against the test server\'s /pooling', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 3, ...SETTINGS });
  });
  after(() => server.close());

  test('scores every step of a chain in one request, in Qwen2.5-Math-PRM\'s chat layout', async () => {
    const scorer = await prepareScorer('http', { url: `${server.url}/`, model: PRM });
    assert.equal(scorer.name, 'prm:Qwen/Qwen2.5-Math-PRM-7B');
    assert.deepEqual(scorer.params, { url: server.url, model: PRM });
    const io = new Scheduler(1);
    const scores = await scorer.scoreSteps(chain(plan.problem, steps), 0, io);
    assert.equal(scores.length, steps.length);
    assert.ok(scores.every((s) => s > 0 && s < 1), `probabilities: ${scores}`);
    const [call] = poolingCalls(server);
    assert.equal(poolingCalls(server).length, 1);
    assert.deepEqual(checkShape(call.body, vllmShapes.poolingChatRequest), []);
    const { messages } = call.body as { messages: { role: string; content: string }[] };
    assert.deepEqual(messages.map((m) => m.role), ['system', 'user', 'assistant']);
    assert.equal(messages[0].content, 'Please reason step by step, and put your final answer within \\boxed{}.');
    assert.equal(messages[1].content, plan.problem);
    assert.equal(messages[2].content, steps.map((s) => `${s}<extra_0>`).join(''));
    assert.equal(io.totals.requests, 1);
    assert.ok(io.totals.promptTokens > 50, 'the PRM\'s prompt tokens count in the run');
  });

  test('returns the steps asked for, from `from` on, and its scores separate wrong steps from right ones', async () => {
    const scorer = createScorer('http', { url: server.url, model: PRM });
    const whole = await scorer.scoreSteps(chain(plan.problem, steps), 0, new Scheduler(1));
    assert.deepEqual(await scorer.scoreSteps(chain(plan.problem, steps), 2, new Scheduler(1)), whole.slice(2));
    const wrong: number[] = [];
    const right: number[] = [];
    for (const p of samplePlans()) {
      for (let seed = 1; seed <= 6; seed++) {
        const all = solve({ userText: p.problem, prefix: '', seed, temperature: 1 }, SETTINGS).tokens.map((t) => t.token).join('').split('\n\n');
        const wrongAt = all.findIndex((s) => WRONG_OPENING.test(s));
        const upto = wrongAt < 0 ? all : all.slice(0, wrongAt + 1);
        (await scorer.scoreSteps(chain(p.problem, upto), 0, new Scheduler(1))).forEach((s, i) => (i === wrongAt ? wrong : right).push(s));
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(wrong.length >= 20);
    assert.ok(mean(right) - mean(wrong) > 0.3, `right ${mean(right).toFixed(3)}, wrong ${mean(wrong).toFixed(3)}`);
  });

  test('retries a busy server and counts both requests', async () => {
    server.injectFault({ kind: 'status', status: 503, path: '/pooling' });
    const io = new Scheduler(1);
    const scores = await createScorer('http', { url: server.url, model: PRM }).scoreSteps(chain(plan.problem, steps.slice(0, 2)), 0, io);
    assert.equal(scores.length, 2);
    assert.equal(io.totals.requests, 2);
  });

  test('a model the server does not serve is refused before the run, naming the ones it does', async () => {
    await assert.rejects(prepareScorer('http', { url: server.url, model: 'Qwen/Qwen2.5-Math-PRM-72B' }),
      failsWith('model-not-found', /does not serve "Qwen\/Qwen2\.5-Math-PRM-72B"; it serves .*"Qwen\/Qwen2\.5-Math-PRM-7B"\. Set the PRM model/));
    await assert.rejects(createScorer('http', { url: server.url, model: 'Qwen/Qwen2.5-Math-PRM-72B' }).scoreSteps(chain(plan.problem, steps), 0, new Scheduler(1)),
      failsWith('model-not-found', /does not serve "Qwen\/Qwen2\.5-Math-PRM-72B" \(The model `Qwen\/Qwen2\.5-Math-PRM-72B` does not exist\.\)\. Use the name it lists at http:.*\/v1\/models/));
  });

  test('scores that do not match the steps (a wrong separator) are an error, not a misaligned score', async () => {
    const warnings: string[] = [];
    const scorer = createScorer('http', { url: server.url, model: PRM, separator: '<step>', onWarning: (m) => warnings.push(m) });
    assert.deepEqual(warnings, [], 'a separator given is not a guess');
    assert.deepEqual(scorer.params, { url: server.url, model: PRM, separator: '<step>' });
    await assert.rejects(scorer.scoreSteps(chain(plan.problem, steps.slice(0, 3)), 0, new Scheduler(1)),
      failsWith('server-error', /returned 0 step scores for 3 steps\. The PRM must score at every "<step>" \(vLLM's STEP pooling\)/));
    assert.equal(scorerFromHeader({ name: scorer.name, params: scorer.params }).params?.separator, '<step>', 'a resumed run keeps the separator');
  });
});

describe('PRM server errors', () => {
  test('connection refused says how to start vLLM', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = failsWith('unreachable', /^Cannot reach the PRM server at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)\..*`vllm serve Qwen\/Qwen2\.5-Math-PRM-7B`/);
    await assert.rejects(prepareScorer('http', { url, model: PRM }), unreachable);
    await assert.rejects(createScorer('http', { url, model: PRM }).scoreSteps(chain(plan.problem, steps), 0, new Scheduler(1)), unreachable);
  });

  test('a server without /pooling (an Ollama, or vLLM serving a generative model) says how to serve a PRM', async () => {
    const server = await startTestServer({ rewardModels: [] });
    try {
      await assert.rejects(createScorer('http', { url: server.url, model: PRM }).scoreSteps(chain(plan.problem, steps), 0, new Scheduler(1)),
        failsWith('unsupported', /does not serve vLLM's pooling API for a process reward model \(POST \/pooling answered 404: 404 page not found\)\. Start vLLM with the process reward model/));
    } finally {
      await server.close();
    }
  });

  describe('a server that answers strangely', () => {
    let reply = '';
    let http: Server;
    let url = '';
    before(async () => {
      http = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': reply.startsWith('{') ? 'application/json' : 'text/html' });
        res.end(reply);
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const score = () => createScorer('http', { url, model: PRM }).scoreSteps(chain(plan.problem, steps.slice(0, 2)), 0, new Scheduler(1));

    test('not JSON', async () => {
      reply = '<html><body>Sign in to continue</body></html>';
      await assert.rejects(score(), failsWith('server-error', /answered \/pooling with something that is not JSON \("<html><body>Sign in.*Is the PRM URL a vLLM server\?/));
    });

    test('no per-step scores, or scores that are not probabilities', async () => {
      reply = JSON.stringify({ data: [{ index: 0, object: 'pooling', data: 'AAAA' }] });
      await assert.rejects(score(), failsWith('server-error', /without per-step scores/));
      reply = JSON.stringify({ data: [{ index: 0, object: 'pooling', data: [[0.2, 0.8], [-1.3, 2.1]] }] });
      await assert.rejects(score(), failsWith('server-error', /returned \[-1\.3,2\.1\] for a step, not a pair of probabilities/));
    });
  });
});

describe('PRM formats', () => {
  test('known PRMs have their own separator; others get Qwen\'s with a warning', () => {
    assert.equal(prmFormat('Qwen/Qwen2.5-Math-PRM-72B').format.separator, '<extra_0>');
    assert.equal(prmFormat('Qwen/Qwen2.5-Math-7B-PRM800K').assumed, false);
    assert.deepEqual(prmFormat('peiyi9979/math-shepherd-mistral-7b-prm').format, { separator: ' ки', input: 'text', positive: 0 });
    const warnings: string[] = [];
    createScorer('http', { url: 'http://127.0.0.1:8000', model: 'my-prm', onWarning: (m) => warnings.push(m) });
    assert.deepEqual(warnings, ['"my-prm" is not a process reward model Reasonscope knows; its steps are separated by "<extra_0>" as Qwen2.5-Math-PRM\'s are. If it expects another separator, set the scorer\'s separator.']);
  });

  test('Math-Shepherd gets one text input with "Step i:" lines each ending in its step tag; separators inside steps are taken out', () => {
    const { format } = prmFormat('peiyi9979/math-shepherd-mistral-7b-prm');
    const body = poolingRequest('math-shepherd', format, 'What is 2+2?', ['2+2 = 4 ки', 'So the answer is 4.']);
    assert.deepEqual(body, { model: 'math-shepherd', input: 'What is 2+2? Step 1: 2+2 = 4 ки\nStep 2: So the answer is 4. ки' });
    assert.deepEqual(checkShape(body, vllmShapes.poolingCompletionRequest), []);
  });

  test('createScorer says what an http scorer lacks', () => {
    assert.throws(() => createScorer('http', { model: PRM }), /needs the URL of a vLLM server running a process reward model/);
    assert.throws(() => createScorer('http', { url: 'localhost:8000', model: PRM }), /must start with http:\/\/ or https:\/\/, got "localhost:8000"/);
    assert.throws(() => createScorer('http', { url: 'http://127.0.0.1:8000' }), /needs the PRM's model name as its server knows it/);
  });
});
