/** The solve scenario both real-host suites (code-server and test-electron) run: which fixture
 * problem, which model of the test server, and the settings a user would have. */
import { join } from 'node:path';
import { problemFixturesDir } from './paths';

export const SOLVE_SCENARIO = {
  problemFile: 'divisors-of-196.problem.md',
  model: 'qwen2.5:1.5b',
  samples: 5,
} as const;

export const solveProblemFixture = join(problemFixturesDir, SOLVE_SCENARIO.problemFile);

/** Window-scoped settings (User/settings.json). The host is machine-scoped and set separately. */
export const solveUserSettings = {
  'reasonscope.model': SOLVE_SCENARIO.model,
  'reasonscope.samples': SOLVE_SCENARIO.samples,
  'reasonscope.strategy': 'majority',
  'reasonscope.temperature': 0.8,
};
