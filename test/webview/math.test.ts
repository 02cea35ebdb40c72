/** Math in model text: what gets typeset, what stays text, and that text can never become markup. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mathSnippetToHtml, mathTextToHtml, splitMath } from '../../webview/math';

test('finds the four LaTeX delimiters', () => {
  assert.deepEqual(splitMath('a $x$ b $$y$$ c \\(z\\) d \\[w\\]'), [
    { kind: 'text', value: 'a ' }, { kind: 'inline', value: 'x' },
    { kind: 'text', value: ' b ' }, { kind: 'display', value: 'y' },
    { kind: 'text', value: ' c ' }, { kind: 'inline', value: 'z' },
    { kind: 'text', value: ' d ' }, { kind: 'display', value: 'w' },
  ]);
});

test('dollar amounts and escaped dollars stay text', () => {
  assert.deepEqual(splitMath('It costs $5 and $10 in total.'), [{ kind: 'text', value: 'It costs $5 and $10 in total.' }]);
  assert.deepEqual(splitMath('Pay \\$3, then $x+1$.'), [
    { kind: 'text', value: 'Pay $3, then ' }, { kind: 'inline', value: 'x+1' }, { kind: 'text', value: '.' },
  ]);
  assert.deepEqual(splitMath('an unclosed $x'), [{ kind: 'text', value: 'an unclosed $x' }]);
});

test('text is escaped and math is typeset', () => {
  const html = mathTextToHtml('<img src=x onerror=alert(1)> so $\\frac{14}{3}$\nnext');
  assert.ok(!html.includes('<img'), 'markup in model text is shown as text');
  assert.ok(html.startsWith('&lt;img src=x onerror=alert(1)&gt; so '));
  assert.match(html, /class="katex"/);
  assert.match(html, /<br>next$/);
});

test('TeX that KaTeX cannot parse is shown, not thrown', () => {
  assert.match(mathTextToHtml('broken $\\frac{1}{$ here'), /katex-error/);
});

test('tooltips keep about 80 characters and never cut a formula in half', () => {
  const text = `${'word '.repeat(14)}then $\\frac{3(-2)-2}{-2-2} = 2$ and ${'more '.repeat(30)}`;
  const html = mathSnippetToHtml(text);
  assert.match(html, /class="katex"/, 'the formula that starts within the budget is whole');
  assert.ok(html.endsWith('</span>…'), 'cut right after the formula');
  assert.equal(mathSnippetToHtml(`${'x'.repeat(100)} $y$`), `${'x'.repeat(80)}…`);
  assert.ok(!html.includes('more more more more'), 'the rest is cut');
  assert.equal(mathSnippetToHtml('short  \n text'), 'short text');
});
