import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AnswerBallot } from '../../src/core/answer/ballot';

describe('answer ballot', () => {
  test('equivalent answers pool their votes under the first form seen', () => {
    const ballot = new AnswerBallot();
    for (const raw of ['\\frac12', '0.5', '1/2', '\\dfrac{1}{2}', '3']) ballot.cast(raw);
    assert.deepEqual(ballot.result(), { answer: '\\frac12', votes: { '\\frac12': 4, '3': 1 } });
  });

  test('symbolically equal forms with different shapes are one group', () => {
    const ballot = new AnswerBallot();
    assert.equal(ballot.cast('2\\sqrt2').normalized, '2\\sqrt2');
    assert.equal(ballot.cast('\\sqrt8').normalized, '2\\sqrt2');
    assert.equal(ballot.cast('2.828').normalized, '2.828', 'an approximation is its own answer');
    assert.deepEqual(ballot.result().votes, { '2\\sqrt2': 2, '2.828': 1 });
  });

  test('each answer is graded against gold with a reason; the winner carries its group verdict', () => {
    const ballot = new AnswerBallot('\\left( 3, \\frac{\\pi}{2} \\right)');
    const right = ballot.cast('(3,\\pi/2)');
    assert.equal(right.correct, true);
    assert.ok(right.reason, 'says why it is equal');
    const wrong = ballot.cast('(3, \\pi)');
    assert.equal(wrong.correct, false);
    ballot.cast('\\left(3,\\frac\\pi2\\right)');
    assert.deepEqual(ballot.result(), { answer: '(3,\\pi/2)', votes: { '(3,\\pi/2)': 2, '(3,\\pi)': 1 }, correct: true });
  });

  test('without gold nothing is called correct; a source verdict stands in for it', () => {
    const open = new AnswerBallot();
    assert.deepEqual(open.cast('7'), { normalized: '7' });
    assert.equal(open.result().correct, undefined);
    const labelled = new AnswerBallot('8');
    assert.deepEqual(labelled.cast('7', { correct: true }), { normalized: '7', correct: true }, 'the dataset label wins over the gold check');
  });

  test('a tie goes to the answer seen first; an empty ballot has no answer', () => {
    const ballot = new AnswerBallot();
    for (const raw of ['5', '6', '6', '5']) ballot.cast(raw);
    assert.equal(ballot.result().answer, '5');
    assert.deepEqual(new AnswerBallot().result(), { answer: null, votes: {} });
  });

  test('different answers that normalise to the same text keep separate groups and votes', () => {
    const ballot = new AnswerBallot('3\\sqrt2');
    const threeRootTwo = ballot.cast('\\sqrt 2 3');
    const rootTwentyThree = ballot.cast('\\sqrt23');
    ballot.cast('\\sqrt{23}');
    assert.notEqual(threeRootTwo.normalized, rootTwentyThree.normalized);
    assert.equal(threeRootTwo.correct, true);
    assert.equal(rootTwentyThree.correct, false);
    assert.deepEqual(Object.values(ballot.result().votes).sort(), [1, 2]);
  });
});
