/** Critical-token search against the test server, whose solver plants a decisive token: a wrong step
 * begins with an unlikely token while the right continuation is among its alternatives. The search
 * must find it within its default budget, honour a smaller budget, stop cleanly when cancelled, and
 * say "agreement with the majority" rather than correctness when the problem has no gold answer. */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { findCriticalTokens, prefixWith, tokenStarts, triage, DEFAULT_CRITICAL_OPTIONS, type CriticalSearchInput } from '../../src/core/analysis/critical';
import { DEFAULT_ROLLOUT_TEMPERATURE, outcomeName, rolloutSettingsFor } from '../../src/core/analysis/rollouts';
import { CancelledError } from '../../src/core/model/errors';
import { OllamaBackend } from '../../src/core/model/ollama';
import type { TokenLogprob } from '../../src/core/model/types';
import type { RunEvent, TokenProbedEvent } from '../../src/core/trace/schema';
import type { TreeNode } from '../../src/core/trace/tree';
import { assertQuietAfterCancel, cancellingSink } from '../support/afterCancel';
import { sampleProblems } from '../support/helpers';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { plantedCases, plantedChains, PLANTING_SOLVER, type PlantedChain } from '../support/plantedChains';
import { chatRequests } from '../support/searchRun';

function search(server: TestServer, { recorder, chain }: PlantedChain, extra: Partial<CriticalSearchInput> = {}) {
  return findCriticalTokens({ backend: new OllamaBackend(server.url), problem: recorder.header.problem, chain, settings: rolloutSettingsFor(recorder.header), sink: recorder, ...extra });
}

const isPlanted = (probe: TokenProbedEvent, w: PlantedChain) => probe.id === w.planted.id && probe.index === 0;

