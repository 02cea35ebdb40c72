/** The test server as a step verifier: which steps the solver knows to be right, the judge that
 * answers the judge's prompt with a verdict token, and how `judgeAccuracy` makes it informative. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderPrompt } from '../../src/core/model/openai';
import { judgeMessages } from '../../src/core/reward/judge';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { samplePlans, type ProblemPlan } from '../support/problems';
import { solve, stepTruths } from '../support/solver';
import { postJson } from '../support/testHttp';
import { parseJudgePrompt } from '../support/verifier';

const MODEL = 'qwen2.5:1.5b';
const SETTINGS = { errorRate: 0.6, selfCorrectionRate: 0.35 };
const fractionProblem = samplePlans().find((p) => p.id === 'test/algebra/2584.json') as ProblemPlan;

function chainSteps(plan: ProblemPlan, seed: number): string[] {
  return solve({ userText: plan.problem, prefix: '', seed, temperature: 1 }, SETTINGS).tokens.map((t) => t.token).join('').split('\n\n');
}

/** Seeds whose chains take a wrong step (and which of them corrects it), for the fraction problem. */
function chainsWithWrongSteps(): { steps: string[]; corrected: boolean }[] {
  return Array.from({ length: 40 }, (_, i) => chainSteps(fractionProblem, i + 1))
    .filter((steps) => steps.some((s) => /^(Simplifying|Combining|This works|Therefore the value)/.test(s)))
    .map((steps) => ({ steps, corrected: steps.some((s) => s.startsWith('Wait, that is not right') || s.startsWith('Wait, I made a mistake')) }));
}

interface Verdict {
  message: { content: string };
  logprobs: { token: string; top_logprobs: { token: string; logprob: number }[] }[];
}

async function askJudge(server: TestServer, problem: string, steps: string[], extra: Record<string, unknown> = {}): Promise<Verdict> {
  const response = await postJson(`${server.url}/api/chat`, {
    model: MODEL, messages: judgeMessages(problem, steps), stream: false, logprobs: true, top_logprobs: 20, options: { temperature: 0 }, ...extra,
  });
  return (await response.json()) as Verdict;
}

function pCorrect(verdict: Verdict): number {
  const p = (tokens: string[]) => verdict.logprobs[0].top_logprobs.filter((t) => tokens.includes(t.token)).reduce((a, t) => a + Math.exp(t.logprob), 0);
  return p(['+', ' +']) / (p(['+', ' +']) + p(['-', ' -', '\u2212']));
}

describe('what the solver knows about its steps', () => {
  it('a chain without a wrong step is right throughout', () => {
    const clean = Array.from({ length: 20 }, (_, i) => chainSteps(fractionProblem, i + 1)).find((steps) => !steps.some((s) => s.startsWith('Wait')) && steps.at(-1)?.includes('\\frac{14}{3}'));
    assert.ok(clean);
    assert.deepEqual(stepTruths(fractionProblem.problem, clean, SETTINGS), clean.map(() => true));
  });

  it('a wrong step is wrong, so is a final answer that keeps its value; a correction is right', () => {
    const chains = chainsWithWrongSteps();
    assert.ok(chains.some((c) => c.corrected) && chains.some((c) => !c.corrected));
    for (const { steps, corrected } of chains) {
      const truths = stepTruths(fractionProblem.problem, steps, SETTINGS);
      const wrongAt = steps.findIndex((s) => /^(Simplifying|Combining|This works|Therefore the value)/.test(s));
      assert.equal(truths[wrongAt], false, steps[wrongAt]);
      assert.ok(truths.slice(0, wrongAt).every(Boolean));
      assert.equal(truths.at(-1), corrected, `the final step ${steps.at(-1)}`);
      if (corrected) assert.equal(truths[wrongAt + 1], true, 'the correction');
    }
  });

  it('a step it did not write is wrong when it brings in a wrong value or boxes a wrong answer', () => {
    const [wrongValue] = fractionProblem.wrongAnswers;
    const truths = stepTruths(fractionProblem.problem, ['Let me add the three values.', `They add up to $${wrongValue.answer}$.`], SETTINGS);
    assert.deepEqual(truths, [true, false]);
    assert.deepEqual(stepTruths(fractionProblem.problem, ['So it is $\\boxed{\\frac{14}{3}}$.'], SETTINGS), [true]);
    assert.deepEqual(stepTruths(fractionProblem.problem, ['So it is $\\boxed{7}$.'], SETTINGS), [false]);
  });
});

