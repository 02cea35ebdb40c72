/** Runs inside VS Code's extension host (loaded by @vscode/test-electron through
 * `--extensionTestsPath`). A minimal runner: each test is an async function; `run()` rejects if any
 * failed, which makes VS Code exit non-zero. The scenario comes from environment variables set by
 * test/electron/run.ts. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseRunText } from '../../../src/core/trace/parse';
import type { AnswerExtractedEvent, RunEndedEvent } from '../../../src/core/trace/schema';

const RUN_TIMEOUT_MS = 120_000;

const tests: [name: string, body: () => Promise<void>][] = [['Solve Problem saves a run with one answer per sample', solveSavesRun]];

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, body] of tests) {
    try {
      await body();
      console.log(`ok - ${name}`);
    } catch (error) {
      failures.push(name);
      console.error(`not ok - ${name}\n${(error as Error).stack ?? String(error)}`);
    }
  }
  console.log(`${tests.length - failures.length}/${tests.length} passed`);
  if (failures.length > 0) throw new Error(`failed: ${failures.join(', ')}`);
}

async function solveSavesRun(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'VS Code was started without the test workspace');
  const samples = Number(requiredEnv('REASONSCOPE_TEST_SAMPLES'));
  const problem = vscode.Uri.joinPath(folder.uri, requiredEnv('REASONSCOPE_TEST_PROBLEM'));
  await vscode.window.showTextDocument(problem);

  // The command's promise settles with the run, but only after its closing notification is
  // dismissed, so the test watches the run file instead.
  void vscode.commands.executeCommand('reasonscope.solve');
  const text = await waitForCompletedRun(vscode.Uri.joinPath(folder.uri, '.reasonscope/runs'));

  const { header, events } = parseRunText(text);
  assert.equal(header.backend.model, vscode.workspace.getConfiguration('reasonscope').get('model'));
  const answers = events.filter((e): e is AnswerExtractedEvent => e.type === 'answer_extracted');
  assert.equal(answers.length, samples, 'one extracted answer per sample');
  const ended = events.find((e): e is RunEndedEvent => e.type === 'run_ended');
  assert.equal(ended?.status, 'completed');
  const votes = Object.values(ended?.result?.votes ?? {}).reduce((sum, n) => sum + n, 0);
  assert.equal(votes, answers.filter((a) => a.normalized !== null).length, 'votes count every chain that gave an answer');
}

/** Reads the runs folder directly: workspace searches may skip dot-folders or ignored files. */
async function waitForCompletedRun(runsFolder: vscode.Uri): Promise<string> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const entries = await vscode.workspace.fs.readDirectory(runsFolder).then(undefined, () => []);
    for (const [name] of entries.filter(([name]) => name.endsWith('.run.jsonl'))) {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(runsFolder, name)));
      if (text.includes('"type":"run_ended"')) return text;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no finished *.run.jsonl appeared in ${runsFolder.fsPath} within ${RUN_TIMEOUT_MS / 1000} s`);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; start this suite with npm run test:electron`);
  return value;
}
