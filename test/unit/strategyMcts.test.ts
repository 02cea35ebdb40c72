/** MCTS: the PUCT rule and priors on constructed numbers, then runs on the test server — every
 * iteration backs up the node PUCT leads to, visit counts add up, the final answer follows
 * `finalBy`, and a rerun, a resumed run and a cancelled one behave. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { confidenceScorer } from '../../src/core/reward/confidence';
import { meanLogprob } from '../../src/core/search/context';
import type { SpecInput } from '../../src/core/search/run';
import { priorsFromLogprobs, puctScore, puctSelect, type PuctChild } from '../../src/core/search/strategies/mcts';
import { ROOT_ID, type MctsBackupEvent, type RunEvent } from '../../src/core/trace/schema';
import { replay, type RunTree, type TreeNode } from '../../src/core/trace/tree';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { resumeCut, runCancelledSearch, runSearch, shape } from '../support/searchRun';


function spec(params: Record<string, unknown> = {}, extra: Partial<SpecInput> = {}): SpecInput {
  return {
    strategy: 'mcts', params: { iterations: 10, ...params }, model: 'qwen2.5:1.5b', sampling: { seed: 17, maxTokens: 256 },
    concurrency: 4, logprobs: true, topLogprobs: 3, scorer: confidenceScorer, ...extra,
  };
}



const child = (visits: number, valueSum: number, prior: number, value = 0): PuctChild => ({ visits, valueSum, prior, value });

describe('PUCT selection', () => {
  test('scores Q + c·P·√N_parent/(1+N), with the child\'s own value as Q until it is visited', () => {
    assert.equal(puctScore(child(4, 2, 0.5), 16, 2), 0.5 + (2 * 0.5 * 4) / 5);
    assert.equal(puctScore(child(0, 0, 0.25, 0.7), 9, 1), 0.7 + 0.25 * 3);
  });

  test('picks the child PUCT favours, and follows the numbers when they change', () => {
    // N_parent = 10. A: Q .6, P .5, N 5; B: Q .9, P .2, N 1; C: unvisited, value .4, P .3.
    const children = [child(5, 3, 0.5), child(1, 0.9, 0.2), child(0, 0, 0.3, 0.4)];
    assert.equal(puctSelect(children, 10, 1.25), 2, 'c = 1.25: C (1.586) over B (1.295) and A (0.929)');
    assert.equal(puctSelect(children, 10, 0.5), 1, 'c = 0.5: B (1.058) over C (0.874) and A (0.732)');
    assert.equal(puctSelect(children, 10, 0), 1, 'no exploration: the best Q');
    assert.equal(puctSelect([child(5, 3, 0.5), child(1, 0.9, 0.2), child(0, 0, 0.3, 0.95)], 10, 0), 2, 'an unvisited child competes with its own value');
    assert.equal(puctSelect([child(1, 0.9, 0.2), child(5, 3, 0.5), child(0, 0, 0.3, 0.4)], 10, 1.25), 2, 'the winner does not depend on its position');
    assert.equal(puctSelect(children, 0, 1.25), 1, 'an unvisited parent: exploration counts for nothing yet');
  });

  test('ties go to the earlier child', () => {
    assert.equal(puctSelect([child(0, 0, 0.5, 0.3), child(0, 0, 0.5, 0.3)], 4, 1), 0);
  });

  test('priors are a softmax of the siblings\' mean logprobs, uniform when one has none', () => {
    const priors = priorsFromLogprobs([Math.log(0.6), Math.log(0.3), Math.log(0.1)]);
    priors.forEach((p, i) => assert.ok(Math.abs(p - [0.6, 0.3, 0.1][i]) < 1e-12));
    assert.deepEqual(priorsFromLogprobs([-0.2, undefined, -3]), [1 / 3, 1 / 3, 1 / 3]);
    assert.deepEqual(priorsFromLogprobs([-900, -900]), [0.5, 0.5], 'very unlikely steps still make a distribution');
  });
});

/** Replays the run's backups in order and checks that each iteration backed up the node PUCT leads
 * to, given the visits, values and priors as they stood before it. */
