/** Every strategy by name: the CLI, the extension and the docs list them from here. */
import type { Strategy } from '../strategy';
import { bestOfN, cot, majority, weightedMajority } from './sampling';
import { beam } from './beam';
import { dvts } from './dvts';
import { mcts } from './mcts';
import { budgetForcing } from './budgetForcing';
import { qalign } from './qalign';

export const STRATEGIES: readonly Strategy[] = [
  cot,
  majority,
  bestOfN,
  weightedMajority,
  beam,
  dvts,
  mcts,
  budgetForcing,
  qalign,
];

export function strategyNamed(name: string): Strategy {
  const found = STRATEGIES.find((s) => s.name === name);
  if (!found) throw new Error(`unknown strategy "${name}"; one of: ${STRATEGIES.map((s) => s.name).join(', ')}`);
  return found;
}
