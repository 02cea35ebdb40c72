/** A hermetic code-server for one test: config, user data, extensions, HOME, TMPDIR and the XDG
 * folders all live in one run folder under test-output/e2e/, which is kept as evidence (logs,
 * screenshots). `stop()` kills the process group and fails if anything it started is still alive. */
import { spawn, execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { codeServerBin, e2eOutputDir, node24BinDir } from './paths';
import { closedPort } from '../../support/helpers';
import { RUN_MARKER_VARIABLE, markedProcesses, signalGroup, waitUntil } from './processes';

export interface CodeServerOptions {
  /** Names the run folder, e.g. "solve" -> test-output/e2e/run-<timestamp>-solve. */
  label: string;
  /** The packaged extension to install. */
  vsix: string;
  /** Files copied into the workspace folder: repo path -> path relative to the workspace. */
  workspaceFiles: Record<string, string>;
  /** `User/settings.json`, on top of settings that silence first-run UI and telemetry. */
  userSettings?: Record<string, unknown>;
  /** `Machine/settings.json`: where machine-scoped settings (such as a server host) must go. */
  machineSettings?: Record<string, unknown>;
}

export interface CodeServer {
  readonly runDir: string;
  readonly workspaceDir: string;
  readonly userDataDir: string;
  /** Opens the workbench on the workspace folder. */
  readonly workbenchUrl: string;
  /** Environment for anything else the test starts (a browser): temp and XDG folders in the run. */
  readonly env: NodeJS.ProcessEnv;
  /** The remote extension host's log so far ("" before the host started). */
  extensionHostLog(): string;
  stop(): Promise<void>;
}

const quietUserSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const HEALTH_TIMEOUT_MS = 30_000;

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const runDir = makeRunDir(options.label);
  // Unix socket paths are limited to 108 bytes, too few for a folder inside the repository, so
  // TMPDIR (where Chromium and VS Code put their sockets) is a short folder removed by stop().
  const socketDir = mkdtempSync(join(tmpdir(), 'rs-e2e-'));
  try {
    return await launch(options, runDir, socketDir);
  } catch (error) {
    rmSync(socketDir, { recursive: true, force: true });
    throw error;
  }
}

