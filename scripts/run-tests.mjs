// Runs every *.test.ts under the given folders with Node's test runner (Node 20 does not expand
// globs itself). Extra flags after `--` go to `node --test`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const sep = process.argv.indexOf('--');
const dirs = process.argv.slice(2, sep < 0 ? undefined : sep);
const flags = sep < 0 ? [] : process.argv.slice(sep + 1);

function find(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = dirs.flatMap(find);
if (files.length === 0) {
  console.error(`no *.test.ts files under ${dirs.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
