/** The packaged extension under test: built once with `npm run package`, or reused while it is newer
 * than every input, so rerunning the e2e suite after a test-only edit skips the packaging. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, vsixPath } from './paths';

const packageInputs = ['src', 'webview', 'media', 'package.json', 'scripts/build.mjs', 'README.md', 'LICENSE', '.vscodeignore'];

export function packagedExtension(): { path: string; rebuilt: boolean } {
  const stale = !existsSync(vsixPath) || statSync(vsixPath).mtimeMs < newestInputMtime();
  if (stale) execFileSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  return { path: vsixPath, rebuilt: stale };
}

function newestInputMtime(): number {
  return Math.max(0, ...packageInputs.map((input) => join(repoRoot, input)).filter(existsSync).map(newestMtime));
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}
