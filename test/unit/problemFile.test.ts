import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseProblemFile } from '../../src/core/problem/problemFile';
import { checkProblemText } from '../../src/server/diagnostics';

const file = `---
id: test/algebra/2584.json
answer: \\frac{14}{3}
level: 3
subject: Algebra
source: MATH-500
tags: [functions, fractions]
---
If $f(x) = \\frac{3x-2}{x-2}$, what is the value of $f(-2) +f(-1)+f(0)$?
`;

test('front matter and body are read', () => {
  const p = parseProblemFile(file);
  assert.equal(p.id, 'test/algebra/2584.json');
  assert.equal(p.answer, '\\frac{14}{3}');
  assert.equal(p.level, 3);
  assert.deepEqual(p.tags, ['functions', 'fractions']);
  assert.match(p.text, /^If \$f\(x\)/);
});

test('a file without front matter is all problem text', () => {
  assert.deepEqual(parseProblemFile('What is $2+2$?\n'), { text: 'What is $2+2$?' });
});

test('broken files say what is wrong and where', () => {
  assert.throws(() => parseProblemFile(''), /empty/);
  assert.throws(() => parseProblemFile('---\nanswer: 3\n---\n'), /no problem statement/);
  assert.throws(() => parseProblemFile('---\nanswer: [3\n---\nWhat?'), /line \d+: front matter is not valid YAML/);
});

test('diagnostics: YAML errors on their line, a missing answer as information', () => {
  const [bad] = checkProblemText('---\nid: a\nanswer: [3\n---\nWhat is $x$?');
  assert.equal(bad.severity, 'error');
  assert.ok(bad.line >= 1 && bad.line <= 3, `line ${bad.line}`);
  const noAnswer = checkProblemText('---\nid: a\n---\nWhat is $x$?');
  assert.deepEqual(noAnswer.map((d) => d.severity), ['info']);
  assert.match(noAnswer[0].message, /answer/);
  assert.deepEqual(checkProblemText(file), []);
});
