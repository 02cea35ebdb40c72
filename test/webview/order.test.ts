/** Where chains are drawn: same answers together, most votes first, no reshuffling on ties. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent, RunHeader } from '../../src/core/trace/schema';
import { answerGroups, replay } from '../../src/core/trace/tree';
import { orderChildren, rankGroups } from '../../webview/order';

const header = {
  type: 'header', schema: 1, runId: 'r', createdAt: '', problem: { text: 'p' },
  backend: { kind: 'ollama', host: 'http://127.0.0.1:11434', model: 'm', logprobs: false, options: {} },
  strategy: { name: 'majority', params: { n: 6 } }, versions: { reasonscope: '0' },
} satisfies RunHeader;

let t = 0;
const root: RunEvent = { type: 'node_added', t: t++, id: 'root', parent: null, kind: 'root', text: 'p' };
/** A chain of one step, answered with `answer` (undefined: still running). */
function chain(id: string, answer?: string | null): RunEvent[] {
  const events: RunEvent[] = [{ type: 'node_added', t: t++, id, parent: 'root', kind: 'step', text: id }];
  if (answer !== undefined) events.push({ type: 'answer_extracted', t: t++, id, raw: answer, normalized: answer });
  return events;
}

function rootOrder(events: RunEvent[], previousRank: (string | null)[] = []) {
  const tree = replay(header, events);
  const rank = rankGroups(answerGroups(tree), previousRank);
  return { rank, children: orderChildren(tree, rank).get('root') };
}

test('chains with the same answer sit together, most votes first, unfinished and unanswered last', () => {
  const events = [root, ...chain('a', '1'), ...chain('b', '2'), ...chain('c', null), ...chain('d', '2'), ...chain('e'), ...chain('f', '1'), ...chain('g', '2')];
  const { rank, children } = rootOrder(events);
  assert.deepEqual(rank, ['2', '1', null]);
  assert.deepEqual(children, ['b', 'd', 'g', 'a', 'f', 'c', 'e']);
});

test('a group that only draws level keeps its place; one that overtakes moves up', () => {
  const early = [root, ...chain('a', '1'), ...chain('b', '1'), ...chain('c', '2')];
  const first = rootOrder(early);
  assert.deepEqual(first.rank, ['1', '2']);
  const level = rootOrder([...early, ...chain('d', '2')], first.rank);
  assert.deepEqual(level.children, ['a', 'b', 'c', 'd'], 'a tie does not reorder');
  const ahead = rootOrder([...early, ...chain('d', '2'), ...chain('e', '2')], level.rank);
  assert.deepEqual(ahead.children, ['c', 'd', 'e', 'a', 'b']);
});

test('deeper branches are ordered by the best answer found below them', () => {
  const events: RunEvent[] = [
    root,
    { type: 'node_added', t: t++, id: 'x', parent: 'root', kind: 'step', text: 'x' },
    { type: 'node_added', t: t++, id: 'x1', parent: 'x', kind: 'answer', text: 'x1' },
    { type: 'node_added', t: t++, id: 'x2', parent: 'x', kind: 'answer', text: 'x2' },
    { type: 'answer_extracted', t: t++, id: 'x1', raw: '7', normalized: '7' },
    { type: 'answer_extracted', t: t++, id: 'x2', raw: '5', normalized: '5' },
    ...chain('y', '5'),
  ];
  const tree = replay(header, events);
  const order = orderChildren(tree, rankGroups(answerGroups(tree), []));
  assert.deepEqual(order.get('x'), ['x2', 'x1']);
  assert.deepEqual(order.get('root'), ['x', 'y']);
});
