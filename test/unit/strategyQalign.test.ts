/** QAlign: the Metropolis–Hastings rule and its seeded draws, then runs on the test server — every
 * proposal hangs from the drawn cut point of the chain's state then, is accepted or pruned exactly
 * as the rule and the draw say, the states vote; reruns, resumed and cancelled runs behave. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { goldScorer } from '../../src/core/reward/gold';
import { seededRandom } from '../../src/core/search/random';
import type { SpecInput } from '../../src/core/search/run';
import { acceptance, mhDraws } from '../../src/core/search/strategies/qalign';
import { ROOT_ID, type RunEvent } from '../../src/core/trace/schema';
import { replay } from '../../src/core/trace/tree';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { resumeCut, runCancelledSearch, runSearch, shape } from '../support/searchRun';

const GOLD = '\\frac{14}{3}';
const scorer = goldScorer(GOLD);

function spec(params: Record<string, unknown> = {}, seed = 12): SpecInput {
  return {
    strategy: 'qalign', params: { steps: 12, beta: 0.5, ...params }, model: 'qwen2.5:1.5b', sampling: { seed, maxTokens: 400 },
    concurrency: 1, logprobs: true, topLogprobs: 3, scorer,
  };
}



describe('the Metropolis–Hastings rule', () => {
  test('accepts with min(1, exp((r′ − r)/β) · n/n′)', () => {
    assert.equal(acceptance(0.5, 0.5, 4, 4, 1), 1);
    assert.equal(acceptance(1, 0, 4, 4, 0.5), Math.exp(-2));
    assert.equal(acceptance(0.5, 0.5, 3, 6, 1), 0.5, 'a longer proposal is less likely to be proposed back');
    assert.ok(Math.abs(acceptance(0.6, 0.4, 5, 4, 0.2) - Math.exp(-1) * 1.25) < 1e-12);
    assert.equal(acceptance(0.2, 0.9, 6, 3, 0.1), 1, 'capped at 1');
    assert.ok(acceptance(0.6, 0.4, 4, 4, 0.05) < acceptance(0.6, 0.4, 4, 4, 0.5), 'a smaller β trusts the scorer more');
  });

  test('draws come from the run seed and the step alone: the cut is uniform over the step boundaries', () => {
    assert.deepEqual(mhDraws(3, 7, 5), mhDraws(3, 7, 5));
    const first = seededRandom(3, 'qalign:7');
    assert.deepEqual(mhDraws(3, 7, 5), { cut: Math.floor(first() * 5), u: first() });
    assert.notDeepEqual(mhDraws(3, 7, 5), mhDraws(3, 8, 5));
    assert.notDeepEqual(mhDraws(3, 7, 5), mhDraws(4, 7, 5));
    const counts = [0, 0, 0, 0];
    let below = 0;
    for (let t = 1; t <= 4000; t++) {
      const { cut, u } = mhDraws(11, t, 4);
      counts[cut]++;
      if (u < 0.25) below++;
    }
    for (const c of counts) assert.ok(c > 900 && c < 1100, `cut counts ${counts}`);
    assert.ok(below > 900 && below < 1100, `u < 0.25 in ${below} of 4000`);
  });
});

describe('qalign against the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 2, errorRate: 0.6, selfCorrectionRate: 0.2 });
  });
  after(() => server.close());

  test('each proposal resamples from the drawn cut and is kept or pruned as the rule and the draw say; the states vote', async () => {
    const { ended, tree, logged } = await runSearch(server, spec({ steps: 16, burnIn: 3 }));
    assert.equal(ended.status, 'completed');
    const seed = logged.header.backend.options.seed!;
    const laneSteps = (lane: string) => [...tree.nodes.values()].filter((n) => n.kind === 'step' && n.id.startsWith(`${lane}.`)).map((n) => n.id);
    const reward = (steps: string[]) => tree.nodes.get(steps.at(-1)!)?.scores.gold ?? 0;
    const answerOf = (steps: string[]) => tree.nodes.get(`${steps.at(-1)!.split('.')[0]}.answer`)?.answer?.normalized ?? undefined;
    let state = laneSteps('q0');
    const states = [state];
    let accepted = 0;
    let rejected = 0;
    for (let t = 1; t <= 16; t++) {
      const { cut, u } = mhDraws(seed, t, state.length);
      const head = tree.nodes.get(`q${t}.0`)!;
      assert.equal(head.parent, cut === 0 ? ROOT_ID : state[cut - 1], `step ${t} resamples from its cut point ${cut}`);
      const proposal = [...state.slice(0, cut), ...laneSteps(`q${t}`)];
      const alpha = acceptance(reward(state), reward(proposal), state.length, proposal.length, 0.5);
      if (u < alpha) {
        assert.notEqual(head.status, 'pruned', `step ${t} accepted (u ${u} < α ${alpha})`);
        state = proposal;
        accepted++;
      } else {
        assert.equal(head.status, 'pruned', `step ${t} rejected (u ${u} ≥ α ${alpha})`);
        assert.match(head.pruneReason ?? '', new RegExp(`^rejected: r′ ${reward(proposal)} vs r ${reward(state)}, ${proposal.length} vs ${state.length} steps`));
        rejected++;
      }
      states.push(state);
    }
    assert.ok(accepted > 0 && rejected > 0, `${accepted} accepted, ${rejected} rejected`);
    const weights: Record<string, number> = {};
    for (const s of states.slice(3)) {
      const answer = answerOf(s);
      if (answer) weights[answer] = (weights[answer] ?? 0) + 1;
    }
    assert.deepEqual(ended.result?.weights, weights, 'each state after the burn-in counts once per step it held');
    assert.deepEqual(ended.result?.votes, weights, 'the run\'s votes are the same state counts, not one per proposal');
    const top = Math.max(...Object.values(weights));
    assert.equal(weights[ended.result?.answer ?? ''], top);
    assert.equal(tree.nodes.get(ended.result?.selected ?? '')?.answer?.normalized, ended.result?.answer);
  });

  test('the same seed gives the same chain', async () => {
    const a = await runSearch(server, spec());
    const b = await runSearch(server, spec());
    assert.deepEqual(shape(b.tree), shape(a.tree));
    assert.deepEqual(b.ended.result, a.ended.result);
  });

  test('a run cut off between proposals resumes to the tree of the uninterrupted run', async () => {
    const full = await runSearch(server, spec());
    const lines = fs.readFileSync(full.outFile, 'utf8').split('\n').filter(Boolean);
    const events = lines.slice(1).map((l) => JSON.parse(l) as RunEvent);
    for (const nth of [1, 4, 9]) {
      // After a proposal's answer: its scores and the verdict on it are still to come.
      let seen = 0;
      const count = events.findIndex((e) => e.type === 'answer_extracted' && ++seen === nth) + 1;
      const { ended, logged: again } = await resumeCut(server, full.outFile, count, scorer);
      assert.deepEqual(shape(replay(again.header, again.events)), shape(full.tree), `cut after answer ${nth}`);
      assert.deepEqual(ended.result?.weights, full.ended.result?.weights);
      assert.equal(ended.result?.selected, full.ended.result?.selected);
    }
  });
});

test('cancelling a QAlign run stops it mid-proposal and leaves nothing running', async () => {
  const server = await startTestServer({ seed: 2, tokenLatencyMs: 2 });
  try {
    const { tree } = await runCancelledSearch(server, spec({ steps: 50 }), (e) => e.type === 'node_added' && e.id === 'q3.0');
    assert.ok(![...tree.nodes.keys()].some((id) => id.startsWith('q4.')), 'no proposal after the cancel');
  } finally {
    await server.close();
  }
});
