import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { cli } from '../support/cli';
import { tempDir } from '../support/helpers';

const MATH500 = path.resolve('media/samples/math500.jsonl');
const math500 = fs.readFileSync(MATH500, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { problem: string; answer: string; unique_id: string });

/** A folder with the given files (paths relative to it). */
function folder(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const GOOD = '---\nanswer: 7\n---\nFind the number of primes below $18$.\n';

describe('reasonscope check', () => {
  test('a clean problem file: no findings, a summary, exit code 0', async () => {
    const dir = folder({ 'good.problem.md': GOOD });
    const r = await cli(['check', 'good.problem.md'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /checked 1 file \(1 problem\): 0 errors, 0 warnings, 0 notes/);
  });

  test('findings are located path:line:col with severity and code; an error makes the exit code 1', async () => {
    const dir = folder({ 'bad.problem.md': '---\nanswer: 3\n---\nFind $x$ if $x + 1 = 4.\n' });
    const r = await cli(['check', 'bad.problem.md'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^bad\.problem\.md:4:13: error unbalanced-math: /m);
  });

  test('columns are counted as editors count them: after a byte order mark, in UTF-16 code units', async () => {
    const set = `\uFEFF${JSON.stringify({ problem: 'Find $x$.', answer: '\\dfrac{1}{2}' })}\r\n${JSON.stringify({ problem: '😀 Find $y$.', answer: '\\dfrac{1}{3}' })}\r\n`;
    const dir = folder({ 'set.jsonl': set });
    const r = await cli(['check', 'set.jsonl', '--no-duplicates'], { cwd: dir });
    const lines = r.stdout.split('\n').filter((l) => l.includes('prefer-frac'));
    assert.deepEqual(lines.map((l) => l.split(':').slice(1, 3).join(':')), ['1:34', '2:37']);
  });

  test('folders are searched for problem files and problem sets; a trace JSONL in them is passed over', async () => {
    const set = [JSON.stringify({ problem: 'What is $2+3$?', answer: '5' }), JSON.stringify({ problem: 'Compute $7 \\cdot 6$.', answer: '' })].join('\n');
    const dir = folder({ 'a/one.problem.md': GOOD, 'a/b/set.jsonl': `${set}\n`, 'a/run.jsonl': '{"type":"run_started","v":1}\n', 'a/.hidden/x.problem.md': 'Find $x' });
    const r = await cli(['check', 'a', '--json'], { cwd: dir });
    const out = JSON.parse(r.stdout) as { files: { path: string; kind: string; problems: number; findings: { line: number; code: string }[] }[]; summary: { files: number; problems: number; error: number } };
    assert.deepEqual(out.files.map((f) => [f.path, f.kind, f.problems]), [[path.join('a', 'b', 'set.jsonl'), 'problem-set', 2], [path.join('a', 'one.problem.md'), 'problem', 1]]);
    assert.deepEqual(out.files[0].findings.map((f) => [f.line, f.code]), [[2, 'empty-answer']]);
    assert.deepEqual([out.summary.files, out.summary.problems], [2, 3]);
    assert.equal(r.code, out.summary.error ? 1 : 0);
  });

  test('a copy of a MATH-500 problem is reported as a near-duplicate, unless --no-duplicates or a higher --threshold', async () => {
    const original = math500[1];
    const copy = `---\nanswer: p - q\n---\n${original.problem.replace('\\frac{1}{k^3}', '\\frac{1}{k^4}')}\n`;
    const dir = folder({ 'copy.problem.md': copy });
    const found = await cli(['check', 'copy.problem.md', '--json'], { cwd: dir });
    const findings = (JSON.parse(found.stdout) as { files: { findings: { code: string; duplicate?: { dataset: string; id: string; line: number; similarity: number } }[] }[] }).files[0].findings;
    const dup = findings.find((f) => f.code === 'near-duplicate')?.duplicate;
    assert.deepEqual(dup && { ...dup, similarity: undefined, statement: undefined, path: undefined }, { dataset: 'MATH-500', id: original.unique_id, line: 2, similarity: undefined, statement: undefined, path: undefined });
    for (const args of [['--no-duplicates'], ['--threshold', '0.99']]) {
      const r = await cli(['check', 'copy.problem.md', ...args], { cwd: dir });
      assert.doesNotMatch(r.stdout, /near-duplicate/, args.join(' '));
    }
  });

  test('--duplicates adds a problem set to check against; one that cannot be read is said and fails the run', async () => {
    const dir = folder({ 'mine.jsonl': `${JSON.stringify({ problem: 'A frog jumps 3 meters up and slips 2 meters down each day in a 30 meter well. On which day does it get out?', unique_id: 'frog' })}\n`, 'p.problem.md': '---\nanswer: 28\n---\nA frog jumps 3 meters up and slips 2 meters down each day in a 30 meter well. On which day does it get out?\n' });
    const r = await cli(['check', 'p.problem.md', '--duplicates', 'mine.jsonl'], { cwd: dir });
    assert.match(r.stdout, /^p\.problem\.md:\d+:\d+: \w+ near-duplicate: Near-duplicate of mine frog /m, 'named as the editor names it');
    const missing = await cli(['check', 'p.problem.md', '--duplicates', 'nope.jsonl'], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read the problem set nope\.jsonl \(no such file\)/);
  });

  test('usage errors exit with 2', async () => {
    const dir = folder({ 'good.problem.md': GOOD });
    for (const args of [[], ['missing.problem.md'], ['good.problem.md', '--threshold', '1.5'], ['good.problem.md', '--bogus']]) {
      const r = await cli(['check', ...args], { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
  });
});
