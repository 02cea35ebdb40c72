/** The statistics behind rollout analyses, on constructed tallies: Wilson and Newcombe intervals
 * against the published worked examples, the best alternative, the sequential stopping rule at its
 * edges, and the ranking order. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { estimateCriticality, rankCriticalTokens, sequentialZ, stoppingRule } from '../../src/core/analysis/critical';
import { differenceInterval, normalQuantile, repeatedZ, wilsonInterval, Z95 } from '../../src/core/analysis/intervals';
import type { RolloutTally, TokenProbedEvent } from '../../src/core/trace/schema';

const tally = (correct: number, rollouts: number): RolloutTally => ({ correct, rollouts });
const near = (actual: readonly number[], expected: readonly number[], digits = 4) =>
  assert.deepEqual(actual.map((x) => Number(x.toFixed(digits))), expected, `${actual.join(', ')} ≉ ${expected.join(', ')}`);

test('Wilson intervals match the textbook values and stay inside [0, 1] at 0/n and n/n', () => {
  near(wilsonInterval(tally(8, 10)), [0.4902, 0.9433]);
  near(wilsonInterval(tally(0, 29)), [0, 0.117]);
  near(wilsonInterval(tally(12, 12)), [0.7575, 1]);
  assert.deepEqual(wilsonInterval(tally(0, 0)), [0, 1], 'nothing sampled: nothing known');
});

test('Newcombe difference intervals match the worked examples of his 1998 paper (method 10)', () => {
  near(differenceInterval(tally(56, 70), tally(48, 80)), [0.0524, 0.3339]);
  near(differenceInterval(tally(9, 10), tally(3, 10)), [0.1705, 0.809]);
  near(differenceInterval(tally(5, 56), tally(0, 29)), [-0.0381, 0.1926]);
  near(differenceInterval(tally(0, 10), tally(0, 20)), [-0.1611, 0.2775]);
  assert.deepEqual(differenceInterval(tally(0, 0), tally(3, 4)), [-1, 1]);
});

test('a tally that cannot be is refused with what was wrong', () => {
  assert.throws(() => wilsonInterval(tally(5, 4)), /0 ≤ correct ≤ rollouts, got 5 of 4/);
  assert.throws(() => wilsonInterval(tally(1.5, 4)), /whole counts/);
});

test('criticality compares the original with the best alternative, and its interval is that pair\'s', () => {
  const { criticality, interval, best } = estimateCriticality(tally(3, 8), [tally(5, 8), tally(7, 8)]);
  assert.equal(best, 1);
  assert.equal(criticality, 3 / 8 - 7 / 8);
  near(interval, [-0.7593, -0.0293]);
  assert.equal(estimateCriticality(tally(3, 8), [tally(6, 8), tally(6, 8)]).best, 0, 'a tie goes to the likelier alternative (listed first)');
  assert.equal(estimateCriticality(tally(2, 4), [tally(0, 0), tally(1, 4)]).best, 1, 'an alternative without rollouts is not the best');
  assert.throws(() => estimateCriticality(tally(2, 4), [tally(0, 0)]), /at least one rollout/);
});

test('normal quantiles, and the z that keeps 95% over several looks (Bonferroni)', () => {
  near([normalQuantile(0.975), normalQuantile(0.025), normalQuantile(0.5), normalQuantile(0.999), normalQuantile(1e-6)], [1.96, -1.96, 0, 3.0902, -4.7534]);
  assert.equal(repeatedZ(1), Z95);
  near([repeatedZ(2), repeatedZ(4)], [2.2414, 2.4977], 4);
  assert.equal(sequentialZ({ batch: 4, maxRolloutsPerToken: 16 }), repeatedZ(4), 'rounds of 4 up to 16: four looks');
  assert.equal(sequentialZ({ batch: 5, maxRolloutsPerToken: 16 }), repeatedZ(4), 'a last, shorter round is a look too');
  assert.throws(() => normalQuantile(1), /0 < p < 1, got 1/);
});

// The defaults: rounds of 4 rollouts per token up to 16, so four looks at z = 2.4977.
const defaults = { batch: 4, maxRolloutsPerToken: 16, tolerance: 0.7 };

test('the stopping rule: decided once the interval over all looks excludes zero, else sample on until the cap', () => {
  assert.equal(stoppingRule(tally(0, 4), [tally(4, 4)], defaults), 'decided', '0/4 vs 4/4: [-1, -0.14]');
  assert.equal(stoppingRule(tally(4, 4), [tally(0, 4)], defaults), 'decided', 'a helpful token is decided too');
  assert.equal(stoppingRule(tally(1, 4), [tally(4, 4)], defaults), undefined, '1/4 vs 4/4: [-0.97, 0.05] — a single 95% look would have stopped on it');
  assert.ok(differenceInterval(tally(1, 4), tally(4, 4))[1] < 0);
  assert.equal(stoppingRule(tally(3, 8), [tally(7, 8)], defaults), undefined, '3/8 vs 7/8: [-0.79, 0.08]');
  assert.equal(stoppingRule(tally(2, 8), [tally(8, 8)], defaults), 'decided', '2/8 vs 8/8: [-0.95, -0.15]');
  assert.equal(stoppingRule(tally(8, 16), [tally(10, 16)], defaults), 'cap', '8/16 vs 10/16: [-0.47, 0.27] at the cap');
  assert.equal(stoppingRule(tally(3, 8), [tally(7, 8)], { ...defaults, batch: 16 }), 'decided', 'one look: the plain 95% interval [-0.76, -0.03]');
});

test('the stopping rule: a narrow interval around zero is decided, a wide one is not', () => {
  // Both arms certain: the interval's half-width over four looks is 0.342 at 12/12 and 0.281 at 16/16.
  assert.equal(stoppingRule(tally(8, 8), [tally(8, 8)], defaults), undefined);
  assert.equal(stoppingRule(tally(12, 12), [tally(12, 12)], defaults), 'decided');
  assert.equal(stoppingRule(tally(12, 12), [tally(12, 12)], { ...defaults, tolerance: 0.6 }), undefined);
  assert.equal(stoppingRule(tally(16, 16), [tally(16, 16)], { ...defaults, maxRolloutsPerToken: 32, tolerance: 0.6 }), undefined, 'eight looks widen it: 0.63 wide');
  assert.equal(stoppingRule(tally(0, 4), [tally(0, 4)], { batch: 4, maxRolloutsPerToken: 4, tolerance: 0 }), 'cap', 'tolerance 0: only the cap ends a null position');
});

test('the ranking puts the largest |criticality| first, the surer of equal ones next, then the order given', () => {
  const probe = (id: string, criticality: number, interval: [number, number]): TokenProbedEvent => ({
    type: 'token_probed', t: 0, id, index: 0, token: 'x', reference: { kind: 'gold', answer: '1' },
    original: tally(0, 4), alternatives: [{ token: 'y', ...tally(4, 4) }], criticality, interval, stopped: 'decided',
  });
  const ranked = rankCriticalTokens([
    probe('small', 0.1, [-0.2, 0.4]),
    probe('harmful-unsure', -0.75, [-0.95, -0.09]),
    probe('helpful', 0.8, [0.4, 0.95]),
    probe('harmful-sure', -0.75, [-0.93, -0.28]),
    probe('tie-later', 0.1, [-0.2, 0.4]),
  ]);
  assert.deepEqual(ranked.map((p) => p.id), ['helpful', 'harmful-sure', 'harmful-unsure', 'small', 'tie-later']);
});
