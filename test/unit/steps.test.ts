import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { splitSteps } from '../../src/core/search/prompt';
import { StepStream } from '../../src/core/search/stepStream';
import type { TokenLogprob } from '../../src/core/model/types';

const chain = 'First we expand.\n\nThen $x = 2$.\n\n\nSo the answer is $\\boxed{2}$.';

function tokensOf(text: string): TokenLogprob[] {
  return (text.match(/\s*\S+|\s+/g) ?? []).map((token, i) => ({ token, logprob: -i / 100 }));
}

test('steps are cut at blank lines as the text streams in, in any chunking', () => {
  for (const size of [1, 3, 7, chain.length]) {
    const stream = new StepStream();
    const steps: string[] = [];
    for (let i = 0; i < chain.length; i += size) steps.push(...stream.push(chain.slice(i, i + size)).map((s) => s.text));
    const last = stream.flush();
    if (last) steps.push(last.text);
    assert.deepEqual(steps, ['First we expand.', 'Then $x = 2$.', 'So the answer is $\\boxed{2}$.'], `chunk size ${size}`);
  }
});

test('a step is emitted as soon as its blank line arrives, not at the end', () => {
  const stream = new StepStream();
  assert.deepEqual(stream.push('First we expand.\n'), []);
  assert.deepEqual(stream.push('\nThen').map((s) => s.text), ['First we expand.']);
  assert.equal(stream.partial, 'Then');
});

test('each token goes to the step its text starts in, and none is lost', () => {
  const tokens = tokensOf(chain);
  const stream = new StepStream();
  const steps = tokens.flatMap((t) => stream.push(t.token, [t]));
  const last = stream.flush();
  if (last) steps.push(last);
  assert.equal(steps.length, 3);
  assert.equal(steps.reduce((n, s) => n + s.tokens.length, 0), tokens.length);
  for (const s of steps) assert.equal(s.tokens.map((t) => t.token).join('').trim(), s.text);
});

test('splitSteps agrees with the streaming cutter and drops empty paragraphs', () => {
  assert.deepEqual(splitSteps(chain), ['First we expand.', 'Then $x = 2$.', 'So the answer is $\\boxed{2}$.']);
  assert.deepEqual(splitSteps('\n\n  \n\nonly\n \n'), ['only']);
});
