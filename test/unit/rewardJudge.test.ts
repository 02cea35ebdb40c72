/** The generative judge: p(+) read from the verdict token's alternatives, its cache, the sampled
 * verdicts of an old Ollama, the model check, and — on the test server, whose judge knows the
 * solver's planted wrong steps — that its scores separate wrong steps from right ones, in a run too. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BackendError } from '../../src/core/model/errors';
import { OllamaBackend } from '../../src/core/model/ollama';
import type { GenerateChunk, GenerateRequest, ModelBackend, TokenLogprob } from '../../src/core/model/types';
import { createScorer, prepareScorer, scorerFromHeader } from '../../src/core/reward';
import { verdictScore } from '../../src/core/reward/judge';
import type { ChainToScore } from '../../src/core/reward/types';
import { buildSpec, executeRun } from '../../src/core/search/run';
import { Scheduler } from '../../src/core/search/scheduler';
import { prepareRun } from '../../src/core/search/startRun';
import { readRunFile } from '../../src/core/trace/runFile';
import { checkShape, ollamaShapes } from '../support/apiShapes';
import { problemText, tempDir } from '../support/helpers';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { samplePlans, type ProblemPlan } from '../support/problems';
import { solve } from '../support/solver';

const JUDGE = 'qwen2.5:1.5b';
const SETTINGS = { errorRate: 0.6, selfCorrectionRate: 0.35 };
/** The openings of the solver's wrong-step templates (test/support/solver.ts). */
const WRONG_OPENING = /^(Simplifying, the expression becomes|Combining these results gives|This works out to|Therefore the value we need is) \$/;

const alt = (token: string, p: number) => ({ token, logprob: Math.log(p) });

function chain(problem: string, steps: string[]): ChainToScore {
  return { problem, steps: steps.map((text, i) => ({ id: `s0.${i}`, text })) };
}

/** The steps of a chain the test server's solver writes. */
function solverSteps(plan: ProblemPlan, seed: number): string[] {
  return solve({ userText: plan.problem, prefix: '', seed, temperature: 1 }, SETTINGS).tokens.map((t) => t.token).join('').split('\n\n');
}

/** A solver chain cut after its first planted wrong step (if any): the steps before it are right. */
function solverChain(plan: ProblemPlan, seed: number): { steps: string[]; wrongAt: number } {
  const steps = solverSteps(plan, seed);
  const wrongAt = steps.findIndex((s) => WRONG_OPENING.test(s) && plan.wrongAnswers.some((w) => s.includes(`$${w.answer}$`)));
  return { steps: wrongAt < 0 ? steps : steps.slice(0, wrongAt + 1), wrongAt };
}

const judgeRequests = (server: TestServer) => server.requests.filter((r) => r.path === '/api/chat' && JSON.stringify(r.body).includes('Step to check'));

/** A backend whose every reply is one token with the given alternatives. */
function scriptedBackend(first: TokenLogprob): ModelBackend {
  return {
    kind: 'ollama',
    host: 'http://judge.invalid',
    serverInfo: async () => ({ version: '0.13.0', logprobs: { supported: true } }),
    listModels: async () => [{ name: JUDGE }],
    showModel: async () => ({ capabilities: ['completion'] }),
    async *generate(_request: GenerateRequest): AsyncIterable<GenerateChunk> {
      yield { kind: 'delta', text: first.token, tokens: [first] };
      yield { kind: 'done', stopReason: 'length', promptTokens: 40, completionTokens: 1 };
    },
  };
}

