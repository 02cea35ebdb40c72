/** The test server as a step verifier. It recognises the generative judge's step-verification prompt
 * (src/core/reward/judge.ts) and answers with a verdict token, and it scores the steps sent to its
 * vLLM-like /pooling process reward model. Both know which steps are right from the solver's own
 * plan (`stepTruths`) and see it `accuracy` of the time; when they do not, they believe the
 * opposite. Their confidence (p 0.75–0.97 for what they believe) and their mistakes are seeded by
 * the text they are shown, so the same question always gets the same answer, and the judge and the
 * PRM err independently. */
import { stepTruths, type SolverSettings } from './solver';
import { createRandom, drawIndex, unitFromKey } from './random';
import { temper, type Candidate, type TokenDraw } from './tokens';

export interface JudgePrompt {
  problem: string;
  /** Steps 1..k, the last one being the step to check. */
  steps: string[];
}

export interface VerifierSettings {
  solver: SolverSettings;
  /** How often the judge and the PRM see a step's correctness as it is. */
  accuracy: number;
}

const PROBLEM = /<problem>\n([\s\S]*?)\n<\/problem>/;
const STEP = /<step index="\d+">\n([\s\S]*?)\n<\/step>/g;
const QUESTION = /Step to check:\n<step index="\d+">/;

/** The judge's question in `text` (system and user messages together), if it is one. */
export function parseJudgePrompt(text: string): JudgePrompt | undefined {
  const problem = PROBLEM.exec(text)?.[1];
  if (problem === undefined || !QUESTION.test(text)) return undefined;
  const rest = text.slice(text.indexOf('</problem>'));
  const steps = [...rest.matchAll(STEP)].map((m) => m[1]);
  return steps.length > 0 ? { problem, steps } : undefined;
}

/** p(correct) the verifier gives the last of `steps` (`who` keeps the judge's and the PRM's
 * mistakes apart). */
export function believedCorrect(who: 'judge' | 'prm', problem: string, steps: readonly string[], settings: VerifierSettings): number {
  const right = stepTruths(problem, steps, settings.solver).at(-1) ?? true;
  const key = `${who}|${problem}|${steps.join('\n\n')}`;
  const seesIt = unitFromKey(`sees|${key}`) < settings.accuracy;
  const confidence = 0.75 + 0.22 * unitFromKey(`confidence|${key}`);
  return seesIt === right ? confidence : 1 - confidence;
}

/** Share of the first token's probability on a verdict; the rest goes to words a chatty model might
 * start with, so the judge's score is a ratio, not the raw probability of "+". */
const VERDICT_MASS = 0.9;

/** The first-token distribution of the judge's reply: "+" and " +" share p(+), "-", " -" and "−"
 * (U+2212) share p(-), so a client has to sum the variants. */
export function verdictDistribution(pCorrect: number): Candidate[] {
  const correct = VERDICT_MASS * pCorrect;
  const wrong = VERDICT_MASS * (1 - pCorrect);
  return [
    { token: '+', p: 0.9 * correct },
    { token: ' +', p: 0.1 * correct },
    { token: '-', p: 0.85 * wrong },
    { token: ' -', p: 0.1 * wrong },
    { token: '\u2212', p: 0.05 * wrong },
    { token: 'The', p: 0.05 },
    { token: 'Step', p: 0.03 },
    { token: '\n', p: 0.01 },
  ].sort((a, b) => b.p - a.p);
}

/** The judge's one-token reply. The token is drawn at the request's temperature (greedy at 0), but
 * its reported distribution is the untempered one, as Ollama and vLLM report logprobs. */
export function judgeReply(prompt: JudgePrompt, request: { seed: number; temperature: number }, settings: VerifierSettings): TokenDraw[] {
  const distribution = verdictDistribution(believedCorrect('judge', prompt.problem, prompt.steps, settings));
  if (request.temperature <= 0) return [{ token: distribution[0].token, distribution }];
  const tempered = temper(distribution, request.temperature);
  const u = createRandom(`verdict|${prompt.problem}|${prompt.steps.join('\n\n')}|${request.seed}|${request.temperature}`)();
  return [{ token: tempered[drawIndex(tempered.map((c) => c.p), u)].token, distribution }];
}
