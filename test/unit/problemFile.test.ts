import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseProblemFile } from '../../src/core/problem/problemFile';
import { checkProblemDocument } from '../../src/core/authoring/checks';
import { parseProblemDocument } from '../../src/core/authoring/problemDocument';

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

test('an empty front matter (--- right after ---) is front matter, as the editor reads it, not statement', () => {
  for (const text of ['---\n---\nWhat is $x$?', '\uFEFF---\r\n---\r\n\r\nWhat is $x$?\r\n']) {
    assert.equal(parseProblemFile(text).text, 'What is $x$?');
    assert.equal(parseProblemFile(text).text, parseProblemDocument(text, 'p.problem.md').units[0].statement.text);
  }
});

test('broken files say what is wrong and where', () => {
  assert.throws(() => parseProblemFile(''), /empty/);
  assert.throws(() => parseProblemFile('---\nanswer: 3\n---\n'), /no problem statement/);
  assert.throws(() => parseProblemFile('---\nanswer: [3\n---\nWhat?'), /line \d+: front matter is not valid YAML/);
});

test('checks: YAML errors on their line, a missing answer, a well-formed file clean', () => {
  const check = (text: string) => checkProblemDocument(parseProblemDocument(text, 'p.problem.md'), {});
  const broken = '---\nid: a\nanswer: [3\n---\nWhat is $x$?';
  const [bad] = check(broken);
  assert.equal(bad.severity, 'error');
  const line = broken.slice(0, bad.span.start).split('\n').length - 1;
  assert.ok(line >= 1 && line <= 3, `line ${line}`);
  const noAnswer = check('---\nid: a\n---\nWhat is $x$?');
  assert.deepEqual(noAnswer.map((f) => f.code), ['missing-answer']);
  assert.match(noAnswer[0].message, /answer/);
  assert.deepEqual(check(file), []);
});