describe('the judge behind the judge\'s prompt', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 3 });
  });
  after(() => server.close());

  it('reads the prompt back: problem, earlier steps and the step to check', () => {
    const [system, user] = judgeMessages('What is $1+1$?', ['One plus one.', 'It is $2$.']);
    assert.deepEqual(parseJudgePrompt(`${system.content}\n\n${user.content}`), { problem: 'What is $1+1$?', steps: ['One plus one.', 'It is $2$.'] });
    assert.equal(parseJudgePrompt('Solve: what is $1+1$?'), undefined);
  });

  it('answers with one verdict token whose alternatives spread each verdict over its spellings', async () => {
    const steps = chainSteps(fractionProblem, 1);
    const verdict = await askJudge(server, fractionProblem.problem, steps.slice(0, 1));
    assert.ok(['+', '-'].includes(verdict.message.content), `a verdict, not a solution: ${JSON.stringify(verdict.message.content)}`);
    assert.equal(verdict.logprobs.length, 1);
    const tokens = verdict.logprobs[0].top_logprobs.map((t) => t.token);
    for (const token of ['+', ' +', '-', ' -', '\u2212', 'The']) assert.ok(tokens.includes(token), `${JSON.stringify(token)} among the alternatives`);
    assert.ok(verdict.logprobs[0].top_logprobs.reduce((a, t) => a + Math.exp(t.logprob), 0) <= 1 + 1e-9);
  });

  it('draws its verdict at temperature 1 from the same distribution, the same for the same seed', async () => {
    const steps = chainSteps(fractionProblem, 1).slice(0, 2);
    const draws = await Promise.all(Array.from({ length: 40 }, (_, seed) => askJudge(server, fractionProblem.problem, steps, { logprobs: false, options: { temperature: 1, seed } })));
    const replies = draws.map((d) => d.message.content);
    assert.ok(new Set(replies).size > 1, `varied replies: ${[...new Set(replies)]}`);
    assert.deepEqual((await askJudge(server, fractionProblem.problem, steps, { logprobs: false, options: { temperature: 1, seed: 7 } })).message.content, replies[7]);
  });

  it('is always right with judgeAccuracy 1 and always wrong with 0', async () => {
    const chains = chainsWithWrongSteps().slice(0, 4).map((c) => c.steps);
    for (const accuracy of [1, 0]) {
      const judge = await startTestServer({ judgeAccuracy: accuracy, ...SETTINGS });
      try {
        for (const steps of chains) {
          const truths = stepTruths(fractionProblem.problem, steps, SETTINGS);
          for (let k = 1; k <= steps.length; k++) {
            const p = pCorrect(await askJudge(judge, fractionProblem.problem, steps.slice(0, k)));
            assert.equal(p > 0.5, truths[k - 1] === (accuracy === 1), `accuracy ${accuracy}, step ${k}: p(+) ${p}`);
          }
        }
      } finally {
        await judge.close();
      }
    }
  });

  it('answers the same prompt rendered for /v1/completions', async () => {
    const steps = chainSteps(fractionProblem, 1).slice(0, 2);
    const prompt = renderPrompt(judgeMessages(fractionProblem.problem, steps), '', 'chatml');
    const body = (await (await postJson(`${server.url}/v1/completions`, { model: MODEL, prompt, max_tokens: 1, temperature: 0, logprobs: 20 })).json()) as { choices: { text: string; logprobs: { top_logprobs: Record<string, number>[] } }[] };
    const chat = await askJudge(server, fractionProblem.problem, steps);
    assert.equal(body.choices[0].text, chat.message.content);
    assert.ok(Math.abs(Math.exp(body.choices[0].logprobs.top_logprobs[0]['+']) - Math.exp(chat.logprobs[0].top_logprobs.find((t) => t.token === '+')!.logprob)) < 1e-9);
  });
});