describe('critical-token search on the test server', () => {
  let server: TestServer;
  let cases: PlantedChain[];
  before(async () => {
    server = await startTestServer({ seed: 3, ...PLANTING_SOLVER });
    cases = await plantedCases(server);
  });
  after(() => server.close());

  test('with the default budget the planted decisive token ranks in the top 3, on every problem and seed', async () => {
    assert.ok(cases.length >= 6, `only ${cases.length} wrong chains to test on`);
    for (const w of cases) {
      const eventsBefore = w.recorder.events.length;
      const requestsBefore = chatRequests(server);
      const result = await search(server, w);
      const rank = result.ranking.findIndex((p) => isPlanted(p, w)) + 1;
      const where = `${w.recorder.header.problem.text.slice(0, 40)}…: ranking ${result.ranking.map((p) => `${p.id}#${p.index} ${p.criticality.toFixed(2)}`).join(', ')}`;
      assert.ok(rank >= 1 && rank <= 3, `planted token ${w.planted.id}#0 ranked ${rank || 'nowhere'}; ${where}`);
      const planted = result.ranking[rank - 1];
      assert.ok(planted.criticality < 0 && planted.interval[1] < 0, `the written token is the harmful one, surely: ${where}`);
      assert.ok(planted.alternatives.some((a) => a.correct > planted.original.correct));
      assert.ok(chatRequests(server) - requestsBefore <= (DEFAULT_CRITICAL_OPTIONS.budget.maxRequests ?? 0), 'within the default budget');
      assert.equal(result.reference.kind, 'gold');
      // Every probe went into the run and onto its node.
      const logged = w.recorder.events.slice(eventsBefore).filter((e): e is TokenProbedEvent => e.type === 'token_probed');
      assert.equal(logged.length, result.ranking.length);
      assert.ok(w.recorder.tree.nodes.get(w.planted.id)?.analysis?.tokens.some((p) => p.index === 0));
    }
  });

  test('a rerun draws the same rollouts and writes the same probes', async () => {
    const [w] = cases;
    const strip = (events: readonly RunEvent[]) => events.map((e) => ({ ...e, t: 0 }));
    const first = await search(server, w, { options: { budget: { maxRequests: 60 } } });
    const second = await search(server, w, { options: { budget: { maxRequests: 60 } } });
    assert.deepEqual(strip(second.ranking), strip(first.ranking));
  });

  test('a rollout budget is never overrun: the position it cuts short is written as stopped by the budget', async () => {
    const w = cases[1];
    const requestsBefore = chatRequests(server);
    const result = await search(server, w, { options: { budget: { maxRequests: 30 } } });
    assert.ok(chatRequests(server) - requestsBefore <= 30, `${chatRequests(server) - requestsBefore} requests`);
    assert.ok(result.rollouts <= 30);
    assert.match(result.stoppedBy ?? '', /request budget of 30/);
    const inOrder = w.recorder.events.filter((e): e is TokenProbedEvent => e.type === 'token_probed').slice(-result.ranking.length);
    assert.equal(inOrder.at(-1)?.stopped, 'budget', 'the last position probed was cut short');
    assert.ok(inOrder.slice(0, -1).every((p) => p.stopped !== 'budget'), 'positions before it finished');
  });

  test('the token and time budgets stop the search too, aborting the rollouts in flight', async () => {
    const w = cases[2];
    const tokens = await search(server, w, { options: { budget: { maxTokens: 400 } } });
    assert.match(tokens.stoppedBy ?? '', /token budget of 400/);
    assert.ok(tokens.completionTokens < 400 + DEFAULT_CRITICAL_OPTIONS.concurrency, `${tokens.completionTokens} tokens`);

    const slow = await startTestServer({ seed: 3, ...PLANTING_SOLVER, tokenLatencyMs: 2 });
    try {
      const timed = await findCriticalTokens({ ...inputFor(slow, w), options: { budget: { maxWallMs: 400, maxRequests: 1000 } } });
      assert.match(timed.stoppedBy ?? '', /wall-time budget of 400 ms/);
      await slow.waitForAbort(2000);
    } finally {
      await slow.close();
    }
  });

  test('cancelling stops every rollout and keeps the positions finished before it', async () => {
    const slow = await startTestServer({ seed: 3, ...PLANTING_SOLVER, tokenLatencyMs: 1 });
    try {
      const w = cases[0];
      const { sink, signal, written } = cancellingSink('token_probed');
      await assert.rejects(findCriticalTokens({ ...inputFor(slow, w), sink, signal }), CancelledError);
      assert.equal(written.length, 1, 'the position being sampled when cancelled is not written');
      await assertQuietAfterCancel(slow, 'nothing is sent after the search returned');
    } finally {
      await slow.close();
    }
  });

  test('without a gold answer the reference is the majority answer of unconstrained samples, never called correctness', async () => {
    const [problem] = sampleProblems();
    const [w] = await plantedChains(server, { problem: problem.problem }, 7);
    assert.ok(w, 'a chain that ends wrong');
    const requestsBefore = server.requests.length;
    const result = await search(server, w, { options: { budget: { maxRequests: 60 } } });
    assert.deepEqual(result.reference, { kind: 'majority', answer: problem.answer });
    const first = server.requests.slice(requestsBefore, requestsBefore + DEFAULT_CRITICAL_OPTIONS.referenceSamples);
    assert.ok(first.every((r) => (r.body as { messages: { role: string }[] }).messages.at(-1)?.role === 'user'), 'the reference samples start from the problem alone');
    assert.ok(result.ranking.length > 0 && result.ranking.every((p) => p.reference.kind === 'majority'));
    assert.equal(outcomeName(result.reference), 'P(agrees with majority)');
    assert.equal(outcomeName({ kind: 'gold', answer: '1' }), 'P(correct)');
  });

  test('a chain without token alternatives, a step not in the chain and a bad option are refused with what to do', async () => {
    const w = cases[0];
    const bare = w.chain.map((s) => ({ ...s, tokens: s.tokens?.map(({ token, logprob }) => ({ token, logprob })) }));
    await assert.rejects(findCriticalTokens({ ...inputFor(server, w), chain: bare }), /has none: generate it with logprobs on/);
    await assert.rejects(findCriticalTokens({ ...inputFor(server, w), within: ['s99.0'] }), /s99\.0 is not a step of the chain/);
    await assert.rejects(findCriticalTokens({ ...inputFor(server, w), options: { batch: 0 } }), /batch must be a whole number of at least 1, got 0/);
    await assert.rejects(findCriticalTokens({ ...inputFor(server, w), options: { budget: { maxRequests: 0 } } }), /rollouts \(maxRequests\) must be at least 1/);
  });

  test('rollouts sample like the run did, except that a greedy run\'s rollouts still sample', () => {
    const { header } = cases[0].recorder;
    assert.deepEqual(rolloutSettingsFor(header), { model: 'qwen2.5:1.5b', temperature: 0.8, maxTokens: 1024, seed: header.backend.options.seed });
    const greedy = { ...header, backend: { ...header.backend, options: { ...header.backend.options, temperature: 0 } } };
    assert.equal(rolloutSettingsFor(greedy).temperature, DEFAULT_ROLLOUT_TEMPERATURE);
    assert.equal(rolloutSettingsFor(header, { model: 'llama3.2:1b', temperature: 1 }).model, 'llama3.2:1b');
    assert.throws(() => rolloutSettingsFor(header, { temperature: 0 }), /temperature must be above 0, got 0/);
  });

  test('each position\'s prefix is the chain\'s own text up to that token', () => {
    for (const { chain } of cases.slice(0, 3)) {
      const text = chain.map((s) => s.text).join('\n\n');
      for (const node of chain) {
        (node.tokens ?? []).forEach((t, i) => {
          const prefix = prefixWith(chain, node, i, t.token);
          assert.ok(`${text}\n\n`.startsWith(prefix), `${node.id}#${i} ${JSON.stringify(t.token)}: ${JSON.stringify(prefix.slice(-40))}`);
        });
      }
    }
  });

  function inputFor(target: TestServer, { recorder, chain }: PlantedChain): CriticalSearchInput {
    return { backend: new OllamaBackend(target.url), problem: recorder.header.problem, chain, settings: rolloutSettingsFor(recorder.header), sink: recorder };
  }
});