function assertFollowsPuct(header: RunTree['header'], events: readonly RunEvent[], cPuct: number): number {
  const backups = events.flatMap((e, i) => (e.type === 'mcts_backup' ? [{ e, i }] : []));
  for (const { e, i } of backups) {
    const before = replay(header, events.slice(0, i));
    const created = (n: TreeNode, upTo: number) => n.kind === 'step' && !/^the same step/.test(n.pruneReason ?? '') && Number(/^m(\d+)\./.exec(n.id)?.[1]) <= upTo;
    const stepsUnder = (id: string, upTo: number) => before.nodes.get(id)!.children.map((c) => before.nodes.get(c)!).filter((n) => created(n, upTo));
    const terminal = (n: TreeNode) => n.children.some((c) => before.nodes.get(c)?.kind === 'answer') || n.stopReason === 'length';
    const asChild = (n: TreeNode, prior: number): PuctChild => ({
      visits: n.visits ?? 0, valueSum: n.valueSum ?? 0, prior,
      value: terminal(n) && !n.children.some((c) => before.nodes.get(c)?.kind === 'answer') ? 0 : n.scores.confidence ?? 0,
    });
    const pick = (siblings: TreeNode[], parentVisits: number) => {
      const priors = priorsFromLogprobs(siblings.map((s) => meanLogprob(s.tokens)));
      return siblings[puctSelect(siblings.map((s, k) => asChild(s, priors[k])), parentVisits, cPuct)];
    };
    let node = before.nodes.get(ROOT_ID)!;
    for (let kids = stepsUnder(node.id, e.iteration - 1); kids.length > 0 && !terminal(node); kids = stepsUnder(node.id, e.iteration - 1)) {
      node = pick(kids, node.visits ?? 0);
    }
    if (!terminal(node)) {
      const expanded = stepsUnder(node.id, e.iteration);
      assert.ok(expanded.length > 0, `iteration ${e.iteration}: PUCT leads to ${node.id}, which it did not expand`);
      node = pick(expanded, node.visits ?? 0);
    }
    const backedUp = before.nodes.get(e.id)!;
    assert.equal(backedUp.kind === 'answer' ? backedUp.parent : backedUp.id, node.id, `iteration ${e.iteration}`);
  }
  return backups.length;
}

