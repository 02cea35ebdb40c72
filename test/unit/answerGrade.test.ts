import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { answerKey, gradeAnswer } from '../../src/core/answer/grade';

function equal(pred: string, gold: string, reason?: RegExp): void {
  const v = gradeAnswer(pred, gold);
  assert.equal(v.equal, true, `${pred} vs ${gold}: ${v.reason}`);
  if (reason) assert.match(v.reason, reason);
}

function notEqual(pred: string, gold: string, reason?: RegExp): void {
  const v = gradeAnswer(pred, gold);
  assert.equal(v.equal, false, `${pred} vs ${gold}: ${v.reason}`);
  if (reason) assert.match(v.reason, reason);
}

describe('grading numbers exactly', () => {
  test('fractions, mixed numbers, decimals and scientific notation as rationals', () => {
    equal('\\dfrac{28}{6}', '14/3', /^equal as rationals 14\/3$/);
    equal('4\\frac{2}{3}', '\\frac{14}{3}', /rationals 14\/3/);
    equal('.0000672', '6.72\\times10^{-5}', /rationals 21\/312500/);
    equal('1.5e3', '1500');
    notEqual('\\frac{11}{3}', '\\frac{14}{3}', /different numbers: 11\/3 vs 14\/3/);
  });

  test('thousands separators only where they cannot be a list', () => {
    equal('7,425,000', '7425000');
    equal('11,\\! 111,\\! 111,\\! 100', '11111111100');
    equal('14{,}916', '14916');
    notEqual('32, 349', '32349', /list/);
  });

  test('an approximation is never the exact value, and the reason says which is which', () => {
    notEqual('1.414', '\\sqrt2', /^1\.414 is an approximation of \\sqrt\{2\}$/);
    notEqual('0.33', '\\frac{1}{3}', /0\.33 is an approximation of \\frac\{1\}\{3\}/);
    notEqual('3.14159265358979', '\\pi', /approximation/);
    notEqual('3.5', '\\pi', /different values/);
    equal('0.5\\pi', '\\frac{\\pi}{2}', /symbolically equal/);
  });

  test('units, degrees, percent and dollars are dropped', () => {
    equal('15\\mbox{ cm}^2', '15');
    equal('125 miles', '125');
    equal('90^\\circ', '90');
    equal('28 percent', '28\\%');
    equal('\\$32,\\!348', '32348');
    notEqual('\\$36', '\\$63');
  });
});

