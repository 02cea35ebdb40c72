import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { plainMath } from '../../src/core/format';

test('answers read as plain text where math cannot be typeset (notifications)', () => {
  const cases: [string, string][] = [
    ['\\frac{14}{3}', '14/3'],
    ['\\dfrac{x+1}{2}', '(x+1)/2'],
    ['2\\sqrt{2}', '2√2'],
    ['\\frac{\\sqrt{3}}{2}', '√3/2'],
    ['\\left(3, \\frac{\\pi}{2}\\right)', '(3, π/2)'],
    ['10^\\circ', '10°'],
    ['\\{1,2\\}', '{1,2}'],
    ['x^{2}+1', 'x^2+1'],
    ['\\text{Monday}', 'Monday'],
    ['[-2, \\infty)', '[-2, ∞)'],
    ['\\operatorname{foo}', '\\operatorname{foo}'],
    // MATH writes short fractions without braces.
    ['\\frac32', '3/2'],
    ['\\frac 13 + \\dfrac{1}2', '1/3 + 1/2'],
    ['\\frac\\pi 2', 'π/2'],
    ['\\lfloor x \\rfloor + \\sum_{k=1}^{n} k', '⌊ x ⌋ + Σ_{k=1}^n k'],
  ];
  for (const [tex, plain] of cases) assert.equal(plainMath(tex), plain, tex);
});
