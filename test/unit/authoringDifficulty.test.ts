import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { estimateDifficulty, formatDifficulty } from '../../src/core/authoring/difficulty';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 5e-4, `${what}: ${actual} ≉ ${expected}`);

describe('difficulty estimate', () => {
  test('bins by the pass rate: easy from 70%, hard below 30%, medium between', () => {
    const bins = [[10, 10], [7, 10], [69, 100], [3, 10], [29, 100], [0, 8], [1, 1], [0, 1]].map(([c, t]) => estimateDifficulty(c, t).bin);
    assert.deepEqual(bins, ['easy', 'easy', 'medium', 'medium', 'hard', 'hard', 'easy', 'hard']);
  });

  test('the 95% interval is the Wilson score interval (published values)', () => {
    const cases: [number, number, number, number][] = [
      [2, 8, 0.0715, 0.5907],
      [5, 10, 0.2366, 0.7634],
      [0, 10, 0, 0.2775],
      [10, 10, 0.7225, 1],
      [81, 263, 0.2553, 0.3662],
    ];
    for (const [correct, total, low, high] of cases) {
      const e = estimateDifficulty(correct, total);
      close(e.low, low, `${correct}/${total} low`);
      close(e.high, high, `${correct}/${total} high`);
      assert.equal(e.rate, correct / total);
    }
  });

  test('impossible counts are refused', () => {
    assert.throws(() => estimateDifficulty(0, 0), RangeError);
    assert.throws(() => estimateDifficulty(3, 2), RangeError);
    assert.throws(() => estimateDifficulty(-1, 4), RangeError);
    assert.throws(() => estimateDifficulty(1.5, 4), RangeError);
  });

  test('formats as the lens and hover show it', () => {
    assert.equal(formatDifficulty(estimateDifficulty(2, 8), 'qwen2.5:1.5b'), 'hard for qwen2.5:1.5b (2/8 correct, 95% CI 7–59%)');
    assert.equal(formatDifficulty(estimateDifficulty(8, 8), 'llama3.2'), 'easy for llama3.2 (8/8 correct, 95% CI 68–100%)');
  });
});
