/** DVTS: the per-subtree choice on constructed candidates (each subtree's best among its own
 * children, never another's), then runs on the test server — n/M subtrees that each grow one chain,
 * expanding its current step M times and keeping the best child until that child finishes; nodes
 * carry their subtree; the best finished chain is selected; and a rerun, a resumed run and a
 * cancelled one behave. */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import type { Scorer } from '../../src/core/reward/types';
import type { SpecInput } from '../../src/core/search/run';
import { bestOfEachSubtree } from '../../src/core/search/strategies/dvts';
import type { Candidate } from '../../src/core/search/strategies/stepSearch';
import { ROOT_ID, type RunEvent } from '../../src/core/trace/schema';
import type { RunTree } from '../../src/core/trace/tree';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { chainHashScorer, laneRankScore, resumeCut, runCancelledSearch, runSearch, shape, stepLanes, type StepLane } from '../support/searchRun';

function spec(params: Record<string, unknown> = {}, extra: Partial<SpecInput> = {}): SpecInput {
  return {
    strategy: 'dvts', params: { n: 8, beamWidth: 2, lookahead: 1, ...params }, model: 'qwen2.5:1.5b', sampling: { seed: 17, maxTokens: 256 },
    concurrency: 4, logprobs: true, topLogprobs: 3, scorer: chainHashScorer, ...extra,
  };
}

function candidate(sample: number, k: number, score: number, extra: Partial<Candidate> = {}): Candidate {
  const lane = `t${sample}.1.${k}`;
  return { parent: `t${sample}.0.0.0`, lane, seed: k, order: sample * 10 + k, sample, ids: [`${lane}.0`], last: `${lane}.0`, finished: false, text: lane, score, ...extra };
}

