/** Self-correction points: the detector against the labelled excerpts (precision and recall may not
 * fall below what was measured when the set was made), the false-positive traps one by one, the
 * lexicon's configuration, the effect read from the answers around a point, and a run over the real
 * long traces next to the repository when they are there. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeSelfCorrections, findSelfCorrections, Lexicon, MARKER_NAMES } from '../../src/core/analysis/selfCorrection';
import { statedAnswers } from '../../src/core/analysis/correctionEffect';
import { KINDS, loadExcerpts, scoreDetector } from '../fixtures/self-corrections/score';

const gold = (answer: string) => ({ kind: 'gold' as const, answer });
const markers = (text: string, lexicon?: Lexicon) => findSelfCorrections(text, lexicon).map((p) => `${p.marker}:${p.kind}`);

describe('the labelled excerpts', () => {
  const excerpts = loadExcerpts();

  test('are many, cover every kind and trap, and their labels point at their markers', () => {
    assert.ok(excerpts.length >= 60);
    assert.ok(excerpts.filter((e) => e.points.length === 0).length >= 20, 'excerpts without a self-correction');
    for (const kind of KINDS) assert.ok(excerpts.filter((e) => e.points.some((p) => p.kind === kind)).length >= 10, kind);
    for (const e of excerpts) for (const p of e.points) assert.equal(e.text.slice(p.start, p.end), p.marker, e.id);
    const traps = excerpts.map((e) => e.trap ?? '').join(' ');
    for (const trap of ['await', 'waiting', 'butane', 'a wait of', 'wait time', 'quoted', '\\text{}', 'actually" inside', 'mid-sentence', 'single quotes', 'code']) {
      assert.ok(traps.includes(trap), `a trap for ${trap}`);
    }
  });

  test('precision and recall stay at the measured level (0.99 and 1.0 when the set was made)', () => {
    const scores = scoreDetector(excerpts, (text, reference) => analyzeSelfCorrections(text, { reference }));
    const report = JSON.stringify(scores.misses, null, 1);
    assert.ok(scores.overall.precision >= 0.97, `precision ${scores.overall.precision}: ${report}`);
    assert.ok(scores.overall.recall >= 0.97, `recall ${scores.overall.recall}: ${report}`);
    for (const kind of KINDS) {
      assert.ok(scores.byKind[kind].precision >= 0.85 && scores.byKind[kind].recall >= 0.9, `${kind}: ${JSON.stringify(scores.byKind[kind])} ${report}`);
    }
    assert.ok(scores.kindAccuracy >= 0.95, `kind accuracy ${scores.kindAccuracy}: ${report}`);
    assert.ok(scores.effect.accuracy >= 0.75, `effect accuracy ${scores.effect.accuracy}: ${report}`);
  });
});

describe('markers and what is not one', () => {
  test('the words as ordinary English are no markers', () => {
    for (const text of [
      'We await the signal while the others are waiting.',
      'Butane has four carbons. But the question asks for hydrogens.',
      'There was a wait of 5 minutes, and the total wait time is 60 minutes. Wait times add.',
      'She can\'t wait to see it. The sum can alternatively be written as $S$.',
      'The numerator is actually a perfect square.',
      'Hold on to the rope. The tower is 3 hm tall.',
      'Let me check each residue modulo 5. Let me check whether 91 is prime.',
      'Substituting $x = 97$ back into the first equation, we get $y = 94$.',
      'Option (A) is incorrect because 3 does not divide 20.',
    ]) assert.deepEqual(markers(text), [], text);
  });

  test('quotations, math, \\text{…} and code never hold a marker', () => {
    for (const text of [
      'The sign says "Wait for the green light", so she waits.',
      'He said “Hmm, check your units” and left.',
      "The word 'actually' has eight letters.",
      'We write $P(\\text{actually defective}) = 0.02$ and \\[ T_{\\text{wait}} = W + S \\]',
      'The line `wait(5)` pauses the program.',
      '\\text{Hmm, this is wrong}',
    ]) assert.deepEqual(markers(text), [], text);
    assert.deepEqual(markers('It costs $5. Wait, that is per item.'), ['Wait:reflection'], 'a stray dollar is no math');
  });

  test('each kind, with the words after the marker deciding', () => {
    assert.deepEqual(markers('So x = 5. Wait, let me check that.'), ['Wait:verification']);
    assert.deepEqual(markers('Hmm, maybe another approach would be cleaner.'), ['Hmm:alternative']);
    assert.deepEqual(markers('So $15 \\cdot 4 = 56$. Wait, no, it is 60.'), ['Wait:correction']);
    assert.deepEqual(markers('Wait, is that right? Alternatively, count the complement.'), ['Wait:reflection', 'Alternatively:alternative']);
    assert.deepEqual(markers('Wait a second, let me double-check my steps to make sure I didn\'t make a mistake.'), ['Wait a second:verification'], 'a denied mistake is no correction');
    assert.deepEqual(markers('So x = 5, wait, no, x = 6.'), ['wait:correction'], 'after a comma mid-sentence');
    assert.deepEqual(markers('**Wait**, the modulus is 12, not 10.'), ['Wait:correction']);
  });

  test('markers in a row are one point; a new sentence with new content is another', () => {
    assert.deepEqual(markers('But wait. Let me double-check.'), ['But wait:verification']);
    assert.deepEqual(markers('Wait, the interest compounds, so I was wrong to use simple interest.'), ['Wait:correction']);
    assert.deepEqual(markers('Wait, that seems off. Wait, no, g is different.'), ['Wait:correction', 'Wait:correction']);
  });

  test('typographic apostrophes read like straight ones', () => {
    assert.deepEqual(markers('That’s not right: the sum is 7.'), ['That’s not right:correction']);
  });
});

describe('configuring the lexicon', () => {
  test('extra markers count where a clause opens; disabled markers are gone', () => {
    const lexicon = new Lexicon({ extraMarkers: ['let me see again', { phrase: 'Eureka', kind: 'correction' }], disabledMarkers: ['Hmm', 'alternatively'] });
    assert.deepEqual(markers('Hmm. Let me see again. Alternatively, draw it. Eureka! It is 7.', lexicon), ['Let me see again:reflection', 'Eureka:correction']);
    assert.deepEqual(markers('we will let me see again', lexicon), []);
  });

  test('a marker name that does not exist is an error that lists the names', () => {
    assert.throws(() => new Lexicon({ disabledMarkers: ['wiat'] }), (err: Error) => err.message.includes('unknown self-correction marker "wiat"') && err.message.includes(MARKER_NAMES.join(', ')));
    assert.throws(() => new Lexicon({ extraMarkers: ['  '] }), /empty/);
    assert.throws(() => new Lexicon({ extraMarkers: [{ phrase: 'oh', kind: 'bogus' as never }] }), /kind must be one of/);
  });
});

describe('the effect of a point', () => {
  const effectOf = (text: string, answer?: string) => analyzeSelfCorrections(text, { reference: answer === undefined ? undefined : gold(answer) })
    .map(({ effect, before, after }) => ({ effect, ...(before !== undefined && { before }), ...(after !== undefined && { after }) }));

  test('fixed, broke, confirmed, changed and unknown', () => {
    assert.deepEqual(effectOf('So the answer is $56$. Wait, $15 \\cdot 4$ is $60$, not $56$. The answer is $\\boxed{60}$.', '60'), [{ effect: 'fixed', before: '56', after: '60' }]);
    assert.deepEqual(effectOf('So the answer is $28$. Wait, I counted twice. The answer is $56$.', '28'), [{ effect: 'broke', before: '28', after: '56' }]);
    assert.deepEqual(effectOf('Thus the answer is $\\boxed{42}$. Wait, let me check: $6 \\cdot 7 = 42$. Yes, the answer is $42$.', '42'), [{ effect: 'confirmed', before: '42', after: '42' }]);
    assert.deepEqual(effectOf('So $f(3) = 3$. Wait, no, $f(3) = 9 + 6 = 15$.'), [{ effect: 'changed', before: '3', after: '15' }]);
    assert.deepEqual(effectOf('I will try something. Hmm, this is hard.'), [{ effect: 'unknown' }]);
  });

  test('equivalent answers are the same answer, and both answers wrong but different is a change', () => {
    assert.deepEqual(effectOf('The answer is $\\frac{1}{2}$. Wait, let me verify. The answer is $0.5$.', '1/2').map((e) => e.effect), ['confirmed']);
    assert.deepEqual(effectOf('The answer is $3$. Wait, no. The answer is $4$.', '5').map((e) => e.effect), ['changed']);
  });

  test('the answers a text states: boxes, answer sentences and the values that close a sentence', () => {
    const text = 'We get $x = 3$. So $y = 2x = 6$ cm. Then $13 \\cdot 17$ is big. The answer is 7. \\boxed{8}';
    assert.deepEqual(statedAnswers(text).map((a) => [a.answer, a.strength]), [['3', 'result'], ['6', 'result'], ['7', 'final'], ['8', 'final']]);
  });
});

const REAL_DATA = path.resolve('..', 'shared', 'data');

test('on the real long traces next to the repository every kind turns up, and the Sky-T1 traces that say "Wait," all get points',
  { skip: fs.existsSync(path.join(REAL_DATA, 'long-cot')) ? false : `the real traces are not at ${path.relative(process.cwd(), REAL_DATA)}` },
  () => {
    const counts = Object.fromEntries(KINDS.map((k) => [k, 0]));
    for (const line of fs.readFileSync(path.join(REAL_DATA, 'long-cot', 'sky-t1-32b-aime24.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const text = (JSON.parse(line) as { code: string[] }).code[0];
      const points = findSelfCorrections(text);
      if (text.includes('Wait,')) assert.ok(points.some((p) => p.marker === 'Wait'));
      for (const p of points) counts[p.kind]++;
    }
    for (const kind of KINDS) assert.ok(counts[kind] > 20, `${kind}: ${counts[kind]}`);
  });
