/** The scripted solver behind the test server: real MATH-500 problems, coherent seeded chains with
 * wrong steps, self-corrections and prefix continuation, and logprobs from its own distribution. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { boxedContent } from '../support/latex';
import { recogniseProblem, sampleRecords, samplePlans, type ProblemPlan } from '../support/problems';
import { solve, type SolveRequest } from '../support/solver';
import type { TokenDraw } from '../support/tokens';

const SETTINGS = { errorRate: 0.3, selfCorrectionRate: 0.35 };
const fractionProblem = samplePlans().find((p) => p.id === 'test/algebra/2584.json') as ProblemPlan;
const divisorProblem = samplePlans().find((p) => p.id === 'test/number_theory/572.json') as ProblemPlan;

function run(plan: ProblemPlan, request: Partial<SolveRequest> = {}): TokenDraw[] {
  return solve({ userText: `Solve this problem.\n\n${plan.problem}`, prefix: '', seed: 1, temperature: 1, ...request }, SETTINGS).tokens;
}

function text(tokens: TokenDraw[]): string {
  return tokens.map((t) => t.token).join('');
}

function steps(chain: string): string[] {
  return chain.split('\n\n');
}

function chainsOver(plan: ProblemPlan, seeds: number, request: Partial<SolveRequest> = {}): string[] {
  return Array.from({ length: seeds }, (_, i) => text(run(plan, { seed: i + 1, ...request })));
}

function isWrongStep(plan: ProblemPlan, step: string): boolean {
  return !step.startsWith('Wait') && !step.includes('\\boxed') && plan.wrongAnswers.some((w) => step.endsWith(`$${w.answer}$.`));
}

describe('the fixture problems', () => {
  it('are twelve real MATH-500 records of every subject and level 1–5, including the f(x) problem', () => {
    const records = sampleRecords();
    assert.equal(records.length, 12);
    assert.equal(new Set(records.map((r) => r.subject)).size, 7);
    assert.deepEqual([...new Set(records.map((r) => r.level))].sort(), [1, 2, 3, 4, 5]);
    assert.equal(records.find((r) => r.problem.startsWith('If $f(x) = \\frac{3x-2}{x-2}$'))?.answer, '\\frac{14}{3}');
  });

  it('have problem files whose front matter and body match their records', () => {
    const dir = join(__dirname, '../fixtures/problems');
    const files = readdirSync(dir).filter((f) => f.endsWith('.problem.md'));
    assert.equal(files.length, 3);
    for (const file of files) {
      const [, frontMatter, body] = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)\n$/.exec(readFileSync(join(dir, file), 'utf8')) ?? [];
      const meta = parseYaml(frontMatter) as { id: string; answer: string; level: number; subject: string; source: string };
      const record = sampleRecords().find((r) => r.unique_id === meta.id);
      assert.ok(record, `${file} names a sample problem`);
      assert.deepEqual(meta, { id: record.unique_id, answer: record.answer, level: record.level, subject: record.subject, source: 'MATH-500' });
      assert.equal(body, record.problem);
    }
  });
});

describe('chains', () => {
  it('have 3–7 blank-line-separated steps built from the reference solution and end with the boxed answer', () => {
    for (const plan of samplePlans()) {
      for (const chain of chainsOver(plan, 20)) {
        const parts = steps(chain);
        assert.ok(parts.length >= 3 && parts.length <= 7, `${plan.id}: ${parts.length} steps`);
        assert.match(parts.at(-1) ?? '', /^The final answer is \$\\boxed\{.+\}\$\.$/);
        assert.ok(parts.slice(0, -1).every((s) => !s.includes('\\boxed') && !s.includes('[asy]')));
      }
    }
    assert.ok(steps(text(run(divisorProblem, { temperature: 0 })))[0].startsWith('First prime factorize $196=2^2\\cdot7^2$.'));
  });

  it('are recognised whatever the whitespace around the problem', () => {
    assert.equal(recogniseProblem(`Problem:\n  ${fractionProblem.problem.replace(/ /g, '\n')}  `)?.id, fractionProblem.id);
  });

  it('are the same for the same request and differ between seeds', () => {
    assert.deepEqual(run(fractionProblem, { seed: 42 }), run(fractionProblem, { seed: 42 }));
    assert.ok(new Set(chainsOver(divisorProblem, 8)).size >= 3);
  });

  it('are greedy at temperature 0: one correct chain whatever the seed', () => {
    const chains = new Set(chainsOver(fractionProblem, 10, { temperature: 0 }));
    assert.equal(chains.size, 1);
    assert.equal(boxedContent([...chains][0]), fractionProblem.answer);
  });

  it('take wrong steps at about the configured rate, more often when hotter', () => {
    const wrongShare = (temperature: number) =>
      chainsOver(fractionProblem, 200, { temperature }).filter((c) => steps(c).some((s) => isWrongStep(fractionProblem, s))).length / 200;
    const atOne = wrongShare(1);
    assert.ok(atOne > 0.18 && atOne < 0.42, `wrong-step share at T=1 was ${atOne}`);
    assert.ok(wrongShare(0.4) < atOne);
    assert.ok(wrongShare(1.6) > atOne);
  });

  it('often agree on the same wrong answer, so votes split', () => {
    const wrong = chainsOver(divisorProblem, 300).map((c) => boxedContent(c)).filter((a) => a !== divisorProblem.answer);
    assert.ok(wrong.length > 20);
    const top = Math.max(...[...new Set(wrong)].map((a) => wrong.filter((w) => w === a).length));
    assert.ok(top / wrong.length >= 0.4, 'the most common wrong answer carries a large share of wrong chains');
  });

  it('fix a wrong step with "Wait, …" at about the self-correction rate and then end right', () => {
    const withWrongStep = chainsOver(fractionProblem, 300).filter((c) => steps(c).some((s) => isWrongStep(fractionProblem, s)));
    const corrected = withWrongStep.filter((c) => steps(c).some((s) => s.startsWith('Wait, ')));
    for (const chain of corrected) assert.equal(boxedContent(chain), fractionProblem.answer);
    for (const chain of withWrongStep.filter((c) => !corrected.includes(c))) assert.notEqual(boxedContent(chain), fractionProblem.answer);
    const share = corrected.length / withWrongStep.length;
    assert.ok(share > 0.15 && share < 0.6, `self-correction share was ${share}`);
  });

  it('write no wrong step when top_p cuts the unlikely tokens', () => {
    assert.ok(chainsOver(fractionProblem, 100, { topP: 0.5 }).every((c) => boxedContent(c) === fractionProblem.answer));
  });

  it('give a short generic chain for an unknown problem, its answer derived from the text', () => {
    const answer = (userText: string) => boxedContent(text(solve({ userText, prefix: '', seed: 1, temperature: 0 }, SETTINGS).tokens));
    const a = answer('What is the airspeed of an unladen swallow?');
    assert.match(a ?? '', /^\d+$/);
    assert.equal(answer('What is the airspeed of an unladen swallow?'), a);
    assert.notEqual(answer('How many roads must a man walk down?'), a);
  });
});

describe('token logprobs', () => {
  it('come from proper distributions: sorted, summing to at most 1, holding the chosen token', () => {
    for (const draw of run(divisorProblem, { seed: 3 })) {
      const ps = draw.distribution.map((c) => c.p);
      assert.deepEqual([...ps].sort((a, b) => b - a), ps);
      assert.ok(ps.reduce((a, b) => a + b, 0) <= 1 + 1e-9);
      assert.ok(draw.distribution.some((c) => c.token === draw.token));
    }
  });

  it('are confident on ordinary tokens and reshaped by temperature', () => {
    const chosen = (t: number) => run(divisorProblem, { temperature: t, seed: 2 }).map((d) => d.distribution.find((c) => c.token === d.token)?.p ?? 0);
    const atOne = chosen(1);
    assert.ok(atOne.filter((p) => p >= 0.8 && p <= 0.99).length / atOne.length > 0.9);
    const mean = (ps: number[]) => ps.reduce((a, b) => a + b, 0) / ps.length;
    assert.ok(mean(chosen(0.5)) > mean(atOne));
    assert.ok(mean(chosen(1.5)) < mean(atOne));
  });

  it('make the first token of a wrong step an unlikely pick whose alternatives include the right continuation', () => {
    const greedySteps = steps(text(run(divisorProblem, { temperature: 0 })));
    let seen = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const tokens = run(divisorProblem, { seed });
      const parts = steps(text(tokens));
      const index = parts.findIndex((s) => isWrongStep(divisorProblem, s));
      if (index < 0) continue;
      seen++;
      const offset = parts.slice(0, index).join('\n\n').length + 2;
      let at = 0;
      const first = tokens.find((t) => (at += t.token.length) > offset) as TokenDraw;
      const p = first.distribution.find((c) => c.token === first.token)?.p ?? 1;
      assert.ok(p < 0.2, `wrong step starts with p=${p}`);
      const right = greedySteps[index].split(/\s|,/)[0];
      assert.ok(first.distribution.some((c) => c.token === right && c.p > p), `"${right}" is a likelier alternative`);
    }
    assert.ok(seen > 5);
  });
});

describe('prefix continuation', () => {
  it('continues after the complete steps of a prefix without repeating them', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const chain = steps(text(run(divisorProblem, { seed })));
      for (let cut = 1; cut < chain.length; cut++) {
        const prefix = `${chain.slice(0, cut).join('\n\n')}\n\n`;
        const continuation = text(run(divisorProblem, { seed: seed + 100, prefix }));
        const whole = steps(prefix + continuation);
        assert.ok(chain.slice(0, cut).every((s) => !continuation.includes(s)), 'no prefix step is written again');
        assert.ok(whole.length <= 7);
        assert.match(whole.at(-1) ?? '', /^The final answer is/);
      }
    }
  });

  it('finishes a step cut mid-word', () => {
    const chain = text(run(divisorProblem, { seed: 4, temperature: 0 }));
    const cut = chain.indexOf('exponent') + 3;
    const continuation = text(run(divisorProblem, { prefix: chain.slice(0, cut), temperature: 0 }));
    assert.equal(chain.slice(0, cut) + continuation, chain);
  });

  it('stays on a wrong path unless it draws a correction', () => {
    const wrongChain = chainsOver(fractionProblem, 100).find((c) => steps(c).some((s) => isWrongStep(fractionProblem, s))) as string;
    const parts = steps(wrongChain);
    const wrongAt = parts.findIndex((s) => isWrongStep(fractionProblem, s));
    const believed = fractionProblem.wrongAnswers.find((w) => parts[wrongAt].endsWith(`$${w.answer}$.`))?.answer;
    const prefix = `${parts.slice(0, wrongAt + 1).join('\n\n')}\n\n`;
    const continuations = Array.from({ length: 80 }, (_, i) => text(run(fractionProblem, { prefix, seed: i })));
    const fixed = continuations.filter((c) => c.startsWith('Wait, '));
    assert.ok(fixed.length > 0 && fixed.length < continuations.length);
    for (const c of fixed) assert.equal(boxedContent(c), fractionProblem.answer);
    for (const c of continuations.filter((x) => !x.startsWith('Wait, '))) assert.equal(boxedContent(c), believed);
  });

  it('goes on after an injected "Wait" at the end of a finished chain and concludes again', () => {
    const chain = text(run(fractionProblem, { temperature: 0 }));
    assert.equal(text(run(fractionProblem, { prefix: chain })), '', 'a finished chain has nothing to add');
    const continuation = text(run(fractionProblem, { prefix: `${chain}\n\nWait` }));
    assert.match(continuation, /^, /);
    assert.equal(boxedContent(continuation), fractionProblem.answer);
  });
});
