import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { checkProblemDocument } from '../../src/core/authoring/checks';
import { parseProblemDocument } from '../../src/core/authoring/problemDocument';
import type { CheckOptions, DuplicateMatch, Finding, FindingCode, Fix, Severity } from '../../src/core/authoring/types';

const FIXTURES = 'test/fixtures/authoring/';

/** A benchmark of one problem: any statement mentioning a triangle's interior angles matches it. */
const MATCH: DuplicateMatch = { dataset: 'MATH-500', id: 'test/geometry/1.json', path: '/data/math500.jsonl', line: 3, similarity: 0.93, statement: 'The interior angles of a triangle sum to?' };
const options: CheckOptions = { duplicates: { nearest: (s) => (/interior angles of a triangle/.test(s) ? MATCH : undefined) } };

function check(text: string, file: string, opts = options): Finding[] {
  return checkProblemDocument(parseProblemDocument(text, file), opts);
}

function applyFix(text: string, fix: Fix): string {
  return [...fix.edits].sort((a, b) => b.span.start - a.span.start).reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
}

interface Case {
  file: string;
  code: FindingCode;
  severity: Severity;
  /** The document text under the finding's span. */
  under: string;
  /** Fix title → a line the fixed document contains. */
  fix?: [string, string];
}

const CASES: Case[] = [
  { file: 'yaml-syntax.problem.md', code: 'yaml-syntax', severity: 'error', under: '2' },
  { file: 'front-matter-shape.problem.md', code: 'front-matter-shape', severity: 'error', under: '- 1\n- 2\n' },
  { file: 'keys-and-values.problem.md', code: 'unknown-key', severity: 'warning', under: 'anwser', fix: ['Rename to `answer`', 'answer: 42'] },
  { file: 'keys-and-values.problem.md', code: 'bad-value', severity: 'warning', under: '7' },
  { file: 'keys-and-values.problem.md', code: 'bad-value', severity: 'info', under: 'number theory', fix: ['Change to `Number Theory`', 'subject: Number Theory'] },
  { file: 'keys-and-values.problem.md', code: 'bad-value', severity: 'warning', under: 'extreme' },
  { file: 'keys-and-values.problem.md', code: 'bad-value', severity: 'warning', under: '{a: 1}' },
  { file: 'keys-and-values.problem.md', code: 'missing-answer', severity: 'warning', under: '# Sum of unit fractions', fix: ['Add `answer:` to the front matter', 'answer:\n---'] },
  { file: 'no-front-matter.problem.md', code: 'missing-answer', severity: 'warning', under: 'What is $2+2$?', fix: ['Add `answer:` in a new front matter block', '---\nanswer:\n---\n\nWhat is $2+2$?'] },
  { file: 'empty-answer.problem.md', code: 'empty-answer', severity: 'warning', under: 'answer: ""' },
  { file: 'unreadable-answer.problem.md', code: 'answer-unparsed', severity: 'warning', under: '\\frac{1}{' },
  { file: 'dfrac-answer.problem.md', code: 'prefer-frac', severity: 'hint', under: '\\\\dfrac', fix: ['Write `\\frac`', 'answer: "\\\\frac{14}{3}"'] },
  { file: 'empty-problem.problem.md', code: 'empty-problem', severity: 'error', under: '---' },
  { file: 'math.problem.md', code: 'unbalanced-math', severity: 'error', under: '\\)', fix: ['Remove `\\)`', 'a stray  here.'] },
  { file: 'math.problem.md', code: 'unbalanced-math', severity: 'error', under: '$', fix: ['Escape as `\\$` (a dollar sign, not math)', 'A pen costs \\$5 more'] },
  { file: 'math.problem.md', code: 'unbalanced-brace', severity: 'error', under: '}' },
  { file: 'math.problem.md', code: 'unbalanced-brace', severity: 'error', under: '{' },
  { file: 'math.problem.md', code: 'latex-error', severity: 'error', under: '\\foo' },
  { file: 'math.problem.md', code: 'latex-error', severity: 'error', under: '^' },
  { file: 'problems.jsonl', code: 'bad-value', severity: 'info', under: '"Algebra and geometry"' },
  { file: 'problems.jsonl', code: 'bad-value', severity: 'warning', under: '9' },
  { file: 'problems.jsonl', code: 'prefer-frac', severity: 'hint', under: '\\\\dfrac', fix: ['Write `\\frac`', '"answer": "\\\\frac{7}{2}"'] },
  { file: 'problems.jsonl', code: 'missing-answer', severity: 'warning', under: '{"problem": "How many primes are below $10$?"}', fix: ['Add `answer:` to the record', '{"problem": "How many primes are below $10$?", "answer": ""}'] },
  { file: 'problems.jsonl', code: 'not-json', severity: 'error', under: '"' },
  { file: 'problems.jsonl', code: 'empty-problem', severity: 'error', under: '""' },
  { file: 'problems.jsonl', code: 'answer-unparsed', severity: 'warning', under: '\\\\frac{1}{' },
  { file: 'problems.jsonl', code: 'unbalanced-brace', severity: 'error', under: '{' },
  { file: 'problems.jsonl', code: 'latex-error', severity: 'error', under: '\\\\foo' },
  {
    file: 'problems.jsonl',
    code: 'near-duplicate',
    severity: 'warning',
    under: '{"question": "The sum of the interior angles of a triangle is how many degrees?", "answer": "180", "id": "dup/1"}',
  },
];

