/** Step beam search: the selection rule on constructed candidates (the top n/M by score, ties to the
 * earlier lane, duplicates out, finished chains set aside), then runs on the test server — the tree
 * has n/M survivors per iteration with M children each, every pruned node says why, lookahead is
 * scored and kept out of the beam, the best completed beam is selected, and a rerun, a resumed run
 * and a cancelled one behave. */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import type { Aggregation } from '../../src/core/reward/types';
import type { SpecInput } from '../../src/core/search/run';
import { selectBeams, shareOut } from '../../src/core/search/strategies/beam';
import { bestCompleted, type Candidate } from '../../src/core/search/strategies/stepSearch';
import { ROOT_ID, type RunEvent } from '../../src/core/trace/schema';
import type { RunTree } from '../../src/core/trace/tree';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { chainHashScorer, chainSteps, laneEnd, laneRankScore, resumeCut, runCancelledSearch, runSearch, shape, stepLanes, type StepLane } from '../support/searchRun';

function spec(params: Record<string, unknown> = {}, extra: Partial<SpecInput> = {}): SpecInput {
  return {
    strategy: 'beam', params: { n: 8, beamWidth: 2, lookahead: 0, ...params }, model: 'qwen2.5:1.5b', sampling: { seed: 17, maxTokens: 256 },
    concurrency: 4, logprobs: true, topLogprobs: 3, scorer: chainHashScorer, ...extra,
  };
}

// --- Reading a beam run back from its tree -------------------------------------------------------

/** Lane `b<iteration>.<beam>.<k>`. */
interface Lane extends StepLane {
  iteration: number;
  beam: number;
  k: number;
}

function lanesOf(tree: RunTree): Lane[] {
  const lanes = stepLanes(tree, 'b').map((l): Lane => ({ ...l, iteration: l.numbers[0], beam: l.numbers[1], k: l.numbers[2] }));
  return lanes.sort((a, b) => a.iteration - b.iteration || a.beam - b.beam || a.k - b.k);
}

/** The score the search ranked a lane by: its chain with the lookahead after it. */
const rankScore = (tree: RunTree, lane: Lane, how: Aggregation): number => laneRankScore(tree, lane.lane, chainHashScorer.name, how);

const chainText = (tree: RunTree, id: string) => chainSteps(tree, id).map((s) => s.text).join('\n\n');

/** Checks every iteration of a beam run against the rule, and returns how many iterations it ran. */
function assertFollowsBeamRule(tree: RunTree, { n, width, how }: { n: number; width: number; how: Aggregation }): number {
  const keep = n / width;
  const lanes = lanesOf(tree);
  const iterations = Math.max(...lanes.map((l) => l.iteration)) + 1;
  let completed = 0;
  for (let i = 0; i < iterations; i++) {
    const these = lanes.filter((l) => l.iteration === i);
    assert.equal(these.length, n, `iteration ${i} samples n steps`);
    const open = these.filter((l) => !l.finished);
    completed += these.length - open.length;
    for (const l of these.filter((x) => x.finished)) assert.notEqual(l.end.status, 'pruned', `${l.lane}: a completed beam is kept`);
    const duplicates = open.filter((l) => /^duplicate of /.test(l.first.pruneReason ?? ''));
    for (const d of duplicates) {
      const twin = these.find((l) => l.first.id === d.first.pruneReason!.slice('duplicate of '.length))!;
      assert.ok(twin && !twin.finished && these.indexOf(twin) < these.indexOf(d), `${d.lane}: its twin is an earlier open chain`);
      assert.equal(chainText(tree, twin.end.id), chainText(tree, d.end.id));
    }
    const ranked = open.filter((l) => !duplicates.includes(l));
    const texts = ranked.map((l) => chainText(tree, l.end.id));
    assert.equal(new Set(texts).size, texts.length, `iteration ${i}: no two ranked chains read the same`);
    const survivors = ranked.filter((l) => l.first.status !== 'pruned');
    const rankedOut = ranked.filter((l) => /^score /.test(l.first.pruneReason ?? ''));
    const ended = ranked.filter((l) => /^(search ended|max iterations)/.test(l.first.pruneReason ?? ''));
    assert.equal(survivors.length + rankedOut.length + ended.length, ranked.length, `iteration ${i}: every open chain that left says why`);
    const next = lanes.filter((l) => l.iteration === i + 1);
    if (next.length === 0) {
      assert.equal(survivors.length, 0, 'when the search ends no chain is left open');
      assert.ok(completed >= n || i === iterations - 1);
      continue;
    }
    assert.equal(ended.length, 0);
    assert.equal(survivors.length, Math.min(keep, ranked.length), `iteration ${i} keeps n/M chains`);
    const byScore = (l: Lane) => rankScore(tree, l, how);
    for (const s of survivors) {
      for (const r of rankedOut) {
        assert.ok(byScore(s) > byScore(r) || (byScore(s) === byScore(r) && these.indexOf(s) < these.indexOf(r)), `${s.lane} kept over ${r.lane}`);
      }
    }
    // The survivors go on best first, each expanded M times (n shared among them when fewer).
    const order = [...survivors].sort((a, b) => byScore(b) - byScore(a) || these.indexOf(a) - these.indexOf(b));
    const shares = shareOut(n, order.length);
    order.forEach((s, b) => {
      const children = next.filter((l) => l.first.parent === s.end.id);
      assert.equal(children.length, shares[b], `${s.lane} has its share of children`);
      assert.ok(children.every((c) => c.beam === b), `${s.lane} is beam ${b} of iteration ${i + 1}`);
    });
  }
  return iterations;
}

