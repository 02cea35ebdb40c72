/** MCTS visit counts as node size: the radius grows with the square root of the visits (so the area
 * tracks them), clamped so the most visited node never covers its neighbours and an unvisited one
 * stays big enough to click. */
import { scaleSqrt } from 'd3';
import type { RunTree } from '../src/core/trace/tree';

export const VISIT_RADIUS = { min: 3.5, max: 10 } as const;

/** The most visits of any node but the root, which every simulation passes through. */
export function maxVisits(tree: RunTree): number {
  let max = 0;
  for (const node of tree.nodes.values()) if (node.parent !== null) max = Math.max(max, node.visits ?? 0);
  return max;
}

export function visitRadius(max: number): (visits: number | undefined) => number {
  const scale = scaleSqrt().domain([0, Math.max(1, max)]).range([VISIT_RADIUS.min, VISIT_RADIUS.max]).clamp(true);
  return (visits) => scale(visits ?? 0);
}
