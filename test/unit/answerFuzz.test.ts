import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { extractAnswer } from '../../src/core/answer/extract';
import { answerKey, gradeAnswer, type Verdict } from '../../src/core/answer/grade';

/** Pieces of LaTeX answers and of the ways they go wrong: unbalanced braces, huge powers, deep nesting. */
const piece = fc.constantFrom(
  '\\frac{', '}{', '}', '{', '\\sqrt', '\\sqrt[3]{', '^{', '_{', '\\left(', '\\right)', '(', ')', '[', ']', '\\{', '\\}',
  ',', ';', '=', '<', '\\le', '\\ge', '\\ne', '\\in', '\\pm', '\\cup', '\\approx', '\\infty', '\\pi', 'e', 'i', 'x', 'y', 'a_1',
  '\\text{', '\\text{ cm}', '\\%', '\\$', '^\\circ', '\\boxed{', '\\fbox', '$', '\\(', '\\)', '\\\\', '&', '\\begin{pmatrix}',
  '\\end{pmatrix}', '\\begin{array}{cc}', '\\end{array}', '!', '10^{10^{10}}', '9^{9^{9}}', '1000000!', '\\binom{', '\\sin', '\\log_',
  '1', '0', '-', '+', '.', '1,000', '0.5', '1e5', '\\dfrac34', ' and ', ' or ', '\\quad', '\\,', '\\!', ' ', '\\', '</think>',
);
const nastyLatex = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 60 }), nastyLatex);

function assertVerdict(v: Verdict): void {
  assert.equal(typeof v.equal, 'boolean');
  assert.ok(v.reason.length > 0 && v.reason.length < 400, v.reason);
}

// The test-level timeout is a hang guard: a comparison that ignored its time limit would trip it.
const guard = { timeout: 120_000 };

test('grading arbitrary strings and nasty LaTeX never throws and always gives a reason', guard, () => {
  fc.assert(
    fc.property(anyText, anyText, (pred, gold) => {
      assertVerdict(gradeAnswer(pred, gold, { timeLimitMs: 200 }));
    }),
    { numRuns: 600, seed: 7 },
  );
});

test('every non-blank answer equals itself, however strange', guard, () => {
  fc.assert(
    fc.property(anyText.filter((s) => s.trim().length > 0), (answer) => {
      assert.equal(gradeAnswer(answer, answer).equal, true);
    }),
    { numRuns: 400, seed: 11 },
  );
});

test('extraction never throws and its span lies inside the text', guard, () => {
  const solution = fc.array(fc.oneof(piece, fc.constantFrom('The final answer is ', '# Answer\n\n', 'the answer is ', '. I hope it is correct.', '\n\n', 'Final Answer: ')), { maxLength: 40 }).map((p) => p.join(''));
  fc.assert(
    fc.property(fc.oneof(anyText, solution), fc.boolean(), (text, lastNumberFallback) => {
      const found = extractAnswer(text, { lastNumberFallback });
      if (!found) return;
      assert.ok(found.answer.length > 0);
      assert.ok(found.start >= 0 && found.start <= found.end && found.end <= text.length, `${found.start}-${found.end} of ${text.length}`);
    }),
    { numRuns: 800, seed: 3 },
  );
});

test('equal keys mean equal grades, on answers built from random rationals', guard, () => {
  const nonZero = fc.integer({ min: -999, max: 999 }).filter((n) => n !== 0);
  const spelling = fc.tuple(fc.integer({ min: -999, max: 999 }), nonZero, fc.constantFrom('frac', 'dfrac', 'slash', 'x=', 'box'))
    .map(([n, d, style]) => {
      const sign = n * d < 0 ? '-' : '';
      const [a, b] = [Math.abs(n), Math.abs(d)];
      if (style === 'slash') return `${sign}${a}/${b}`;
      if (style === 'x=') return `x = ${sign}\\frac{${a}}{${b}}`;
      if (style === 'box') return `\\boxed{${sign}\\frac{${a}}{${b}}}`;
      return `${sign}\\${style}{${a}}{${b}}`;
    });
  fc.assert(
    fc.property(spelling, spelling, (a, b) => {
      const v = gradeAnswer(a, b);
      if (answerKey(a) === answerKey(b)) assert.equal(v.equal, true, `${a} | ${b}: ${v.reason}`);
      // Exact rationals: the key decides, both ways.
      assert.equal(v.equal, answerKey(a) === answerKey(b), `${a} | ${b}: ${v.reason}`);
    }),
    { numRuns: 500, seed: 5 },
  );
});
