import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { tempDir } from '../support/helpers';

const CLI = path.resolve('src/cli/main.ts');
// Absolute, because the CLI runs in a scratch directory where `tsx` would not resolve.
const TSX = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;

interface Result { code: number | null; stdout: string; stderr: string }
interface Row { line: number; pred: string; gold: string; equal: boolean; reason: string; expected?: boolean; predRule?: string | null }

function grade(args: string[], stdin?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'grade', ...args], { cwd: tempDir(), env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const rows = (r: Result): Row[] => r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);

function file(name: string, content: string): string {
  const p = path.join(tempDir(), name);
  fs.writeFileSync(p, content);
  return p;
}

describe('reasonscope grade', () => {
  test('--pred/--gold prints one verdict with its reason', async () => {
    const r = await grade(['--pred', '\\dfrac{28}{6}', '--gold', '14/3']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(rows(r), [{ line: 1, pred: '\\dfrac{28}{6}', gold: '14/3', equal: true, reason: 'equal as rationals 14/3' }]);
    assert.match(r.stderr, /graded 1 pair: 1 equal, 0 not equal/);
  });

  test('a TSV file with labels: accuracy and the disagreeing lines; a bad line is located and the rest graded', async () => {
    const tsv = file('pairs.tsv', ['# comment', '1.414\t\\sqrt2\t0', '(3,4]\t(3,4)\t1', 'only one column', '\\{1,2\\}\t2, 1\ttrue', ''].join('\n'));
    const r = await grade([tsv]);
    assert.equal(r.code, 1, 'an unreadable line makes the exit code 1');
    assert.deepEqual(rows(r).map((row) => [row.line, row.equal, row.expected]), [[2, false, false], [3, false, true], [5, true, true]]);
    assert.match(r.stderr, /^line 4: expected pred<TAB>gold/m);
    assert.match(r.stderr, /accuracy 2\/3 \(66\.7%\) against the expected labels/);
    assert.match(r.stderr, /line 3: expected equal, graded not equal — \(3,4\] \| \(3,4\) — different brackets/);
  });

  test('JSONL from stdin: not JSON, a missing field and a bad label are reported by line', async () => {
    const input = [
      JSON.stringify({ pred: 'x = 5', gold: '5', expected: 1 }),
      '{"pred": "1", "gold": ',
      JSON.stringify({ pred: '2' }),
      JSON.stringify({ pred: '2', gold: '2', expected: 'yes' }),
      JSON.stringify({ pred: 7, gold: '7' }),
    ].join('\n');
    const r = await grade(['-', '--format', 'jsonl'], input);
    assert.equal(r.code, 1);
    assert.deepEqual(rows(r).map((row) => [row.line, row.equal]), [[1, true], [5, true]]);
    assert.match(r.stderr, /^line 2: not JSON$/m);
    assert.match(r.stderr, /^line 3: no `gold` field$/m);
    assert.match(r.stderr, /^line 4: `expected` must be true\/false or 1\/0$/m);
  });

  test('--extract pulls the answer out of whole solutions and names the rule', async () => {
    const jsonl = file('solutions.jsonl', [
      JSON.stringify({ pred: 'Adding, we get $\\frac{28}{6}$, so the sum is $\\boxed{\\dfrac{14}{3}}$.', gold: '\\frac{14}{3}' }),
      JSON.stringify({ pred: 'Final Answer: The final answer is $(0, 1)$. I hope it is correct.', gold: '$[0,1)$' }),
      JSON.stringify({ pred: 'I computed 12 and then 13.', gold: '13' }),
    ].join('\n'));
    const r = await grade([jsonl, '--extract']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(rows(r).map((row) => [row.pred, row.predRule, row.equal]), [
      ['\\dfrac{14}{3}', 'boxed', true],
      ['(0, 1)', 'final-answer', false],
      ['I computed 12 and then 13.', null, false],
    ]);
    const last = await grade([jsonl, '--extract', '--last-number']);
    assert.deepEqual(rows(last).at(-1)?.predRule, 'last-number');
    assert.equal(rows(last).at(-1)?.equal, true);
  });

  test('usage errors exit with 2', async () => {
    const missing = await grade(['--pred', '1']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /give both --pred and --gold/);
    const nofile = await grade([path.join(tempDir(), 'nope.tsv')]);
    assert.equal(nofile.code, 2);
    assert.match(nofile.stderr, /no such file/);
  });
});
