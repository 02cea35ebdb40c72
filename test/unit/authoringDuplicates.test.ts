import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DuplicateIndex, loadDuplicateIndex } from '../../src/core/authoring/duplicates';
import { tempDir } from '../support/helpers';

const MATH500 = path.resolve('media/samples/math500.jsonl');
const index = DuplicateIndex.fromDatasets([{ name: 'MATH-500', path: MATH500, text: fs.readFileSync(MATH500, 'utf8') }]);
const problems = fs.readFileSync(MATH500, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { problem: string; unique_id: string });
const LONG = problems[1]; // the double sum in terms of p and q (line 2)

describe('near-duplicate index', () => {
  test('an exact copy is the same problem, with where to find it', () => {
    const match = index.nearest(LONG.problem);
    assert.deepEqual({ ...match, statement: match?.statement.slice(0, 6) }, { dataset: 'MATH-500', id: LONG.unique_id, path: MATH500, line: 2, similarity: 1, statement: 'Define' });
  });

  test('a reformatted copy (spacing, \\dfrac, \\left, \\(…\\), \\le, quotes) still scores ≥ 0.95', () => {
    const original = problems.find((p) => p.problem.includes('\\frac') && p.problem.includes('$') && p.problem.length > 150)!;
    const reformatted = original.problem
      .replace(/\\frac/g, '\\dfrac')
      .replace(/\$([^$]+)\$/g, '\\($1\\)')
      .replace(/\s*([=+])\s*/g, ' $1 ')
      .replace(/\(/g, '\\left(')
      .replace(/ {2,}/g, ' ')
      .replace(/'/g, '’');
    const match = index.nearest(reformatted);
    assert.equal(match?.id, original.unique_id);
    assert.ok(match.similarity >= 0.95, String(match.similarity));
  });

  test('one number changed in a long problem still matches at ≥ 0.8', () => {
    const changed = LONG.problem.replace('\\frac{1}{k^3}', '\\frac{1}{k^4}');
    assert.notEqual(changed, LONG.problem);
    const match = index.nearest(changed);
    assert.equal(match?.id, LONG.unique_id);
    assert.ok(match.similarity >= 0.8 && match.similarity < 1, String(match.similarity));
  });

  test('a benchmark problem pasted into a longer statement is found', () => {
    const match = index.nearest(`Here is one from my worksheet. ${LONG.problem} Show every step and box the answer.`);
    assert.equal(match?.id, LONG.unique_id);
    assert.ok(match.similarity >= 0.8, String(match.similarity));
  });

  test('an unrelated problem is below the threshold, and text without tokens has no match', () => {
    const match = index.nearest('A bakery sells muffins in boxes of 6 and cookies in tins of 14. Olga buys the same number of muffins and cookies, at least 100 of each. What is the least number of tins she can buy?');
    assert.ok(match === undefined || match.similarity < 0.8, String(match?.similarity));
    assert.equal(index.nearest('  \n$$ $$'), undefined);
  });

  test('a problem without unique_id is known by its line; bad lines are skipped', () => {
    const small = DuplicateIndex.fromDatasets([{ name: 'mine', path: '/sets/mine.jsonl', text: 'not json\n{"question": "How many primes are less than 30?"}\n' }]);
    assert.equal(small.size, 1);
    assert.deepEqual(small.nearest('How many primes are less than $30$?'), { dataset: 'mine', id: 'line 2', path: '/sets/mine.jsonl', line: 2, similarity: 1, statement: 'How many primes are less than 30?' });
  });

  test('a missing or empty dataset file is an error naming it, and the other datasets are still used', () => {
    const dir = tempDir();
    const empty = path.join(dir, 'empty.jsonl');
    fs.writeFileSync(empty, '\n');
    const missing = path.join(dir, 'gone.jsonl');
    const { index: loaded, errors } = loadDuplicateIndex([
      { name: 'gone', path: missing },
      { name: 'MATH-500', path: MATH500 },
      { name: 'empty', path: empty },
    ]);
    assert.equal(errors.length, 2);
    assert.match(errors[0], new RegExp(`cannot read the problem set ${missing.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} \\(no such file\\).*fix the path`));
    assert.match(errors[1], /empty\.jsonl has no problems/);
    assert.equal(loaded.size, 500);
    assert.equal(loaded.nearest(LONG.problem)?.similarity, 1);
  });
});
