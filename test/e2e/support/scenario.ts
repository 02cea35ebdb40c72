/** The solve scenario both real-host suites (code-server and test-electron) run: which fixture
 * problem, which model of the test server, and the settings a user would have. */
import { join } from 'node:path';
import { problemFixturesDir } from './paths';

export const SOLVE_SCENARIO = {
  /** A MATH-500 problem with a fractional answer, so the legend typesets LaTeX. */
  problemFile: 'rational-function-sum.problem.md',
  model: 'qwen2.5:1.5b',
  samples: 6,
  /** Test-server flags: enough wrong steps that the chains usually disagree, seeded to be repeatable. */
  serverArgs: ['--error-rate', '0.5', '--seed', '1'],
} as const;

export const solveProblemFixture = join(problemFixturesDir, SOLVE_SCENARIO.problemFile);

/** Window-scoped settings (User/settings.json). The host is machine-scoped and set separately. */
export const solveUserSettings = {
  'reasonscope.model': SOLVE_SCENARIO.model,
  'reasonscope.samples': SOLVE_SCENARIO.samples,
  'reasonscope.strategy': 'majority',
  'reasonscope.temperature': 0.8,
};