for (const c of CASES) {
  test(`${c.file}: ${c.code} (${c.severity}) on \`${c.under.slice(0, 40)}\`${c.fix ? `, fixed by "${c.fix[0]}"` : ''}`, () => {
    const text = readFileSync(FIXTURES + c.file, 'utf8');
    const findings = check(text, c.file);
    const found = findings.find((f) => f.code === c.code && text.slice(f.span.start, f.span.end) === c.under);
    assert.ok(found, `no ${c.code} on ${JSON.stringify(c.under)}; got ${JSON.stringify(findings.map((f) => [f.code, text.slice(f.span.start, f.span.end)]))}`);
    assert.equal(found.severity, c.severity);
    assert.ok(found.message.length > 20, found.message);
    if (!c.fix) return;
    const fix = found.fixes?.find((f) => f.title === c.fix![0]);
    assert.ok(fix, `fixes: ${JSON.stringify(found.fixes?.map((f) => f.title))}`);
    const fixed = applyFix(text, fix);
    assert.ok(fixed.includes(c.fix[1]), fixed);
    const after = check(fixed, c.file).filter((f) => f.code === c.code);
    assert.equal(after.length, findings.filter((f) => f.code === c.code).length - 1, `the ${c.code} finding is gone after the fix`);
  });
}

test('fixtures say nothing they should not: code spans, fenced code, \\$ and [asy] blocks are not math', () => {
  const text = readFileSync(`${FIXTURES}math.problem.md`, 'utf8');
  const findings = check(text, 'math.problem.md');
  const start = text.indexOf('Not math:');
  assert.deepEqual(findings.filter((f) => f.span.start >= start), []);
  assert.equal(findings.length, 6);
});

test('the near-duplicate finding names the benchmark problem, and is skipped for that problem itself or below the threshold', () => {
  const statement = 'The sum of the interior angles of a triangle is how many degrees?';
  const text = `---\nanswer: 180\n---\n\n${statement}\n`;
  const [finding] = check(text, 'dup.problem.md');
  assert.equal(finding.code, 'near-duplicate');
  assert.equal(finding.message, 'Near-duplicate of MATH-500 test/geometry/1.json (similarity 0.93): a contamination risk if this problem is used for evaluation.');
  assert.deepEqual(finding.duplicate, MATCH);
  assert.deepEqual(check(`---\nid: test/geometry/1.json\nanswer: 180\n---\n\n${statement}\n`, 'dup.problem.md'), []);
  assert.deepEqual(check(text, 'dup.problem.md', { ...options, duplicateThreshold: 0.95 }), []);
  assert.deepEqual(check(text, 'dup.problem.md', {}), [], 'no finder, no contamination check');
});

