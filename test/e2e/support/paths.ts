/** Where the e2e harness finds its tools and writes its evidence. All paths derive from the
 * repository root so the suite runs from any working directory. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');

/** Installed by `scripts/setup-e2e.sh`; ignored by git. */
export const e2eToolsDir = join(repoRoot, '.e2e');
export const node24BinDir = join(e2eToolsDir, 'node24/bin');
export const codeServerBin = join(e2eToolsDir, 'cs/node_modules/.bin/code-server');

export const e2eOutputDir = join(repoRoot, 'test-output/e2e');
export const vsixPath = join(repoRoot, 'dist/reasonscope.vsix');
export const problemFixturesDir = join(repoRoot, 'test/fixtures/problems');

export function e2eToolsInstalled(): boolean {
  return existsSync(codeServerBin) && existsSync(join(node24BinDir, 'node'));
}