const tok = (token: string, p: number, top: [string, number][] = []): TokenLogprob => ({ token, logprob: Math.log(p), top: top.map(([t, q]) => ({ token: t, logprob: Math.log(q) })) });
const step = (id: string, text: string, tokens: TokenLogprob[]): TreeNode => ({ id, parent: null, children: [], kind: 'step', text, depth: 1, tokens, scores: {}, status: 'complete', selected: false });

test('triage probes unlikely tokens and step openings first, and only where a likely, different alternative exists', () => {
  const node = step('s0.1', 'So x = 5.', [
    tok('So', 0.6, [['So', 0.6], ['Thus', 0.3]]),
    tok(' x', 0.9, [[' x', 0.9], ['x', 0.08]]),
    tok(' =', 0.5, [[' =', 0.5], [' is', 0.2]]),
    tok(' 5', 0.05, [[' 4', 0.9], [' 6', 0.03]]),
    tok('.', 0.99, [['.', 0.99]]),
  ]);
  const candidates = triage([node], DEFAULT_CRITICAL_OPTIONS);
  assert.deepEqual(candidates.map((c) => c.index), [3, 0, 2], 'the unlikely " 5", then the step\'s opening, then " ="; " x" (only "x" differs, by a space) and "." are not candidates');
  assert.deepEqual(candidates[0].alternatives.map((a) => a.token), [' 4'], '" 6" is below the 5% floor');
  assert.ok(candidates[1].stepStart && !candidates[2].stepStart);
  assert.deepEqual(triage([node], { alternatives: 2, minAlternativeProbability: 0.01 })[0].alternatives.map((a) => a.token), [' 4', ' 6']);
});

test('token positions are found in the step text despite trimmed spaces, line-break tokens and thinking markers', () => {
  const think = step('s0.0', '<think>\nLet x = 2.', [tok('Let', 0.9), tok(' x', 0.9), tok(' =', 0.9), tok(' 2', 0.9), tok('.', 0.9), tok('\n\n', 0.9)]);
  assert.deepEqual(tokenStarts(think.text, think.tokens ?? []), [8, 11, 13, 15, 17, 18]);
  const next = step('s0.1', 'So y = 3.', [tok('\n\nSo', 0.9), tok(' y', 0.9)]);
  const chain = [think, next];
  assert.equal(prefixWith(chain, next, 0, '\n\nThus'), '<think>\nLet x = 2.\n\nThus', 'a token with its own line break is not given a second one');
  assert.equal(prefixWith(chain, next, 1, ' z'), '<think>\nLet x = 2.\n\nSo z');
  assert.equal(prefixWith(chain, think, 3, ' 7'), '<think>\nLet x = 7');
  // A character the server sent as three byte pieces, which the text shows whole: the tokens after
  // it are found again where they are.
  const bytes = step('s0.2', 'Cost: 5 €, or 6 €.', ['Cost', ':', ' 5', ' \ufffd', '\ufffd', '\ufffd', ',', ' or', ' 6', ' \ufffd', '\ufffd', '\ufffd', '.'].map((t) => tok(t, 0.9)));
  assert.deepEqual(tokenStarts(bytes.text, bytes.tokens ?? []), [0, 4, 5, 7, 8, 9, 9, 10, 13, 15, 16, 17, 17]);
});