describe('reading p(+) from the first token', () => {
  test('sums the variants of each verdict and ignores other tokens', () => {
    const first = { ...alt('+', 0.5), top: [alt('+', 0.5), alt(' -', 0.2), alt(' +', 0.1), alt('\u2212', 0.1), alt('The', 0.05), alt('\uFF0B', 0.03)] };
    assert.ok(Math.abs((verdictScore(first) ?? Number.NaN) - 0.63 / 0.93) < 1e-12);
    const dashes = { ...alt('-', 0.4), top: [alt('-', 0.4), alt('\uFF0D', 0.1), alt('\u2013', 0.1), alt('+\n', 0.2)] };
    assert.ok(Math.abs((verdictScore(dashes) ?? Number.NaN) - 0.2 / 0.8) < 1e-12);
  });

  test('without alternatives the token itself decides; with neither verdict there is no score', () => {
    assert.equal(verdictScore(alt(' +', 0.7)), 1);
    assert.equal(verdictScore(alt('-', 0.7)), 0);
    assert.equal(verdictScore({ ...alt('Yes', 0.6), top: [alt('Yes', 0.6), alt('No', 0.3)] }), undefined);
  });

  test('a reply with neither verdict scores 0.5 and says so, naming the step and what was written', async () => {
    const warnings: string[] = [];
    const backend = scriptedBackend({ ...alt('Yes', 0.6), top: [alt('Yes', 0.6), alt('No', 0.3)] });
    const scorer = createScorer('judge', { backend, model: JUDGE, onWarning: (m) => warnings.push(m) });
    const scores = await scorer.scoreSteps(chain('What is 1+1?', ['1+1 = 2.', 'So the answer is $2$.']), 1, new Scheduler(2));
    assert.deepEqual(scores, [0.5]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^judge:qwen2\.5:1\.5b: neither "\+" nor "-" was among the 2 most likely first tokens for step s0\.1 \(it wrote "Yes"\); the step scores 0\.5\.$/);
  });

  test('a server that returns no logprobs is an error that says what to do, not a silent 0.5', async () => {
    const backend = scriptedBackend(alt('+', 0.9));
    const bare: ModelBackend = { ...backend, async *generate() {
      yield { kind: 'delta', text: '+' };
      yield { kind: 'done', stopReason: 'stop' };
    } };
    await assert.rejects(createScorer('judge', { backend: bare, model: JUDGE }).scoreSteps(chain('What is 1+1?', ['2']), 0, new Scheduler(1)),
      (err: BackendError) => err.code === 'unsupported' && /no token logprobs.*0\.12\.11.*sampled verdicts/.test(err.message));
  });
});