describe('DVTS selection', () => {
  test('each subtree keeps its own best child: a better candidate of another subtree never replaces it', () => {
    const cands = [candidate(1, 0, 0.2), candidate(1, 1, 0.3), candidate(2, 0, 0.99), candidate(2, 1, 0.95)];
    const { best, pruned } = bestOfEachSubtree(cands);
    assert.deepEqual([...best].map(([s, c]) => [s, c.lane]), [[1, 't1.1.1'], [2, 't2.1.0']]);
    assert.deepEqual(pruned.map((p) => [p.candidate.lane, p.reason]), [
      ['t1.1.0', 'score 0.200 below the subtree\'s best (0.300)'],
      ['t2.1.1', 'score 0.950 below the subtree\'s best (0.990)'],
    ]);
  });

  test('equal scores go to the earlier lane', () => {
    const { best, pruned } = bestOfEachSubtree([candidate(0, 1, 0.5), candidate(0, 0, 0.5)]);
    assert.equal(best.get(0)?.lane, 't0.1.0');
    assert.match(pruned[0].reason, /ties the subtree's best \(0\.500\); the earlier lane goes first/);
  });

  test('a finished child can be the best, which ends the subtree; a finished child that loses stays complete', () => {
    const ends = bestOfEachSubtree([candidate(0, 0, 0.4), candidate(0, 1, 0.8, { finished: true })]);
    assert.equal(ends.best.get(0)?.finished, true);
    assert.deepEqual(ends.pruned.map((p) => p.candidate.lane), ['t0.1.0']);
    const goesOn = bestOfEachSubtree([candidate(0, 0, 0.9), candidate(0, 1, 0.8, { finished: true })]);
    assert.equal(goesOn.best.get(0)?.lane, 't0.1.0');
    assert.deepEqual(goesOn.pruned, [], 'the finished loser is an answer, not pruned');
  });
});

/** Lane `t<subtree>.<iteration>.<k>`. */
interface Lane extends StepLane {
  subtree: number;
  iteration: number;
  k: number;
}

function lanesOf(tree: RunTree): Lane[] {
  const lanes = stepLanes(tree, 't').map((l): Lane => ({ ...l, subtree: l.numbers[0], iteration: l.numbers[1], k: l.numbers[2] }));
  return lanes.sort((a, b) => a.iteration - b.iteration || a.subtree - b.subtree || a.k - b.k);
}

const rankScore = (tree: RunTree, lane: Lane, scorer: string): number => laneRankScore(tree, lane.lane, scorer, 'last');

/** Checks each subtree of a DVTS run: one chain, M children of its current step per iteration, the
 * best kept; returns the finished lanes. */
function assertFollowsDvtsRule(tree: RunTree, { subtrees, width, scorer }: { subtrees: number; width: number; scorer: string }): Lane[] {
  const lanes = lanesOf(tree);
  for (const node of tree.nodes.values()) {
    const subtree = /^t(\d+)\./.exec(node.id)?.[1];
    if (subtree !== undefined) assert.equal(node.sample, Number(subtree), `${node.id} carries its subtree`);
  }
  assert.deepEqual([...new Set(lanes.map((l) => l.subtree))].sort(), Array.from({ length: subtrees }, (_, s) => s));
  for (let s = 0; s < subtrees; s++) {
    let current = ROOT_ID;
    const own = lanes.filter((l) => l.subtree === s);
    const iterations = Math.max(...own.map((l) => l.iteration)) + 1;
    for (let i = 0; i < iterations; i++) {
      const children = own.filter((l) => l.iteration === i);
      assert.equal(children.length, width, `subtree ${s}, iteration ${i}: M children`);
      assert.ok(children.every((c) => c.first.parent === current), `subtree ${s}, iteration ${i}: all grow from its own current step`);
      const score = (l: Lane) => rankScore(tree, l, scorer);
      const best = children.reduce((b, c) => (score(c) > score(b) ? c : b));
      for (const c of children) {
        if (c === best || c.finished) assert.notEqual(c.first.status, 'pruned', `${c.lane} stays`);
        else assert.match(c.first.pruneReason ?? '', /^score .* the subtree's best/, `${c.lane} says why it was pruned`);
      }
      if (i === iterations - 1) assert.ok(best.finished, `subtree ${s} ends when its best child finishes`);
      else assert.ok(!best.finished, `subtree ${s} goes on only from an open chain`);
      current = best.end.id;
    }
  }
  return lanes.filter((l) => l.finished);
}

describe('dvts against the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 3, errorRate: 0.5 });
  });
  after(() => server.close());

  test('n/M subtrees each grow their own chain, keeping the best of M children; the best finished chain is selected', async () => {
    const { ended, tree } = await runSearch(server, spec());
    assert.equal(ended.status, 'completed');
    const finished = assertFollowsDvtsRule(tree, { subtrees: 4, width: 2, scorer: chainHashScorer.name });
    const answered = finished.filter((l) => l.answer?.answer?.raw);
    const best = answered.reduce((b, l) => (rankScore(tree, l, chainHashScorer.name) > rankScore(tree, b, chainHashScorer.name) ? l : b));
    assert.equal(ended.result?.selected, best.answer!.id);
    assert.ok(tree.nodes.get(best.answer!.id)?.selected);
    assert.equal(Object.values(ended.result?.votes ?? {}).reduce((a, b) => a + b, 0), answered.length, 'every finished chain votes once');
    const ahead = [...tree.nodes.values()].filter((n) => /\.l\d+\.\d+$/.test(n.id));
    assert.ok(ahead.length > 0 && ahead.every((n) => n.pruneReason === 'lookahead'));
  });

  test('subtrees never mix, even when one subtree\'s steps score far above the others\'', async () => {
    const favoursSubtree1: Scorer = {
      name: 'favours-t1',
      async scoreSteps(chain, from) {
        const scores = await chainHashScorer.scoreSteps(chain, from, undefined as never);
        return scores.map((x, i) => (chain.steps[from + i].id.startsWith('t1.') ? 0.9 + x / 10 : x / 2));
      },
    };
    const { ended, tree } = await runSearch(server, spec({}, { scorer: favoursSubtree1 }));
    assert.equal(ended.status, 'completed');
    assertFollowsDvtsRule(tree, { subtrees: 4, width: 2, scorer: favoursSubtree1.name });
    assert.equal(tree.nodes.get(ended.result!.selected!)?.sample, 1, 'the answer comes from the favoured subtree');
  });

  test('the same seed gives the same tree, and a run cut off mid-search resumes to it, asking the server less', async () => {
    const full = await runSearch(server, spec());
    const again = await runSearch(server, spec());
    assert.deepEqual(shape(again.tree), shape(full.tree));
    const events = full.logged.events;
    const at = (pred: (e: RunEvent) => boolean) => events.findIndex(pred) + 1;
    const cuts = {
      'mid-iteration': at((e) => e.type === 'node_added' && e.id === 't2.1.1.0'),
      'after a prune': at((e) => e.type === 'node_pruned' && /^score /.test(e.reason)),
      'after an answer': at((e) => e.type === 'answer_extracted'),
    };
    for (const [where, count] of Object.entries(cuts)) {
      assert.ok(count > 0 && count < events.length, where);
      const resumed = await resumeCut(server, full.outFile, count, chainHashScorer);
      assert.deepEqual(shape(resumed.tree), shape(full.tree), where);
      assert.equal(resumed.ended.result?.selected, full.ended.result?.selected, where);
      assert.ok(resumed.requests < full.requests, `${where}: ${resumed.requests} requests against ${full.requests}`);
    }
  });

  test('n must be a multiple of beamWidth', async () => {
    const { ended } = await runSearch(server, spec({ n: 6, beamWidth: 4 }));
    assert.equal(ended.status, 'failed');
    assert.match(ended.error ?? '', /multiple of beamWidth \(n 6, beamWidth 4\)/);
  });
});

test('cancelling DVTS ends it cancelled with nothing left running', async () => {
  const server = await startTestServer({ seed: 3, tokenLatencyMs: 2 });
  try {
    let steps = 0;
    await runCancelledSearch(server, spec(), (e) => e.type === 'node_added' && e.kind === 'step' && ++steps === 10);
  } finally {
    await server.close();
  }
});