async function launch(options: CodeServerOptions, runDir: string, socketDir: string): Promise<CodeServer> {
  const env = hermeticEnv(runDir, socketDir);
  // The marker lets teardown find every descendant of code-server, even one that left its group.
  const serverEnv = { ...env, [RUN_MARKER_VARIABLE]: runDir };
  const userDataDir = join(runDir, 'ud');
  const workspaceDir = join(runDir, 'workspace');
  const commonArgs = ['--config', join(runDir, 'config.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', join(runDir, 'ext')];

  writeFileSync(join(runDir, 'config.yaml'), 'auth: none\ncert: false\n');
  writeJson(join(userDataDir, 'User/settings.json'), { ...quietUserSettings, ...options.userSettings });
  writeJson(join(userDataDir, 'Machine/settings.json'), options.machineSettings ?? {});
  mkdirSync(workspaceDir, { recursive: true });
  for (const [from, to] of Object.entries(options.workspaceFiles)) cpSync(resolve(from), join(workspaceDir, to), { recursive: true });

  await installExtension(resolve(options.vsix), commonArgs, serverEnv, runDir);

  const port = await closedPort();
  const logPath = join(runDir, 'code-server.log');
  const logFd = openSync(logPath, 'a');
  // detached = setsid(): code-server and every process it forks share one group we can kill.
  const child = spawn(
    join(node24BinDir, 'node'),
    [
      codeServerBin,
      ...commonArgs,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      workspaceDir,
    ],
    { cwd: runDir, env: serverEnv, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start (spawn failed)');
  let exitCode: number | null = null;
  child.on('exit', (code) => (exitCode = code ?? -1));

  const stop = async (): Promise<void> => {
    try {
      await terminate(pgid, runDir);
    } finally {
      rmSync(socketDir, { recursive: true, force: true });
    }
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, () => exitCode);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- ${logPath} ---\n${tail(readFileSync(logPath, 'utf8'))}`);
  }

  return {
    runDir,
    workspaceDir,
    userDataDir,
    workbenchUrl: `${baseUrl}/?folder=${encodeURIComponent(workspaceDir)}`,
    env,
    extensionHostLog: () => readExtensionHostLog(userDataDir),
    stop,
  };
}

/** Run folders are evidence for the latest runs only; older ones are removed. */
const KEPT_RUNS = 10;

function makeRunDir(label: string): string {
  pruneOldRuns();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = join(e2eOutputDir, `run-${stamp}-${label}`);
  for (const sub of ['home', 'xdg/config', 'xdg/cache', 'xdg/data', 'xdg/state', 'ext']) mkdirSync(join(runDir, sub), { recursive: true });
  return runDir;
}

function pruneOldRuns(): void {
  if (!existsSync(e2eOutputDir)) return;
  const runs = readdirSync(e2eOutputDir).filter((name) => name.startsWith('run-')).sort();
  for (const name of runs.slice(0, Math.max(0, runs.length - KEPT_RUNS + 1))) rmSync(join(e2eOutputDir, name), { recursive: true, force: true });
}

function hermeticEnv(runDir: string, socketDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${node24BinDir}:${process.env.PATH ?? ''}`,
    HOME: join(runDir, 'home'),
    TMPDIR: socketDir,
    XDG_CONFIG_HOME: join(runDir, 'xdg/config'),
    XDG_CACHE_HOME: join(runDir, 'xdg/cache'),
    XDG_DATA_HOME: join(runDir, 'xdg/data'),
    XDG_STATE_HOME: join(runDir, 'xdg/state'),
    XDG_RUNTIME_DIR: socketDir,
    // No marketplace: without a gallery URL code-server never looks up open-vsx.org.
    EXTENSIONS_GALLERY: '{}',
  };
}

async function installExtension(vsix: string, commonArgs: string[], env: NodeJS.ProcessEnv, runDir: string): Promise<void> {
  try {
    const { stdout } = await promisify(execFile)(join(node24BinDir, 'node'), [codeServerBin, ...commonArgs, '--install-extension', vsix], { cwd: runDir, env, timeout: 120_000 });
    writeFileSync(join(runDir, 'install-extension.log'), stdout);
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`code-server --install-extension ${vsix} failed:\n${stdout}${stderr}`);
  }
}

async function waitForHealth(baseUrl: string, exitCode: () => number | null): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const code = exitCode();
    if (code !== null) throw new Error(`code-server exited with code ${code} before it was ready`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server at ${baseUrl} was not healthy after ${HEALTH_TIMEOUT_MS / 1000} s`);
}

/** SIGTERM the group, then SIGKILL; anything still carrying the run marker afterwards escaped the
 * group, which is a bug worth failing for (it would leak across test runs). */
async function terminate(pgid: number, runDir: string): Promise<void> {
  const noneLeft = () => markedProcesses(runDir).length === 0;
  signalGroup(pgid, 'SIGTERM');
  if (await waitUntil(noneLeft, 5_000)) return;
  signalGroup(pgid, 'SIGKILL');
  if (await waitUntil(noneLeft, 3_000)) return;
  const leftovers = markedProcesses(runDir);
  for (const pid of leftovers) process.kill(pid, 'SIGKILL');
  throw new Error(`processes outside code-server's group were still running after teardown: ${leftovers.join(', ')}`);
}

function readExtensionHostLog(userDataDir: string): string {
  const logsDir = join(userDataDir, 'logs');
  if (!existsSync(logsDir)) return '';
  return readdirSync(logsDir)
    .map((folder) => join(logsDir, folder, 'exthost1/remoteexthost.log'))
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
