import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseProblemFile, ProblemFileError } from '../../src/core/problem/problemFile';
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
  }
});

test('broken files say what is wrong and where', () => {
  assert.throws(() => parseProblemFile(''), /empty/);
  assert.throws(() => parseProblemFile('---\nanswer: 3\n---\n'), /: line 3: .*no problem statement/);
  assert.throws(() => parseProblemFile('---\nanswer: [3\n---\nWhat?'), /line \d+: front matter is not valid YAML/i);
  assert.throws(() => parseProblemFile('---\n- 3\n---\nWhat?'), /: line 2: .*must be a YAML mapping/);
});

test('a front matter never closed is refused on its line, not sent to the model as part of the statement', () => {
  assert.throws(() => parseProblemFile('---\nanswer: 3\n\nWhat is $1+2$?\n'), (err: Error) => {
    assert.ok(err instanceof ProblemFileError);
    assert.equal(err.line, 1);
    assert.match(err.message, /^line 1: .*never closed/);
    return true;
  });
});

test('answers: as written for numbers and unquoted intervals, escapes decoded, an empty one is no answer', () => {
  const answer = (yaml: string) => parseProblemFile(`---\n${yaml}\n---\nWhat?`).answer;
  assert.equal(answer('answer: 0.50'), '0.50');
  assert.equal(answer('answer: [1, 2]'), '[1, 2]');
  assert.equal(answer('answer: "\\\\frac{1}{2}"'), '\\frac{1}{2}');
  assert.equal(answer('answer:'), undefined);
  assert.equal(answer('answer: ""'), undefined);
  assert.equal(parseProblemFile('---\nlevel: Level 3\ntags: algebra\n---\nWhat?').level, 3);
  assert.deepEqual(parseProblemFile('---\nlevel: Level 3\ntags: algebra\n---\nWhat?').tags, ['algebra']);
});

/** Solve and the editor read a problem file the same way: the statement the model gets is the one the
 * checks, lenses and inline results are about, and what one refuses the other reports as an error. */
test('parseProblemFile and the authoring reader agree on tricky files', () => {
  const files = [
    '\uFEFF---\nanswer: 3\n---\nWhat is $1+2$?\n',
    '---\r\nid: a\r\nanswer: "\\\\frac{1}{2}"\r\n---\r\n\r\nWhat is $x$?\r\n',
    '---\n---\nWhat is $x$?',
    '\uFEFF---\r\n---\r\n\r\nWhat is $x$?\r\n',
    '---\nanswer: 3\n\nWhat is $1+2$?\n',
    '\uFEFF---\r\nanswer: 3\r\n\r\nWhat is $1+2$?\r\n',
    'What is $2+2$?\n',
    '\uFEFFWhat is $2+2$?\r\n',
    '  \n---\nanswer: 3\n---\nWhat?',
    '---\nanswer: [3\n---\nWhat?',
    '---\nanswer: 3\nanswer: 4\n---\nWhat?',
    '---\n- 3\n---\nWhat?',
    '---\nanswer: 3\n---\n',
    '',
    '\uFEFF',
    '---',
    '---\nanswer: "a\\tb \\"c\\" \\u00e9"\n---\nWhat?',
    "---\nanswer: 'it''s \\pi'\n---\nWhat?",
    '---\nanswer: |\n  x = 1\n  y = 2\n---\nWhat?',
    '---\nanswer: [1, 2]\n---\nWhat?',
    '---\nanswer: 0.50\n---\nWhat?',
    '---  \nanswer: 3\n---\t\nWhat?\n---\nMore.',
  ];
  for (const text of files) {
    const unit = parseProblemDocument(text, 'p.problem.md').units[0];
    let problem: ReturnType<typeof parseProblemFile> | undefined;
    try {
      problem = parseProblemFile(text);
    } catch (err) {
      assert.ok(err instanceof ProblemFileError, JSON.stringify(text));
    }
    const what = JSON.stringify(text);
    if (unit.readErrors?.length || !unit.statement.text) {
      assert.equal(problem, undefined, `${what}: the editor reports an error, Solve must refuse it`);
      continue;
    }
    assert.ok(problem, `${what}: the editor reads it, Solve must too`);
    assert.equal(problem.text, unit.statement.text, what);
    assert.equal(problem.answer ?? '', unit.answer?.text ?? '', what);
    assert.equal(problem.id, unit.id, what);
  }
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