test('a front matter that is never closed is reported on its `---`, and no "add answer" fix writes a second block above it', () => {
  const text = '\uFEFF---\r\nanswer: 3\r\n\r\nWhat is $1+2$?\r\n';
  const findings = check(text, 'open.problem.md');
  assert.deepEqual(findings.map((f) => [f.code, f.severity, text.slice(f.span.start, f.span.end)]), [['front-matter-shape', 'error', '---']]);
  assert.match(findings[0].message, /never closed/);
  assert.deepEqual(check('---\nanswer: 3\n---\nWhat is $1+2$?\n', 'closed.problem.md'), []);
  assert.ok(!check('---', 'typing.problem.md').some((f) => f.code === 'front-matter-shape'), 'a lone `---` being typed is not yet a front matter');
});

test('a lone $ before a digit in a problem set offers escaping it, JSON-escaped', () => {
  const text = '{"problem": "It costs $5.", "answer": "5"}\n';
  const finding = check(text, 'set.jsonl').find((f) => f.code === 'unbalanced-math')!;
  const escape = finding.fixes!.find((f) => f.title.startsWith('Escape'))!;
  const fixed = applyFix(text, escape);
  assert.equal(fixed, '{"problem": "It costs \\\\$5.", "answer": "5"}\n');
  assert.equal(JSON.parse(fixed).problem, 'It costs \\$5.');
  assert.deepEqual(check(fixed, 'set.jsonl'), []);
});

test('two prices in one paragraph are not one formula: the first `$` is reported, while MATH\'s `$\\$$1500` and `$5x = 10$` stay math', () => {
  const text = '---\nanswer: 15\n---\n\nA pen costs $5 and a book $10. How much for both?\n';
  const findings = check(text, 'prices.problem.md');
  assert.deepEqual(findings.map((f) => [f.code, f.span.start]), [['unbalanced-math', text.indexOf('$5')]]);
  const escaped = applyFix(text, findings[0].fixes!.find((f) => f.title.startsWith('Escape'))!);
  assert.deepEqual(check(escaped, 'prices.problem.md').map((f) => [f.code, f.span.start]), [['unbalanced-math', escaped.indexOf('$10')]], 'then the second price');
  assert.deepEqual(check('---\nanswer: 2500\n---\n\nIt costs $\\$$1500 or $\\$$2500. If $5x = 10$ and $2y=4$, find $x+y$.\n', 'ok.problem.md'), []);
});

test('legitimate answers are not "unparsed": text, choices, tuples, intervals, sets, units', () => {
  for (const answer of ['\\text{Evelyn}', '\\text{(C)}', '(3, -2)', '[0, 1)', '\\{1, 2\\}', '864 \\mbox{ inches}^2', '1, 2, 3', 'x = 5', '\\$18.90']) {
    const text = `${JSON.stringify({ problem: 'Q?', answer })}\n`;
    assert.deepEqual(check(text, 'set.jsonl').map((f) => f.code), [], answer);
  }
});

test('MATH-500 as a problem set has no error findings, only two \\dfrac hints', () => {
  const text = readFileSync('media/samples/math500.jsonl', 'utf8');
  const findings = check(text, 'math500.jsonl', {});
  assert.deepEqual(findings.filter((f) => f.severity === 'error'), []);
  assert.deepEqual(findings.map((f) => `${f.code}: ${text.slice(f.span.start, f.span.end)}`), ['prefer-frac: \\\\dfrac', 'prefer-frac: \\\\dfrac']);
});

test('checking stops when the request is cancelled', () => {
  const text = '{"problem": "Q?"}\n'.repeat(10);
  let polls = 0;
  const findings = checkProblemDocument(parseProblemDocument(text, 'set.jsonl'), { isCancelled: () => ++polls > 3 });
  assert.equal(findings.length, 3, 'three records checked (each misses its answer), then it stops');
});

test('a trace file is not checked', () => {
  const text = readFileSync(`${FIXTURES}processbench-trace.jsonl`, 'utf8');
  assert.deepEqual(check(text, 'processbench-trace.jsonl'), []);
});
