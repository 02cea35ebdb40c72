import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { extractAnswer, type Extraction } from '../../src/core/answer/extract';

/** The extraction, checked to point at the answer's own text in the solution. */
function extract(text: string, opts?: { lastNumberFallback?: boolean }): Extraction | null {
  const found = extractAnswer(text, opts);
  if (found && found.rule !== 'last-number') assert.ok(text.slice(found.start, found.end).includes(found.answer.split(', ')[0]), `span ${found.start}-${found.end} misses ${found.answer}`);
  return found;
}

describe('answer extraction', () => {
  test('the last \\boxed{} wins, with nested braces, and says so', () => {
    const text = 'First $\\boxed{1}$, then we fix it: $\\boxed{\\frac{14}{3}}$.';
    const found = extract(text);
    assert.deepEqual({ answer: found?.answer, rule: found?.rule }, { answer: '\\frac{14}{3}', rule: 'boxed' });
    assert.equal(text.slice(found!.start, found!.end), '\\frac{14}{3}');
    assert.equal(extract('\\fbox{7}')?.answer, '7');
    assert.equal(extract('so \\boxed{\\{1,2\\}}')?.answer, '\\{1,2\\}');
  });

  test('boxes listed together are one list answer; boxes far apart are not', () => {
    assert.equal(extract('The roots are \\(\\boxed{1}\\) and \\(\\boxed{-2}\\).')?.answer, '1, -2');
    assert.equal(extract('$\\boxed{(2, 2)} \\quad \\text{and} \\quad \\boxed{(6, 2)}$')?.answer, '(2, 2), (6, 2)');
    assert.equal(extract('\\boxed{1} is wrong, the answer is \\boxed{2}')?.answer, '2');
  });

  test('\\boxed without braces takes the next token', () => {
    const found = extract('Hence the answer is $\\boxed 9$.');
    assert.deepEqual({ answer: found?.answer, rule: found?.rule }, { answer: '9', rule: 'boxed-unbraced' });
  });

  test('an unclosed box is skipped for the next rule', () => {
    assert.equal(extract('\\boxed{\\frac{1}{2}'), null);
    assert.equal(extract('\\boxed{3 The final answer is $4$. I hope it is correct.')?.rule, 'final-answer');
  });

  test('"The final answer is …" (Minerva format)', () => {
    const found = extract('Thus $x=3$.\nFinal Answer: The final answer is $\\left( \\frac{1}{5}, \\frac{1}{6} \\right)$. I hope it is correct.');
    assert.deepEqual({ answer: found?.answer, rule: found?.rule }, { answer: '\\left( \\frac{1}{5}, \\frac{1}{6} \\right)', rule: 'final-answer' });
    assert.equal(extract('Final Answer: The final answer is 12,000,023. I hope it is correct.')?.answer, '12,000,023');
    assert.equal(extract('Final Answer: The largest $n$ is 34.')?.answer, '34');
  });

  test('a PRM800K "# Answer" block', () => {
    const found = extract('So the sum is 14/3.\n\n# Answer\n\n\\frac{14}{3}\n');
    assert.deepEqual({ answer: found?.answer, rule: found?.rule }, { answer: '\\frac{14}{3}', rule: 'answer-block' });
    assert.deepEqual(pick(extract('So 5 it is.\n\n# Answer 5')), ['5', 'answer-block'], 'or on the heading line');
  });

  test('"the answer is …" takes its math span or the rest of the sentence', () => {
    assert.deepEqual(pick(extract('Adding up, the answer is $2\\sqrt{5}$ units.')), ['2\\sqrt{5}', 'the-answer-is']);
    assert.deepEqual(pick(extract('So the answer is 42. Next we check it.')), ['42', 'the-answer-is']);
  });

  test('rules rank: a box beats "the answer is", which beats a bare number', () => {
    assert.equal(extract('The answer is 5, so $\\boxed{6}$.')?.rule, 'boxed');
    assert.equal(extract('The answer is 5. We used 7 steps.', { lastNumberFallback: true })?.answer, '5');
  });

  test('the last number only when asked for', () => {
    const text = 'We get 1,000 apples and then 12.5 kg.';
    assert.equal(extract(text), null);
    assert.deepEqual(pick(extract(text, { lastNumberFallback: true })), ['12.5', 'last-number']);
    assert.equal(extract('no digits here', { lastNumberFallback: true }), null);
  });

  test('R1-style output: the answer after </think> wins over a box inside the thinking', () => {
    const text = '<think>Maybe \\boxed{3}? Wait, no.</think>\nThe answer is $\\boxed{4}$.';
    const found = extract(text);
    assert.equal(found?.answer, '4');
    assert.equal(text.slice(found!.start, found!.end), '4');
    assert.equal(extract('<think>it is \\boxed{3}</think>\nI am done.')?.answer, '3');
  });
});

function pick(found: Extraction | null): [string, string] | null {
  return found && [found.answer, found.rule];
}
