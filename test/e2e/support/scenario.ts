/** The solve scenario both real-host suites (code-server and test-electron) run: which fixture
 * problem, which model of the test server, and the settings a user would have. */
import { join } from 'node:path';
import { problemFixturesDir, repoRoot } from './paths';
import type { Workbench } from './workbench';

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

/** The imported-trace scenario both suites open: a ProcessBench file, record 3 (math-62), which
 * ProcessBench labels wrong from its third step on. */
export const TRACE_SCENARIO = {
  fixture: join(repoRoot, 'test/fixtures/traces/processbench/math.json'),
  file: 'processbench-math.json',
} as const;

/** Opens the trace file and picks math-62 from Open Trace File's record list, as a user does. */
export async function openTraceRecord(workbench: Workbench): Promise<void> {
  await workbench.openFile(TRACE_SCENARIO.file);
  await workbench.runCommandWithInput('Reasonscope: Open Trace File', `${TRACE_SCENARIO.file}: `);
  await workbench.pickQuickPickItem('math-62', '3 · math-62');
}