describe('mcts against the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 3, errorRate: 0.5 });
  });
  after(() => server.close());

  test('every iteration backs up the node PUCT leads to, and visit counts add up to the iterations', async () => {
    const { ended, tree, logged } = await runSearch(server, spec({ iterations: 14 }));
    assert.equal(ended.status, 'completed');
    assert.equal(assertFollowsPuct(logged.header, logged.events, 1.25), 14);
    const backups = logged.events.filter((e): e is MctsBackupEvent => e.type === 'mcts_backup');
    assert.deepEqual(backups.map((b) => b.iteration), Array.from({ length: 14 }, (_, i) => i), 'one backup per iteration, in order');
    const root = tree.nodes.get(ROOT_ID)!;
    assert.equal(root.visits, 14);
    assert.equal(tree.iterations, 14);
    assert.equal(root.children.reduce((sum, c) => sum + (tree.nodes.get(c)?.visits ?? 0), 0), 14, 'each backup passes through one first step');
    for (const node of tree.nodes.values()) {
      if (node.kind !== 'step' || !node.visits) continue;
      const below = node.children.reduce((sum, c) => sum + (tree.nodes.get(c)?.visits ?? 0), 0);
      assert.ok(below === node.visits || below === node.visits - 1, `${node.id}: visits go on down, but for the one that expanded it`);
    }
    const expanded = [...tree.nodes.values()].filter((n) => n.children.some((c) => /^m\d+\.x\d+\.0$/.test(c)));
    for (const n of expanded) assert.ok(n.children.filter((c) => tree.nodes.get(c)?.kind === 'step').length <= 4, 'at most `expansions` children');
    const repeats = [...tree.nodes.values()].filter((n) => /^the same step as /.test(n.pruneReason ?? ''));
    for (const r of repeats) assert.equal(tree.nodes.get(r.pruneReason!.slice('the same step as '.length))?.text, r.text, 'a repeated step is pruned, naming its twin');
  });

  test('finalBy visits picks the answered chain visited most; value the best mean value; vote leaves it to the ballot', async () => {
    const answers = (tree: RunTree) => [...tree.nodes.values()].filter((n) => n.kind === 'answer' && n.answer?.raw);
    const byVisits = await runSearch(server, spec({ iterations: 16 }));
    const most = Math.max(...answers(byVisits.tree).map((a) => a.visits ?? 0));
    const chosen = byVisits.tree.nodes.get(byVisits.ended.result?.selected ?? '')!;
    assert.equal(chosen.visits, most);
    assert.ok(chosen.selected);
    assert.equal(byVisits.ended.result?.answer, chosen.answer?.normalized);

    const byValue = await runSearch(server, spec({ iterations: 16, finalBy: 'value' }));
    const mean = (a: TreeNode) => (a.visits ? a.valueSum! / a.visits : byValue.tree.nodes.get(a.parent!)!.scores.confidence);
    const top = Math.max(...answers(byValue.tree).map(mean));
    assert.equal(mean(byValue.tree.nodes.get(byValue.ended.result?.selected ?? '')!), top);

    const byVote = await runSearch(server, spec({ iterations: 16, finalBy: 'vote' }));
    assert.equal(byVote.ended.result?.selected, undefined);
    const votes = byVote.ended.result?.votes ?? {};
    assert.equal(Object.values(votes).reduce((a, b) => a + b, 0), answers(byVote.tree).length, 'every answered chain votes once');
    assert.equal(votes[byVote.ended.result?.answer ?? ''], Math.max(...Object.values(votes)));
  });

  test('a depth limit prunes chains that reach it unanswered, and an unanswered search finishes its most visited path', async () => {
    const { ended, tree } = await runSearch(server, spec({ iterations: 6, maxDepth: 1 }));
    const firstSteps = tree.nodes.get(ROOT_ID)!.children.map((c) => tree.nodes.get(c)!).filter((n) => !/^the same step/.test(n.pruneReason ?? ''));
    assert.ok(firstSteps.every((n) => n.status === 'pruned' && /depth limit of 1 steps/.test(n.pruneReason ?? '')));
    assert.equal(tree.nodes.get(ROOT_ID)?.visits, 6);
    const finish = [...tree.nodes.values()].filter((n) => n.id.startsWith('m.finish.'));
    assert.equal(finish[0]?.parent, firstSteps.reduce((b, n) => ((n.visits ?? 0) > (b.visits ?? 0) ? n : b)).id, 'finished from the most visited step');
    assert.equal(ended.result?.selected, 'm.finish.answer');
  });

  test('the same seed gives the same tree; another seed another', async () => {
    const a = await runSearch(server, spec());
    const b = await runSearch(server, spec());
    assert.deepEqual(shape(b.tree), shape(a.tree));
    const c = await runSearch(server, spec({}, { sampling: { seed: 18, maxTokens: 256 } }));
    assert.notDeepEqual(shape(c.tree), shape(a.tree));
  });

  test('a run cut off anywhere resumes to the tree of the uninterrupted run, without logging a backup twice', async () => {
    const full = await runSearch(server, spec({ iterations: 12 }));
    const lines = fs.readFileSync(full.outFile, 'utf8').split('\n').filter(Boolean);
    const events = lines.slice(1).map((l) => JSON.parse(l) as RunEvent);
    const at = (pred: (e: RunEvent) => boolean, nth = 1) => events.findIndex((e) => pred(e) && --nth === 0) + 1;
    const cuts = {
      'after the 4th backup': at((e) => e.type === 'mcts_backup', 4),
      'mid-expansion': at((e) => e.type === 'node_added' && e.id === 'm6.x1.0'),
      'after a score': at((e) => e.type === 'step_scored', 9),
      'before the end': events.length - 1,
    };
    for (const [where, count] of Object.entries(cuts)) {
      assert.ok(count > 0 && count < events.length, where);
      const { ended, logged: again } = await resumeCut(server, full.outFile, count, confidenceScorer);
      assert.deepEqual(shape(replay(again.header, again.events)), shape(full.tree), where);
      assert.equal(again.events.filter((e) => e.type === 'mcts_backup').length, 12, `${where}: no backup logged twice`);
      assert.equal(ended.result?.selected, full.ended.result?.selected, where);
    }
  });
});

test('cancelling an MCTS run stops it between or during expansions and leaves nothing running', async () => {
  const server = await startTestServer({ seed: 3, tokenLatencyMs: 2 });
  try {
    let steps = 0;
    const { tree } = await runCancelledSearch(server, spec({ iterations: 30 }), (e) => e.type === 'node_added' && e.kind === 'step' && ++steps === 6);
    assert.ok((tree.iterations ?? 0) < 30);
  } finally {
    await server.close();
  }
});
