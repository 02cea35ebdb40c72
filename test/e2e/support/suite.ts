/** What every real-VS-Code test file sets up once: the packaged extension, the Ollama-protocol test
 * server in its own process, timings, and the rule that a missing code-server skips outside CI and
 * fails in it. */
import { join } from 'node:path';
import { after, before } from 'node:test';
import { e2eOutputDir, e2eToolsInstalled } from './paths';
import { SOLVE_SCENARIO } from './scenario';
import { Stopwatch } from './stopwatch';
import { spawnTestServer, type TestServer } from './testServer';
import { packagedExtension } from './vsix';

const toolsMissing = !e2eToolsInstalled();
// Outside CI a missing test host skips; in CI it is a failure (before() throws).
export const skip = toolsMissing && !process.env.CI
  ? 'code-server is not installed: run scripts/setup-e2e.sh once (about 3 minutes) to run the real-VS-Code tests'
  : false;

export interface E2eSuite {
  clock: Stopwatch;
  /** The packaged extension (.vsix) to install. */
  readonly vsix: string;
  readonly server: TestServer;
}

/** Registers the file's before/after hooks; `clearScreenshots` removes an earlier run's screenshots,
 * which would otherwise pass for this run's. */
export function e2eSuite(clearScreenshots: () => void): E2eSuite {
  const clock = new Stopwatch();
  let vsix: string | undefined;
  let server: TestServer | undefined;
  before(async () => {
    if (skip) return;
    if (toolsMissing) throw new Error('CI is set but code-server is missing: run scripts/setup-e2e.sh first');
    clearScreenshots();
    const packaged = await clock.time('vsix', packagedExtension);
    console.log(packaged.rebuilt ? 'e2e: packaged the extension' : 'e2e: reusing the packaged extension (newer than its sources)');
    vsix = packaged.path;
    server = await spawnTestServer(join(e2eOutputDir, 'test-server.log'), [...SOLVE_SCENARIO.serverArgs]);
  });
  after(async () => {
    if (skip) return;
    await server?.stop();
    console.log(`e2e timing: ${clock.summary()}`);
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the e2e suite has not started');
    return value;
  };
  return {
    clock,
    get vsix() {
      return started(vsix);
    },
    get server() {
      return started(server);
    },
  };
}
