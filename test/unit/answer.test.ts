import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { extractBoxed, normalizeAnswer } from '../../src/core/answer/extract';

test('the last \\boxed{} wins and nested braces are kept', () => {
  assert.equal(extractBoxed('try $\\boxed{1}$ no, $\\boxed{\\frac{14}{3}}$.'), '\\frac{14}{3}');
  assert.equal(extractBoxed('\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}'), '\\left( 3, \\frac{\\pi}{2} \\right)');
  assert.equal(extractBoxed('\\fbox{7}'), '7');
  assert.equal(extractBoxed('\\boxed{\\{1,2\\}}'), '\\{1,2\\}');
});

test('no box, or an unclosed one, is no answer', () => {
  assert.equal(extractBoxed('The answer is 7.'), null);
  assert.equal(extractBoxed('\\boxed{\\frac{1}{2}'), null);
});

test('spelling variants of one answer group together', () => {
  const same = ['\\dfrac{14}{3}', '\\frac{14}{3}', ' \\tfrac{14}{3}.', 'x = \\frac{14}{3}', '$\\frac{14}{3}$'];
  assert.equal(new Set(same.map(normalizeAnswer)).size, 1);
  assert.equal(normalizeAnswer('\\left(3, \\frac{\\pi}{2}\\right)'), '(3,\\frac{\\pi}{2})');
  assert.notEqual(normalizeAnswer('\\frac{11}{3}'), normalizeAnswer('\\frac{14}{3}'));
});
