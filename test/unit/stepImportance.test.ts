/** Step importance (resampling from just before a step versus just after it) against the test server,
 * on chains that go wrong at the solver's planted wrong step: that step is where the chance of the
 * right answer falls, the steps before it are neutral, neighbours share their rollouts, and budgets,
 * cancels, a missing gold answer and bad input behave as a user would expect. */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { importanceInterval, measureStepImportance, DEFAULT_IMPORTANCE_OPTIONS, type ImportanceInput } from '../../src/core/analysis/importance';
import { rolloutSettingsFor } from '../../src/core/analysis/rollouts';
import { CancelledError } from '../../src/core/model/errors';
import { OllamaBackend } from '../../src/core/model/ollama';
import { assertQuietAfterCancel, cancellingSink } from '../support/afterCancel';
import { sampleProblems } from '../support/helpers';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { plantedCases, plantedChains, PLANTING_SOLVER, type PlantedChain } from '../support/plantedChains';
import { chatRequests } from '../support/searchRun';

function inputFor(server: TestServer, { recorder, chain }: PlantedChain, extra: Partial<ImportanceInput> = {}): ImportanceInput {
  return { backend: new OllamaBackend(server.url), problem: recorder.header.problem, chain, settings: rolloutSettingsFor(recorder.header), sink: recorder, ...extra };
}


describe('step importance on the test server', () => {
  let server: TestServer;
  let cases: PlantedChain[];
  before(async () => {
    server = await startTestServer({ seed: 3, ...PLANTING_SOLVER });
    cases = await plantedCases(server);
  });
  after(() => server.close());

  test('the planted wrong step is where the chance of the right answer falls; the steps before it are neutral', async () => {
    assert.ok(cases.length >= 6, `only ${cases.length} wrong chains to test on`);
    const planted: number[] = [];
    for (const w of cases) {
      const result = await measureStepImportance(inputFor(server, w, { options: { rollouts: 32, budget: { maxRequests: 400 } } }));
      assert.equal(result.stoppedBy, undefined);
      const at = w.chain.indexOf(w.planted);
      const byStep = new Map(result.steps.map((e) => [e.id, e]));
      const wrong = byStep.get(w.planted.id);
      assert.ok(wrong && wrong.importance < 0, `${w.planted.id}: ${wrong?.importance}`);
      planted.push(wrong.importance);
      for (const step of w.chain.slice(0, at)) {
        const [lo, hi] = importanceInterval(byStep.get(step.id) ?? { before: { rollouts: 0, correct: 0 }, after: { rollouts: 0, correct: 0 } });
        assert.ok(lo < 0 && hi > 0, `${step.id}, before the wrong step, is neutral: [${lo}, ${hi}]`);
      }
    }
    const mean = planted.reduce((a, b) => a + b, 0) / planted.length;
    assert.ok(mean < -0.25, `mean importance of the planted steps ${mean}`);
  });

  test('with the defaults every step is measured, neighbours share their rollouts, and the run holds the result', async () => {
    const w = cases[0];
    const requestsBefore = chatRequests(server);
    const result = await measureStepImportance(inputFor(server, w));
    const points = w.chain.length + 1;
    assert.equal(chatRequests(server) - requestsBefore, points * DEFAULT_IMPORTANCE_OPTIONS.rollouts, 'one set of rollouts per point between steps, none for a gold-answer reference');
    assert.deepEqual(result.steps.map((e) => e.id), w.chain.map((s) => s.id));
    for (let i = 0; i + 1 < result.steps.length; i++) assert.deepEqual(result.steps[i].after, result.steps[i + 1].before);
    assert.ok(result.steps.every((e) => e.before.rollouts === DEFAULT_IMPORTANCE_OPTIONS.rollouts && e.importance === e.after.correct / e.after.rollouts - e.before.correct / e.before.rollouts));
    assert.deepEqual(w.recorder.tree.nodes.get(w.planted.id)?.analysis?.importance, result.steps.find((e) => e.id === w.planted.id));
    const again = await measureStepImportance(inputFor(server, w));
    assert.deepEqual(again.steps.map((e) => ({ ...e, t: 0 })), result.steps.map((e) => ({ ...e, t: 0 })), 'a rerun draws the same rollouts');
  });

  test('a budget that runs out mid-round is never overrun and still measures every step it reached', async () => {
    const w = cases[1];
    const points = w.chain.length + 1;
    const budget = points * DEFAULT_IMPORTANCE_OPTIONS.batch + 3;
    const requestsBefore = chatRequests(server);
    const result = await measureStepImportance(inputFor(server, w, { options: { budget: { maxRequests: budget } } }));
    assert.ok(chatRequests(server) - requestsBefore <= budget);
    assert.match(result.stoppedBy ?? '', new RegExp(`request budget of ${budget}`));
    assert.equal(result.steps.length, w.chain.length, 'the first round reached every step');
    const rollouts = result.steps.flatMap((e) => [e.before.rollouts, e.after.rollouts]);
    assert.ok(rollouts.every((n) => n >= DEFAULT_IMPORTANCE_OPTIONS.batch && n < DEFAULT_IMPORTANCE_OPTIONS.rollouts), `${rollouts}`);
    assert.ok(rollouts.some((n) => n > DEFAULT_IMPORTANCE_OPTIONS.batch), 'the rollouts of the cut round count');
  });

  test('cancelling stops every rollout; the rounds finished before it stay in the run', async () => {
    const slow = await startTestServer({ seed: 3, ...PLANTING_SOLVER, tokenLatencyMs: 1 });
    try {
      const { sink, signal, written } = cancellingSink('step_importance');
      await assert.rejects(measureStepImportance(inputFor(slow, cases[0], { sink, signal })), CancelledError);
      assert.ok(written.length > 0 && written.every((e) => e.before.rollouts === DEFAULT_IMPORTANCE_OPTIONS.batch), 'only the first round was written');
      await assertQuietAfterCancel(slow, 'nothing is sent after it returned');
    } finally {
      await slow.close();
    }
  });

  test('one step costs its two points only; without a gold answer the reference is the majority answer', async () => {
    const [problem] = sampleProblems();
    const [w] = await plantedChains(server, { problem: problem.problem }, 7);
    const requestsBefore = chatRequests(server);
    const result = await measureStepImportance(inputFor(server, w, { within: [w.planted.id] }));
    assert.equal(chatRequests(server) - requestsBefore, DEFAULT_IMPORTANCE_OPTIONS.referenceSamples + 2 * DEFAULT_IMPORTANCE_OPTIONS.rollouts);
    assert.deepEqual(result.reference, { kind: 'majority', answer: problem.answer });
    assert.deepEqual(result.steps.map((e) => [e.id, e.reference.kind]), [[w.planted.id, 'majority']]);
  });

  test('an empty chain, a step not in the chain and a bad option are refused with what was wrong', async () => {
    const w = cases[0];
    await assert.rejects(measureStepImportance(inputFor(server, w, { chain: [] })), /needs a chain with at least one step/);
    await assert.rejects(measureStepImportance(inputFor(server, w, { within: ['s99.0'] })), /s99\.0 is not a step of the chain/);
    await assert.rejects(measureStepImportance(inputFor(server, w, { options: { rollouts: 2.5 } })), /rollouts must be a whole number of at least 1, got 2\.5/);
    await assert.rejects(measureStepImportance(inputFor(server, w, { options: { budget: { maxWallMs: -1 } } })), /time \(maxWallMs\) must be more than 0/);
  });
});