// --- The rule on constructed candidates ----------------------------------------------------------

function candidate(order: number, score: number, extra: Partial<Candidate> = {}): Candidate {
  const lane = `b1.0.${order}`;
  return { parent: 'p', lane, seed: order, order, ids: [`${lane}.0`], last: `${lane}.0`, finished: false, text: `chain ${order}`, score, ...extra };
}

describe('beam selection', () => {
  test('keeps exactly the n/M best open chains by score, best first, and prunes the rest saying by how much', () => {
    const cands = [0.2, 0.9, 0.5, 0.7, 0.1, 0.6].map((s, i) => candidate(i, s));
    const chosen = selectBeams(cands, 3, true);
    assert.deepEqual(chosen.kept.map((c) => c.order), [1, 3, 5]);
    assert.deepEqual(chosen.completed, []);
    assert.deepEqual(chosen.pruned.map((p) => [p.candidate.order, p.reason]), [
      [2, 'score 0.500 below the lowest of the 3 kept (0.600)'],
      [0, 'score 0.200 below the lowest of the 3 kept (0.600)'],
      [4, 'score 0.100 below the lowest of the 3 kept (0.600)'],
    ]);
  });

  test('equal scores go to the earlier lane, wherever the candidate sits in the list', () => {
    const cands = [candidate(3, 0.5), candidate(1, 0.5), candidate(2, 0.8), candidate(0, 0.5)];
    const chosen = selectBeams(cands, 2, true);
    assert.deepEqual(chosen.kept.map((c) => c.order), [2, 0]);
    assert.deepEqual(chosen.pruned.map((p) => p.candidate.order), [1, 3]);
    assert.match(chosen.pruned[0].reason, /^score 0\.500 ties the lowest of the 2 kept \(0\.500\); the earlier lane goes first$/);
  });

  test('a chain that reads like an earlier open one is a duplicate, whatever its score; without filtering it competes', () => {
    const cands = [candidate(0, 0.3, { text: 'same' }), candidate(1, 0.4), candidate(2, 0.9, { text: 'same' }), candidate(3, 0.2, { text: 'same' })];
    const chosen = selectBeams(cands, 2, true);
    assert.deepEqual(chosen.kept.map((c) => c.order), [1, 0]);
    assert.deepEqual(chosen.pruned.map((p) => [p.candidate.order, p.reason]), [[2, 'duplicate of b1.0.0.0'], [3, 'duplicate of b1.0.0.0']]);
    assert.deepEqual(selectBeams(cands, 2, false).kept.map((c) => c.order), [2, 1]);
  });

  test('finished chains are set aside as completed beams: never kept, never pruned, never a duplicate\'s twin', () => {
    const cands = [candidate(0, 0.99, { finished: true, text: 'same' }), candidate(1, 0.4, { text: 'same' }), candidate(2, 0.5), candidate(3, 0.95, { finished: true })];
    const chosen = selectBeams(cands, 1, true);
    assert.deepEqual(chosen.completed.map((c) => c.order), [0, 3]);
    assert.deepEqual(chosen.kept.map((c) => c.order), [2]);
    assert.deepEqual(chosen.pruned.map((p) => [p.candidate.order, p.reason]), [[1, 'score 0.400 below the lowest of the 1 kept (0.500)']]);
  });

  test('n expansions are shared among the kept beams: M each when n/M are kept, the better beams first otherwise', () => {
    assert.deepEqual(shareOut(16, 4), [4, 4, 4, 4]);
    assert.deepEqual(shareOut(16, 1), [16]);
    assert.deepEqual(shareOut(8, 3), [3, 3, 2]);
  });

  test('the answer is the best completed chain with an answer, ties to the earlier lane', () => {
    const done = [candidate(0, 0.7, { answer: 'a0' }), candidate(1, 0.9), candidate(2, 0.8, { answer: 'a2' }), candidate(3, 0.8, { answer: 'a3' })];
    assert.equal(bestCompleted(done)?.answer, 'a2');
    assert.equal(bestCompleted([candidate(0, 0.9)]), undefined, 'a chain without an answer cannot be chosen');
  });
});