describe('grading expressions symbolically', () => {
  test('equal canonical forms, or equal values at sample points, with the variables named', () => {
    equal('\\frac{11+9a}{20}', '\\frac{9a+11}{20}', /symbolically equal/);
    equal('\\tan^2(y)+1', '\\sec^2(y)', /functions of y \(agree at 6 sample points\)/);
    equal('\\sqrt{8}', '2\\sqrt{2}', /equal in value \(≈ 2\.82843\)/);
    notEqual('(a+5)(b+2)', '(a+2)(b+5)', /different expressions \(at a = .*, b = /);
  });

  test('complex numbers, factorials, binomials and logarithms', () => {
    equal('6 - 5i', '-5i + 6');
    notEqual('6 - 5i', '6 + 5i');
    equal('5!', '120');
    equal('\\binom{5}{2}', '10');
    equal('\\log_2 8', '3');
  });

  test('math symbols keep their case; text and choice letters do not', () => {
    notEqual('x', 'X', /different expressions/);
    equal('\\text{Evelyn}', 'evelyn', /same text, ignoring case/);
    equal('\\text{(C)}', 'C', /same choice \(C\)/);
    notEqual('\\text{(C)}', '\\text{(D)}', /different choices/);
    equal('4:30 \\text{ p.m.}', '\\text{4:30 p.m.}', /same text, ignoring case and spacing/);
  });

  test('input the parser cannot read is compared as text', () => {
    equal('\\foo{1}', '\\foo{1}', /identical after normalisation/);
    notEqual('\\frac{', '\\frac{1}{2}', /cannot read \\frac\{ as math/);
  });
});

describe('grading structures', () => {
  test('tuples in order, lists and sets in any order', () => {
    equal('\\left( 3, \\frac{\\pi}{2} \\right)', '(3, \\dfrac{\\pi}{2})', /all 2 elements equal in order/);
    notEqual('(3, \\frac{\\pi}{2})', '(\\frac{\\pi}{2}, 3)', /element 1 differs/);
    notEqual('(1,-16,-4,43)', '(1,-16,-4)', /different tuple lengths \(4 vs 3\)/);
    equal('\\{1,2\\}', '2, 1', /same 2 answers in any order/);
    notEqual('3, 5, 7', '3, 5', /7 is not among gold's answers \(3 vs 2\)/);
    equal('(15,-29)', '15, -29');
  });

  test('\\pm gives both values', () => {
    equal('1 \\pm \\sqrt{19}', '1-\\sqrt{19}, 1+\\sqrt{19}');
    notEqual('3 \\pm 2\\sqrt2', '3+2\\sqrt2', /pred is a list, gold is a value/);
  });

  test('intervals by their ends, unions in any order, inequalities as intervals', () => {
    notEqual('(3,4]', '[3,4]', /different brackets: \(…\] vs \[…\]/);
    equal('(2,\\infty)', '(2, +\\infty)');
    equal('(0,9) \\cup (9,36)', '(9,36)\\cup(0,9)', /same 2 parts of the union in any order/);
    equal('x \\in [-2,7]', '[-2,7]', /"x \\in" dropped/);
    equal('-2 \\le x \\le 7', '[-2, 7]', /the inequality as an interval/);
    notEqual('x > 5', '[5, \\infty)');
  });

  test('matrices entry by entry; a column vector may be written as a tuple', () => {
    equal('\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}', '\\begin{bmatrix}-1&0\\\\0&-1\\end{bmatrix}', /equal 2×2 matrices/);
    notEqual('\\begin{pmatrix} 1 & 2 \\end{pmatrix}', '\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}', /different matrix shapes \(1×2 vs 2×1\)/);
    equal('\\begin{pmatrix} -2 \\\\ -14 \\\\ -7 \\end{pmatrix}', '(-2, -14, -7)', /vector written as a tuple/);
  });

  test('x = prefixes are dropped when the left side only names the value', () => {
    equal('x = 5', '5', /pred's "x =" dropped/);
    equal('(p,q) = (3,2)', '(3,2)');
    equal('x = 5 + 5 + 1 = 11', '11');
    notEqual('7 = 11a + c', '11a + c', /pred is an equation, gold is a value/);
    equal('a_3 = 2, a_{37} = 19', 'a_{37} = 19, a_3 = 2');
    notEqual('a_3 = 2, a_{37} = 19', 'a_3 = 19, a_{37} = 2');
  });

  test('equations match up to a constant factor, inequalities up to a positive one', () => {
    equal('y = 2x + 3', 'y=3+2x');
    equal('2x+4y-3=0', 'y=-\\frac{1}{2}x+\\frac{3}{4}', /equivalent \(one is 4 times the other\)/);
    notEqual('x^2 + y^2 = 1', 'x^2 + y^2 = 2', /not a constant multiple/);
    equal('-x > -1', 'x < 1', /same relation rearranged/);
    notEqual('x \\ge 5', 'x \\le 5');
    notEqual('x < 3', 'x \\le 3', /\(…\) vs \(…\]/);
  });
});

describe('limits and bad input', () => {
  test('a comparison past its time limit is not equal, and says so', () => {
    const v = gradeAnswer('\\tan^2(y)+1', '\\sec^2(y)', { timeLimitMs: 0 });
    assert.deepEqual(v, { equal: false, reason: 'timed out after 0 ms: treated as not equal' });
  });

  test('huge powers and factorials are refused quickly instead of computed', () => {
    notEqual('10^{10^{10}}', '1', /cannot evaluate/);
    notEqual('1000000!', '5', /cannot evaluate/);
    // A literal the parser would expand digit by digit (spaces do not split it for the parser).
    notEqual('1e5 1000000!', '1', /cannot read/);
  });

  test('empty answers are never equal', () => {
    notEqual('', '5', /pred is empty/);
    notEqual('5', '  ', /gold is empty/);
  });
});

describe('answerKey', () => {
  test('equal answers share a key for voting', () => {
    const groups = [
      ['\\dfrac{28}{6}', '14/3', '4\\frac{2}{3}', 'x = \\frac{14}{3}', '$\\frac{14}{3}$'],
      ['\\{2, 1\\}', '1, 2', 'x = 1, x = 2'].slice(0, 2),
      ['\\text{(C)}', '(C)', '\\textbf{(C)}'],
      ['\\frac{11+9a}{20}', '\\frac{9a+11}{20}'],
    ];
    for (const group of groups) assert.equal(new Set(group.map(answerKey)).size, 1, group.join(' | '));
  });

  test('different answers keep different keys', () => {
    const keys = ['14/3', '11/3', '(1,2)', '[1,2]', '1, 2', '\\text{(D)}', 'a_3 = 2, a_{37} = 19', 'a_3 = 19, a_{37} = 2'].map(answerKey);
    assert.equal(new Set(keys).size, keys.length);
  });
});
