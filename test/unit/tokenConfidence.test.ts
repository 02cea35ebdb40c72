/** Token confidence: the numbers a hover shows for one token, and the dips that point a reader at
 * the surprising places of a chain, on made-up tokens and on a run recorded from the test server
 * (whose wrong step opens with a low-probability token). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { confidenceDips, confidenceProfile, tokenConfidence } from '../../src/core/analysis/tokenConfidence';
import type { TokenLogprob } from '../../src/core/model/types';
import { parseRunText } from '../../src/core/trace/parse';
import { pathTo, replay } from '../../src/core/trace/tree';

const close = (a: number | undefined, b: number, eps = 1e-9) => assert.ok(a !== undefined && Math.abs(a - b) < eps, `${a} ≉ ${b}`);
const confident = (token: string): TokenLogprob => ({ token, logprob: Math.log(0.95), top: [{ token, logprob: Math.log(0.95) }, { token: '?', logprob: Math.log(0.03) }] });

describe('one token', () => {
  test('logprob, surprisal, top-k entropy and the margin between the two likeliest', () => {
    const c = tokenConfidence({ token: 'a', logprob: Math.log(0.5), top: [{ token: 'a', logprob: Math.log(0.5) }, { token: 'b', logprob: Math.log(0.5) }] });
    close(c.surprisal, Math.LN2);
    close(c.entropy, Math.LN2, 1e-12);
    close(c.margin, 0);
    const sure = tokenConfidence({ token: 'x', logprob: Math.log(0.9), top: [{ token: 'x', logprob: Math.log(0.9) }, { token: 'y', logprob: Math.log(0.05) }] });
    close(sure.margin, 0.85);
    assert.ok(sure.entropy! < 0.3, 'a confident token has a low entropy');
  });

  test('the entropy is over the returned alternatives, renormalised, with the written token added when the list lacks it', () => {
    // Two returned alternatives of 0.2 each plus the written one (0.2) outside the list: uniform over three.
    const c = tokenConfidence({ token: 'w', logprob: Math.log(0.2), top: [{ token: 'a', logprob: Math.log(0.2) }, { token: 'b', logprob: Math.log(0.2) }] });
    close(c.entropy, Math.log(3), 1e-12);
    close(c.margin, 0);
  });

  test('without alternatives only the logprob is known; an unrepresentable logprob is maximally surprising', () => {
    assert.deepEqual(tokenConfidence({ token: 'a', logprob: -0.1 }), { logprob: -0.1, surprisal: 0.1 });
    const broken = tokenConfidence({ token: 'a', logprob: null as unknown as number });
    assert.equal(broken.surprisal, Number.POSITIVE_INFINITY);
    const profile = confidenceProfile([{ token: 'a', logprob: -0.1 }, confident('b')]);
    assert.ok(Number.isNaN(profile.entropy[0]) && Number.isNaN(profile.margin[0]));
    close(profile.surprisal[1], -Math.log(0.95));
  });
});

describe('confidence dips', () => {
  test('a token far less likely than the text around it is the first place to look; a run of them counts once', () => {
    const tokens = Array.from({ length: 200 }, (_, i) => confident(`t${i}`));
    tokens[120] = { token: ' Simplifying', logprob: Math.log(0.05) };
    tokens[60] = { token: ' so', logprob: Math.log(0.12) };
    tokens[61] = { token: ' that', logprob: Math.log(0.1) };
    const dips = confidenceDips(tokens);
    assert.deepEqual(dips.map((d) => d.index), [120, 61], 'strongest first, the adjacent pair merged into its stronger token');
    assert.ok(dips[0].excess > 2.5 && dips[0].baseline < 0.1);
    assert.deepEqual(confidenceDips(tokens, { limit: 1 }).map((d) => d.index), [120]);
  });

  test('steady uncertainty is no dip: the baseline follows the chain', () => {
    const tokens = Array.from({ length: 300 }, (_, i) => ({ token: `w${i}`, logprob: Math.log(i % 2 ? 0.3 : 0.4) }));
    assert.deepEqual(confidenceDips(tokens), []);
    assert.deepEqual(confidenceDips([]), []);
  });

  test('in a recorded run, the wrong step of the chain that corrects itself opens with its strongest dip', () => {
    const run = parseRunText(fs.readFileSync('test/fixtures/runs/recorded-majority-8.run.jsonl', 'utf8'));
    const tree = replay(run.header, run.events);
    const steps = pathTo(tree, 's6.answer').filter((n) => n.kind === 'step');
    const tokens = steps.flatMap((s) => s.tokens ?? []);
    const wrongStepStart = steps.slice(0, steps.findIndex((s) => s.id === 's6.1')).reduce((n, s) => n + (s.tokens?.length ?? 0), 0);
    assert.equal(tokens[wrongStepStart].token, 'Combining');
    assert.equal(confidenceDips(tokens)[0].index, wrongStepStart);
  });
});
