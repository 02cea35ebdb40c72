/** Where chains sit in the drawing: chains with the same answer next to each other, the groups with
 * most votes first, and no reshuffling while a run grows unless a group is strictly overtaken. */
import type { AnswerGroup, RunTree } from '../src/core/trace/tree';

export type GroupKey = string | null;

/** Orders answer groups by votes (descending), keeping the previous order on ties so a group that
 * merely draws level does not jump ahead; "no answer" always comes last. */
export function rankGroups(groups: AnswerGroup[], previous: readonly GroupKey[]): GroupKey[] {
  const before = (key: GroupKey) => {
    const i = previous.indexOf(key);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return groups
    .map((g, index) => ({ g, index }))
    .sort((a, b) => {
      if ((a.g.answer === null) !== (b.g.answer === null)) return a.g.answer === null ? 1 : -1;
      return b.g.votes - a.g.votes || before(a.g.answer) - before(b.g.answer) || a.index - b.index;
    })
    .map(({ g }) => g.answer);
}

/** Children of every node, ordered by the best-ranked answer group found below each child.
 * Subtrees without an answer yet (chains still running) keep their arrival order at the end. */
const UNANSWERED = Number.MAX_SAFE_INTEGER;

export function orderChildren(tree: RunTree, rank: readonly GroupKey[]): Map<string, string[]> {
  const bestRank = new Map<string, number>();
  const ordered = new Map<string, string[]>();
  const rankOf = (id: string): number => {
    const known = bestRank.get(id);
    if (known !== undefined) return known;
    const node = tree.nodes.get(id);
    if (!node) return UNANSWERED;
    let best = node.answer ? rank.indexOf(node.answer.normalized) : -1;
    if (best < 0) best = UNANSWERED;
    // Children in arrival order; a stable sort keeps that order among equal ranks.
    const children = node.children.filter((c) => tree.nodes.has(c));
    for (const child of children) best = Math.min(best, rankOf(child));
    ordered.set(id, children.sort((a, b) => rankOf(a) - rankOf(b)));
    bestRank.set(id, best);
    return best;
  };
  if (tree.rootId !== undefined) rankOf(tree.rootId);
  return ordered;
}
