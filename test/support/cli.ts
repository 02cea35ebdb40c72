/** Runs the `reasonscope` CLI from source in a child process, as a user would. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from './helpers';

const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.ts');
// Absolute, because the CLI runs in a scratch directory where `tsx` would not resolve.
const TSX = pathToFileURL(path.resolve(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** `onStderr` sees all of stderr so far with each chunk, and may interrupt the CLI (Ctrl-C). */
export function cli(args: string[], opts: { cwd?: string; onStderr?: (stderr: string, interrupt: () => void) => void } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
      cwd: opts.cwd ?? tempDir(),
      env: { ...process.env, OLLAMA_HOST: '', CI: '1', NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(stderr, () => child.kill('SIGINT'));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