describe('beam search against the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 3, errorRate: 0.5 });
  });
  after(() => server.close());

  test('each iteration samples n steps, keeps the n/M best open chains and expands each M times; the best completed beam is selected', async () => {
    const { ended, tree } = await runSearch(server, spec());
    assert.equal(ended.status, 'completed');
    const iterations = assertFollowsBeamRule(tree, { n: 8, width: 2, how: 'last' });
    assert.ok(iterations >= 3, `${iterations} iterations`);
    const lanes = lanesOf(tree);
    const answered = lanes.filter((l) => l.answer?.answer?.raw);
    assert.ok(answered.length >= 8, 'the search ran until n beams completed');
    const best = answered.reduce((b, l) => (rankScore(tree, l, 'last') > rankScore(tree, b, 'last') ? l : b));
    assert.equal(ended.result?.selected, best.answer!.id);
    assert.ok(tree.nodes.get(best.answer!.id)?.selected);
    assert.equal(ended.result?.answer, best.answer!.answer?.normalized);
    const votes = Object.values(ended.result?.votes ?? {}).reduce((a, b) => a + b, 0);
    assert.equal(votes, answered.length, 'every completed beam votes once');
    const pruned = [...tree.nodes.values()].filter((node) => node.status === 'pruned');
    assert.ok(pruned.length > 0 && pruned.every((node) => node.pruneReason), 'every pruned node says why');
  });

  test('the aggregation decides the ranking: min over the chain\'s steps', async () => {
    const { ended, tree } = await runSearch(server, spec({ aggregation: 'min' }));
    assert.equal(ended.status, 'completed');
    assertFollowsBeamRule(tree, { n: 8, width: 2, how: 'min' });
  });

  test('lookahead steps are greedy, scored with the step before them, recorded and pruned as "lookahead"', async () => {
    const { ended, tree } = await runSearch(server, spec({ lookahead: 2 }));
    assert.equal(ended.status, 'completed');
    assertFollowsBeamRule(tree, { n: 8, width: 2, how: 'last' });
    const ahead = [...tree.nodes.values()].filter((node) => /\.l\d+\.\d+$/.test(node.id));
    assert.ok(ahead.length > 0);
    for (const node of ahead) {
      assert.equal(node.status, 'pruned');
      assert.equal(node.pruneReason, 'lookahead');
      assert.ok(Number.isFinite(node.scores[chainHashScorer.name]), `${node.id} is scored`);
      assert.ok(/^b\d+\.\d+\.\d+\.0$/.test(node.parent!) || /\.l\d+\.\d+$/.test(node.parent!), `${node.id} hangs under its step`);
      assert.ok(node.children.every((c) => /\.l\d+\.\d+$/.test(c)), `the beam never grows from ${node.id}`);
    }
    for (const lane of lanesOf(tree)) {
      if (lane.finished || lane.first.pruneReason?.startsWith('duplicate')) continue;
      const first = tree.nodes.get(`${lane.lane}.l0.0`);
      assert.ok(first, `${lane.lane} has a lookahead`);
      const second = tree.nodes.get(`${lane.lane}.l1.0`);
      assert.ok(second || (first.children.length === 0 && /\\boxed/.test(first.text)), `${lane.lane}: two lookahead steps unless the first finished`);
    }
    const bodies = server.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as { options?: { temperature?: number } });
    assert.ok(bodies.some((b) => b.options?.temperature === 0), 'lookahead requests are greedy');
  });

  test('the last iteration writes each open chain to its end', async () => {
    const { ended, tree } = await runSearch(server, spec({ maxIterations: 2 }));
    assert.equal(ended.status, 'completed');
    const last = lanesOf(tree).filter((l) => l.iteration === 1);
    assert.equal(last.length, 8);
    assert.ok(last.every((l) => l.finished), 'every chain of the last iteration finished');
    assert.ok(last.some((l) => laneEnd(tree, l.lane)!.id !== `${l.lane}.0`), 'several steps in one go');
    assert.ok(ended.result?.selected);
  });

  test('the same seed gives the same tree; another seed another', async () => {
    const a = await runSearch(server, spec({ lookahead: 1 }));
    const b = await runSearch(server, spec({ lookahead: 1 }));
    assert.deepEqual(shape(b.tree), shape(a.tree));
    const c = await runSearch(server, spec({ lookahead: 1 }, { sampling: { seed: 18, maxTokens: 256 } }));
    assert.notDeepEqual(shape(c.tree), shape(a.tree));
  });

  test('a run cut off mid-search resumes to the tree of the uninterrupted run, asking the server less', async () => {
    const full = await runSearch(server, spec({ lookahead: 1 }));
    const events = full.logged.events;
    const at = (pred: (e: RunEvent) => boolean) => events.findIndex(pred) + 1;
    const cuts = {
      'mid-iteration': at((e) => e.type === 'node_added' && e.id === 'b1.1.0.0'),
      'after a lookahead': at((e) => e.type === 'node_added' && e.id.startsWith('b2.') && e.id.includes('.l0.')),
      'after a prune': at((e) => e.type === 'node_pruned' && /^score /.test(e.reason)),
      'before the end': events.length - 1,
    };
    for (const [where, count] of Object.entries(cuts)) {
      assert.ok(count > 0 && count < events.length, where);
      const resumed = await resumeCut(server, full.outFile, count, chainHashScorer);
      assert.deepEqual(shape(resumed.tree), shape(full.tree), where);
      assert.equal(resumed.ended.result?.selected, full.ended.result?.selected, where);
      assert.deepEqual(resumed.ended.result?.votes, full.ended.result?.votes, where);
      assert.ok(resumed.requests < full.requests, `${where}: ${resumed.requests} requests against ${full.requests}`);
    }
  });

  test('n that is not a multiple of beamWidth still keeps ⌊n/M⌋ chains and samples n steps', async () => {
    const { ended, tree } = await runSearch(server, spec({ n: 5, beamWidth: 2 }));
    assert.equal(ended.status, 'completed');
    const lanes = lanesOf(tree);
    assert.equal(lanes.filter((l) => l.iteration === 0).length, 5);
    const kept = lanes.filter((l) => l.iteration === 1).map((l) => l.first.parent);
    assert.ok(new Set(kept).size <= 2);
  });
});

test('cancelling a beam search ends it cancelled with nothing left running', async () => {
  const server = await startTestServer({ seed: 3, tokenLatencyMs: 2 });
  try {
    let steps = 0;
    const { tree } = await runCancelledSearch(server, spec({ lookahead: 1 }), (e) => e.type === 'node_added' && e.kind === 'step' && ++steps === 12);
    assert.ok(tree.nodes.get(ROOT_ID)!.children.length > 0);
  } finally {
    await server.close();
  }
});
