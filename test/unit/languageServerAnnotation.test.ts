import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formatRunAnnotation } from '../../src/server/annotation';
import type { ProblemRunResult } from '../../src/server/protocol';

const run: ProblemRunResult = {
  uri: 'file:///w/sum.problem.md',
  statement: 'What is $40 + 2$?',
  runFile: '/w/.reasonscope/runs/sum.run.jsonl',
  model: 'qwen2.5:1.5b',
  strategy: 'majority',
  status: 'completed',
  answered: 8,
  correct: 7,
  majority: '42',
  majorityCorrect: true,
  finishedAt: '2025-06-01T10:00:00.000Z',
};

test('a graded run reads as ✓ correct/answered, the majority and the difficulty bin for the model', () => {
  const { label, tooltip } = formatRunAnnotation(run);
  assert.equal(label, '✓ 7/8 · majority 42 · easy for qwen2.5:1.5b');
  assert.match(tooltip, /majority/i);
  assert.match(tooltip, /easy for qwen2\.5:1\.5b \(7\/8 correct, 95% CI \d+–\d+%\)/);
  assert.match(tooltip, /sum\.run\.jsonl/);
});

test('a wrong majority gets ✗, and the answer is shown as plain text, not LaTeX', () => {
  const { label } = formatRunAnnotation({ ...run, correct: 2, majority: '\\frac{14}{3}', majorityCorrect: false });
  assert.equal(label, '✗ 2/8 · majority 14/3 · hard for qwen2.5:1.5b');
});

test('without a gold answer the run is counted, not graded', () => {
  const { label, tooltip } = formatRunAnnotation({ ...run, correct: undefined, majorityCorrect: undefined });
  assert.equal(label, '8 answered · majority 42');
  assert.doesNotMatch(tooltip, /Difficulty/);
});

test('cancelled and failed runs say so', () => {
  assert.equal(formatRunAnnotation({ ...run, status: 'cancelled', answered: 3, correct: 1, majority: '42', majorityCorrect: true }).label, 'run cancelled · ✓ 1/3 · majority 42 · medium for qwen2.5:1.5b');
  assert.equal(formatRunAnnotation({ ...run, status: 'failed', answered: 0, correct: 0, majority: undefined, majorityCorrect: undefined }).label, 'run failed · 0 answered');
});
