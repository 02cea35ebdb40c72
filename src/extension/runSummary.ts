/** What a run came to, in one line for the notification and the log: the answer, how it was chosen
 * (the strategy's pick and its score or visits, a weighted vote, or the plain vote), whether it
 * matches the gold answer, and the budget that stopped it early. */
import { AGGREGATIONS, aggregate, type Aggregation } from '../core/reward/types';
import { plainMath } from '../core/format';
import type { RunEndedEvent } from '../core/trace/schema';
import { answerGroups, pathTo, type RunTree, type TreeNode } from '../core/trace/tree';

export function runSummary(tree: RunTree, ended: RunEndedEvent, strategyTitle: string): string {
  const result = ended.result;
  const chosen = result?.selected === undefined ? undefined : tree.nodes.get(result.selected);
  let text: string;
  if (chosen?.answer?.normalized && result?.weights) {
    const total = Object.values(result.weights).reduce((a, b) => a + b, 0);
    text = `weighted vote: ${plainMath(chosen.answer.normalized)} (weight ${fixed(result.weights[chosen.answer.normalized] ?? 0)} of ${fixed(total)})`;
  } else if (chosen?.answer?.normalized) {
    const how = [chainScore(tree, chosen), visits(tree, chosen)].filter(Boolean).join(', ');
    text = `${strategyTitle} chose ${plainMath(chosen.answer.normalized)}${how ? ` (${how})` : ''}`;
  } else {
    const groups = answerGroups(tree);
    const winner = groups.find((g) => g.answer !== null && g.answer === result?.answer) ?? groups.find((g) => g.answer !== null);
    const n = tree.header.strategy.params.n;
    const chains = typeof n === 'number' ? n : groups.reduce((sum, g) => sum + g.votes, 0);
    text = winner?.answer ? `majority answer ${plainMath(winner.answer)} (${winner.votes}/${chains} votes)` : 'no chain gave a final answer';
  }
  const correct = result?.correct ?? (chosen ? chosen.answer?.correct : answerGroups(tree).find((g) => g.answer === result?.answer)?.correct);
  if (result?.answer != null && correct !== undefined) text += correct ? ', correct' : ', wrong';
  if (ended.stoppedBy) text += `; stopped early: ${ended.stoppedBy}`;
  return text;
}

/** The chosen chain's score as the strategy aggregated it (its `aggregation` parameter, else the
 * last scored step), named by the scorer. */
function chainScore(tree: RunTree, leaf: TreeNode): string | undefined {
  const scorer = tree.header.scorer?.name;
  if (!scorer) return undefined;
  const scores = pathTo(tree, leaf.id).map((n) => n.scores[scorer]).filter((s): s is number => Number.isFinite(s));
  if (scores.length === 0) return undefined;
  const param = tree.header.strategy.params.aggregation;
  const how: Aggregation = AGGREGATIONS.includes(param as Aggregation) ? (param as Aggregation) : 'last';
  // The gold scorer reads the answer key: the summary says so, as every view does.
  const name = tree.header.scorer?.params?.evaluationOnly === true ? 'gold-answer score (evaluation only)' : `${scorer} score`;
  return `${name} ${fixed(aggregate(scores, how))}${how === 'last' ? '' : `, ${how} over steps`}`;
}

/** MCTS: how often the search went through the chosen chain's deepest visited node. */
function visits(tree: RunTree, leaf: TreeNode): string | undefined {
  const visited = pathTo(tree, leaf.id).filter((n) => n.visits !== undefined && n.parent !== null).at(-1);
  if (!visited?.visits) return undefined;
  return `${visited.visits} visits, value ${fixed((visited.valueSum ?? 0) / visited.visits)}`;
}

function fixed(x: number): string {
  return x.toFixed(2);
}