describe('the judge on the test server', () => {
  let server: TestServer;
  let backend: OllamaBackend;
  before(async () => {
    server = await startTestServer({ seed: 3, ...SETTINGS });
    backend = new OllamaBackend(server.url);
  });
  after(() => server.close());

  test('asks one question per step at temperature 0 for one token with 20 alternatives, counted in the run', async () => {
    const plan = samplePlans()[0];
    const { steps } = solverChain(plan, 1);
    const scorer = await prepareScorer('judge', { backend, model: JUDGE });
    assert.equal(scorer.name, 'judge:qwen2.5:1.5b');
    assert.deepEqual(scorer.params, { model: JUDGE, verdicts: 'logprobs' });
    const before = judgeRequests(server).length;
    const io = new Scheduler(4);
    const scores = await scorer.scoreSteps(chain(plan.problem, steps), 0, io);
    assert.equal(scores.length, steps.length);
    assert.ok(scores.every((s) => s > 0 && s < 1), `graded scores in (0, 1): ${scores}`);
    const asked = judgeRequests(server).slice(before);
    assert.equal(asked.length, steps.length);
    for (const { body } of asked) {
      assert.deepEqual(checkShape(body, ollamaShapes.chatRequest), []);
      const request = body as { logprobs: boolean; top_logprobs: number; think?: boolean; options: { temperature: number; num_predict: number } };
      assert.equal(request.logprobs, true);
      assert.equal(request.think, false, 'a thinking model must give its verdict as the first token');
      assert.equal(request.top_logprobs, 20);
      assert.equal(request.options.temperature, 0);
      assert.equal(request.options.num_predict, 1);
    }
    assert.equal(io.totals.requests, steps.length);
    assert.equal(io.totals.completionTokens, steps.length);
    assert.ok(io.totals.promptTokens > steps.length * 50, 'the prompts are counted');
  });

  test('remembers a prefix it judged: the same chain again sends nothing, one more step sends one question', async () => {
    const plan = samplePlans()[1];
    const { steps } = solverChain(plan, 2);
    const scorer = createScorer('judge', { backend, model: JUDGE });
    const first = await scorer.scoreSteps(chain(plan.problem, steps.slice(0, -1)), 0, new Scheduler(2));
    const sent = judgeRequests(server).length;
    const io = new Scheduler(2);
    const again = await scorer.scoreSteps(chain(plan.problem, steps), 0, io);
    assert.deepEqual(again.slice(0, -1), first);
    assert.equal(judgeRequests(server).length, sent + 1, 'only the new step is asked about');
    assert.equal(io.totals.requests, 1);
    await scorer.scoreSteps(chain(plan.problem, steps), 0, new Scheduler(2));
    assert.equal(judgeRequests(server).length, sent + 1, 'nothing is asked twice');
  });

  test('takes the run\'s slots: one at a time with one slot, steps in parallel with more', async () => {
    const slow = await startTestServer({ tokenLatencyMs: 20, parallel: 8 });
    try {
      const plan = samplePlans()[2];
      const steps = solverSteps(plan, 3);
      assert.ok(steps.length >= 3);
      const judge = () => createScorer('judge', { backend: new OllamaBackend(slow.url), model: JUDGE });
      await judge().scoreSteps(chain(plan.problem, steps), 0, new Scheduler(1));
      assert.equal(slow.stats.maxConcurrent, 1);
      await judge().scoreSteps(chain(plan.problem, steps), 0, new Scheduler(8));
      assert.ok(slow.stats.maxConcurrent > 1, 'the steps of a chain are judged at once when slots allow');
    } finally {
      await slow.close();
    }
  });

  test('is informative: the solver\'s planted wrong steps score clearly below its right ones', async () => {
    const scorer = createScorer('judge', { backend, model: JUDGE });
    const wrong: number[] = [];
    const right: number[] = [];
    for (const plan of samplePlans()) {
      for (let seed = 1; seed <= 8; seed++) {
        const { steps, wrongAt } = solverChain(plan, seed);
        const scores = await scorer.scoreSteps(chain(plan.problem, steps), 0, new Scheduler(4));
        scores.forEach((s, i) => (i === wrongAt ? wrong : right).push(s));
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(wrong.length >= 30 && right.length >= 100, `${wrong.length} wrong and ${right.length} right steps`);
    assert.ok(mean(right) - mean(wrong) > 0.3, `mean score of right steps ${mean(right).toFixed(3)}, of wrong steps ${mean(wrong).toFixed(3)}`);
    const agree = wrong.filter((s) => s < 0.5).length + right.filter((s) => s >= 0.5).length;
    const accuracy = agree / (wrong.length + right.length);
    assert.ok(accuracy > 0.65 && accuracy < 0.97, `informative but not perfect: ${accuracy.toFixed(3)}`);
  });

  test('a judge model that is not installed is refused before the run, with the pull that fixes it', async () => {
    const missing = (err: BackendError) => err.code === 'model-not-found' && err.message.includes('"qwen2.5:7b"') && err.message.includes('ollama pull qwen2.5:7b');
    await assert.rejects(prepareScorer('judge', { backend, model: 'qwen2.5:7b' }), missing);
    const unchecked = createScorer('judge', { backend, model: 'qwen2.5:7b' });
    await assert.rejects(unchecked.scoreSteps(chain(problemText(), ['We start.']), 0, new Scheduler(1)), missing);
  });

  test('a best-of-N run scored by the judge records its scores by name and counts its requests in the totals', async () => {
    const outFile = path.join(tempDir(), 'judged.run.jsonl');
    const scorer = await prepareScorer('judge', { backend, model: JUDGE });
    const spec = buildSpec({ strategy: 'best-of-n', params: { n: 4, aggregation: 'min' }, model: JUDGE, sampling: { temperature: 1, seed: 5 }, concurrency: 2, scorer });
    const chatsBefore = server.requests.filter((r) => r.path === '/api/chat').length;
    const judgedBefore = judgeRequests(server).length;
    const prepared = await prepareRun({ backend, problem: { text: problemText(), answer: '\\frac{14}{3}' }, spec, outFile });
    const ended = await executeRun(backend, prepared.recorder, prepared.spec).finally(() => prepared.recorder.close());
    assert.equal(ended.status, 'completed');
    const run = await readRunFile(outFile);
    assert.deepEqual(run.header.scorer, { name: 'judge:qwen2.5:1.5b', params: { model: JUDGE, verdicts: 'logprobs' } });
    const scored = run.events.filter((e) => e.type === 'step_scored');
    const steps = run.events.filter((e) => e.type === 'node_added' && e.kind === 'step');
    assert.ok(scored.length > 0 && scored.every((e) => e.scorer === 'judge:qwen2.5:1.5b'));
    assert.equal(scored.length, steps.length, 'every step of every answered chain is judged once');
    const chats = server.requests.filter((r) => r.path === '/api/chat').length - chatsBefore;
    const judged = judgeRequests(server).length - judgedBefore;
    assert.ok(judged > 0);
    assert.equal(ended.totals.requests, chats, 'the judge\'s requests are in the run\'s totals');
    assert.equal(chats - judged, 4, 'besides the four chains');
    assert.ok(ended.result?.selected);
    assert.equal(scorerFromHeader(run.header.scorer!, { backend }).name, run.header.scorer?.name, 'a resumed run gets the same judge');
  });
});

describe('an Ollama without logprobs', () => {
  test('gets sampled verdicts, named and recorded as such', async () => {
    const server = await startTestServer({ version: '0.12.6', seed: 3, ...SETTINGS });
    try {
      const backend = new OllamaBackend(server.url);
      const warnings: string[] = [];
      const scorer = await prepareScorer('judge', { backend, model: JUDGE, onWarning: (m) => warnings.push(m) });
      assert.equal(scorer.name, 'judge:qwen2.5:1.5b (sampled verdicts)');
      assert.deepEqual(scorer.params, { model: JUDGE, verdicts: 'sampled', samples: 8 });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /sampled verdicts \(8 replies a step.*Ollama 0\.12\.6 cannot return token logprobs/);
      const plan = samplePlans().find((p) => solverChain(p, 1).wrongAt > 0) as ProblemPlan;
      const { steps, wrongAt } = solverChain(plan, 1);
      const io = new Scheduler(4);
      const scores = await scorer.scoreSteps(chain(plan.problem, steps), 0, io);
      // A sampled reply may be a word rather than a verdict: the score is the share of "+" among verdicts.
      assert.ok(scores.every((s) => [1, 2, 3, 4, 5, 6, 7, 8].some((n) => Math.abs(s * n - Math.round(s * n)) < 1e-9)), `shares of at most 8 verdicts: ${scores}`);
      assert.equal(io.totals.requests, 8 * steps.length);
      const asked = judgeRequests(server).map((r) => r.body as { logprobs?: boolean; options: { temperature: number; num_predict: number; seed: number } });
      assert.ok(asked.every((b) => b.options.temperature === 1 && b.options.num_predict === 1 && b.logprobs === undefined));
      assert.deepEqual([...new Set(asked.map((b) => b.options.seed))].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
      assert.ok(scores[wrongAt] < Math.max(...scores.slice(0, wrongAt)), `the wrong step ${wrongAt} scores lowest among ${scores}`);
      const rebuilt = scorerFromHeader({ name: scorer.name, params: scorer.params }, { backend });
      assert.equal(rebuilt.name, scorer.name);
      assert.deepEqual(rebuilt.params, scorer.params);
    } finally {
      await server.close();
    }
  });
});

describe('createScorer', () => {
  test('refuses a judge without a model, and says what it needs', () => {
    assert.throws(() => createScorer('judge', {}), /judge scorer needs a judge model: the name of a model installed on the server/);
    assert.throws(() => createScorer('judge', { model: JUDGE }), /needs the model server/);
    assert.throws(() => createScorer('judge', { backend: scriptedBackend(alt('+', 1)), model: JUDGE, samples: 0 }), /at least 1, got 0/);
  });

  test('keeps confidence and gold as they were, and names every kind when one is unknown', () => {
    assert.equal(createScorer('confidence').name, 'confidence');
    assert.deepEqual(createScorer('gold', { gold: '3' }).params, { evaluationOnly: true });
    assert.throws(() => createScorer('oracle'), /unknown scorer "oracle"; one of: confidence, judge, http, gold/);
    assert.throws(() => scorerFromHeader({ name: 'oracle' }), /scored by "oracle", a scorer this version of Reasonscope cannot rebuild/);
  });
});
