/** `npm run test:electron`: the solve scenario in desktop VS Code through @vscode/test-electron.
 * Downloads nothing unless asked: it needs VSCODE_EXECUTABLE (an installed VS Code) or
 * REASONSCOPE_TEST_ELECTRON=1 (download VS Code from Microsoft into .vscode-test/). */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../e2e/support/paths';
import { SOLVE_SCENARIO, solveProblemFixture, solveUserSettings } from '../e2e/support/scenario';
import { spawnTestServer } from '../e2e/support/testServer';

async function main(): Promise<number> {
  const executable = process.env.VSCODE_EXECUTABLE;
  if (!executable && process.env.REASONSCOPE_TEST_ELECTRON !== '1') {
    console.log('test:electron skipped: set VSCODE_EXECUTABLE=/path/to/code to use an installed VS Code, or REASONSCOPE_TEST_ELECTRON=1 to download one (needs internet; on Linux without a display run it under xvfb-run -a).');
    return 0;
  }
  const started = Date.now();
  const runDir = join(repoRoot, 'test-output/electron', `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const workspaceDir = join(runDir, 'workspace');
  const userDataDir = join(runDir, 'ud');
  mkdirSync(workspaceDir, { recursive: true });
  cpSync(solveProblemFixture, join(workspaceDir, SOLVE_SCENARIO.problemFile));

  // The extension runs from the repository (extensionDevelopmentPath), so it needs its dev bundles.
  execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  const suitePath = join(runDir, 'suite/index.js');
  await esbuild.build({
    entryPoints: [join(repoRoot, 'test/electron/suite/index.ts')],
    outfile: suitePath,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });

  const server = await spawnTestServer(join(runDir, 'test-server.log'), [...SOLVE_SCENARIO.serverArgs]);
  try {
    // Desktop VS Code reads machine-scoped settings from the user settings file.
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify({ ...solveUserSettings, 'reasonscope.host': server.url, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off' }, null, 2));
    await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : {}),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suitePath,
      launchArgs: [workspaceDir, '--user-data-dir', userDataDir, '--extensions-dir', join(runDir, 'ext'), '--disable-extensions', '--disable-gpu'],
      extensionTestsEnv: { REASONSCOPE_TEST_PROBLEM: SOLVE_SCENARIO.problemFile, REASONSCOPE_TEST_SAMPLES: String(SOLVE_SCENARIO.samples) },
    });
    console.log(`test:electron passed in ${((Date.now() - started) / 1000).toFixed(1)} s (logs: ${runDir})`);
    return 0;
  } catch (error) {
    console.error(`test:electron failed: ${(error as Error).message} (logs: ${runDir})`);
    return 1;
  } finally {
    await server.stop();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
