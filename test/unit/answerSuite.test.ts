import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { answerKey, gradeAnswer } from '../../src/core/answer/grade';

interface Case { line: number; section: string; pred: string; gold: string; expected: boolean }

function readSuite(): Case[] {
  let section = '';
  const cases: Case[] = [];
  fs.readFileSync('test/fixtures/equivalence/suite.tsv', 'utf8').split('\n').forEach((raw, i) => {
    if (raw.startsWith('# ')) section = raw.slice(2);
    if (!raw || raw.startsWith('#')) return;
    const [pred, gold, expected] = raw.split('\t');
    cases.push({ line: i + 1, section, pred, gold, expected: expected === '1' });
  });
  return cases;
}

const suite = readSuite();

test('the labelled suite is large and has both labels in every section', () => {
  assert.ok(suite.length >= 200, `${suite.length} pairs`);
  const sections = new Map<string, Set<boolean>>();
  for (const c of suite) sections.set(c.section, (sections.get(c.section) ?? new Set()).add(c.expected));
  for (const [section, labels] of sections) assert.equal(labels.size, 2, `section "${section}" needs equal and not-equal pairs`);
});

test('every pair in the suite is graded as labelled, in both directions', () => {
  const wrong = suite.flatMap((c) => {
    const forward = gradeAnswer(c.pred, c.gold);
    const backward = gradeAnswer(c.gold, c.pred);
    return [forward, backward].filter((v) => v.equal !== c.expected).map((v) => `line ${c.line}: ${c.pred} | ${c.gold} → ${v.reason}`);
  });
  assert.deepEqual(wrong, []);
});

test('answers that share a key always grade equal', () => {
  const merged = suite.filter((c) => !c.expected && answerKey(c.pred) === answerKey(c.gold));
  assert.deepEqual(merged.map((c) => `line ${c.line}: ${c.pred} | ${c.gold}`), []);
});
