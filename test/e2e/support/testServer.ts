/** Starts the Ollama-protocol test server (test/support/serve.ts) as its own process, as a user's
 * `ollama serve` would be, and reads the URL it announces on stdout. */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths';

export interface TestServer {
  url: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

/** `extraArgs` go to serve.ts (e.g. `['--latency', '20']`); its stderr is appended to `logPath`. */
export async function spawnTestServer(logPath: string, extraArgs: string[] = []): Promise<TestServer> {
  mkdirSync(dirname(logPath), { recursive: true });
  const logFd = openSync(logPath, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/support/serve.ts'), '--port', '0', ...extraArgs], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', logFd],
  });
  closeSync(logFd);
  const stdout = child.stdout;
  if (!stdout) throw new Error('test server has no stdout pipe');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`test server did not announce its URL within ${START_TIMEOUT_MS / 1000} s (see ${logPath})`)), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`test server exited with code ${code} before listening (see ${logPath})`)));
    // The interface keeps draining stdout after the first line, so later output cannot block the server.
    createInterface({ input: stdout }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`test server printed ${JSON.stringify(line)} instead of {"url": …}`));
      }
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, stop };
}
