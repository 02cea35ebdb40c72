/** `reasonscope import` as a user runs it: listing records, writing one or all as run files, and
 * what it says about bad input. */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { parseRunText } from '../../src/core/trace/parse';
import { replay } from '../../src/core/trace/tree';
import { tempDir } from '../support/helpers';

const CLI = path.resolve('src/cli/main.ts');
// Absolute, because the CLI runs in a scratch directory where `tsx` would not resolve.
const TSX = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;
const FIXTURES = path.resolve('test/fixtures/traces');

/** Runs `reasonscope import`; `closeAfterFirstOutput` hangs up like `| head -1` does. */
function importCli(args: string[], cwd = tempDir(), closeAfterFirstOutput = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'import', ...args], { cwd, env: { ...process.env, CI: '1', NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (closeAfterFirstOutput) child.stdout.destroy();
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lines = (text: string) => text.trim().split('\n');

describe('reasonscope import', () => {
  test('--list prints one numbered line per record', async () => {
    const r = await importCli([path.join(FIXTURES, 'processbench', 'math.json'), '--list']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(r.stdout).length, 8);
    assert.match(lines(r.stdout)[4], /^4 · math-1 · .+ · first error at step 10 · final answer wrong · /);
  });

  test('--list stops quietly when its reader hangs up (| head)', async () => {
    const file = path.join(tempDir(), 'many.jsonl');
    fs.writeFileSync(file, Array.from({ length: 5000 }, (_, i) => JSON.stringify({ question: `What is ${i} + 1?`, response: `It is $\\boxed{${i + 1}}$.` })).join('\n'));
    const r = await importCli([file, '--list'], tempDir(), true);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^0 · What is 0 \+ 1\?/);
  });

  test('a record becomes a run file, with a one-line summary of what it holds', async () => {
    const cwd = tempDir();
    const r = await importCli([path.join(FIXTURES, 'processbench', 'gsm8k.json'), '--record', '4'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `gsm8k.json record 4 (processbench) → ${path.join('.reasonscope', 'runs', 'gsm8k-4.run.jsonl')}: 4 steps · first error at step 2 · answer 30 ✗ (ProcessBench final_answer_correct)`);
    const run = parseRunText(fs.readFileSync(path.join(cwd, '.reasonscope', 'runs', 'gsm8k-4.run.jsonl'), 'utf8'));
    assert.equal(run.header.problem.id, 'gsm8k-0');
    assert.equal(replay(run.header, run.events).nodes.size, 6);
  });

  test('--all --out writes every record of a thought-anchors folder', async () => {
    const out = path.join(tempDir(), 'runs');
    const r = await importCli([path.join(FIXTURES, 'thought-anchors'), '--all', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Imported 3 of 3 records of thought-anchors \(thought-anchors\) into /);
    assert.deepEqual(fs.readdirSync(out).sort(), ['thought-anchors-0.run.jsonl', 'thought-anchors-1.run.jsonl', 'thought-anchors-2.run.jsonl']);
  });

  test('a file with bad lines still imports the good ones, lists the bad ones and exits 1', async () => {
    const good = fs.readFileSync(path.join(FIXTURES, 'r1-chat', 'thought-anchors-chats.jsonl'), 'utf8').trim().split('\n');
    const file = path.join(tempDir(), 'chats.jsonl');
    fs.writeFileSync(file, [good[0], '{"messages": [', good[1], '{"messages": [{"role": "user", "content": "hi"}]}', good[2]].join('\n'));
    const out = path.join(tempDir(), 'out');
    const r = await importCli([file, '--all', '-o', out]);
    assert.equal(r.code, 1);
    const [first, second, ...rest] = lines(r.stderr);
    assert.match(first, /^chats\.jsonl: line 2: not JSON \(/);
    assert.equal(second, 'chats.jsonl: line 4: no assistant message in `messages`');
    assert.deepEqual(rest, []);
    assert.match(r.stdout, /^Imported 3 of 5 records of chats\.jsonl \(r1-chat\) into .+; 2 could not be read \(listed above\)/);
    assert.equal(fs.readdirSync(out).length, 3);
  });

  test('bad requests are refused with the reason', async () => {
    const file = path.join(FIXTURES, 'prm800k', 'phase-samples.jsonl');
    const cases: [string[], number, RegExp][] = [
      [[file, '--format', 'csv'], 2, /--format must be one of run, processbench/],
      [[file, '--all'], 2, /--all needs --out DIR/],
      [[file, '--list', '--record', '1'], 2, /--list only lists/],
      [[file, '--record', '7'], 1, /phase-samples\.jsonl: no record 7: phase-samples\.jsonl has 2 \(0–1\)/],
      [[path.join(FIXTURES, 'nothing-here.jsonl')], 1, /nothing-here\.jsonl: no such file or folder/],
      [[], 2, /import takes one trace file or folder/],
    ];
    for (const [args, code, message] of cases) {
      const r = await importCli(args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  test('an existing run file is not overwritten', async () => {
    const out = path.join(tempDir(), 'x.run.jsonl');
    fs.writeFileSync(out, 'keep me');
    const r = await importCli([path.join(FIXTURES, 'text', 'solution.md'), '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already exists; choose another --out/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'keep me');
  });
});

