/** The scripted solver behind the test server. It writes a chain of 3–7 steps separated by blank
 * lines, built from a real MATH-500 reference solution and ending "The final answer is $\boxed{…}$.",
 * and reports token logprobs from its own sampling distribution.
 *
 * A chain is a walk through step options. At the start of each reasoning step after the first the
 * solver samples the step's first token: usually a correct continuation, sometimes (errorRate, per
 * chain at temperature 1, scaled by level) a wrong step with a plausibly wrong value. After a wrong
 * step it samples "Wait" (selfCorrectionRate) to fix it, or concludes with the wrong answer. Because
 * only first tokens of steps are decisions, the wrong step's first token is a low-probability pick
 * and the right continuation is among its alternatives. Every draw comes from a generator seeded by
 * (problem, seed, temperature, top_p, prefix), so equal requests give equal chains. */
import { genericPlan, recogniseProblem, type ProblemPlan } from './problems';
import { boxedContent } from './latex';
import { argmax, createRandom, drawIndex } from './random';
import { branchDistribution, ordinaryDistribution, temper, tokenize, type Candidate, type TokenDraw } from './tokens';

export interface SolverSettings {
  /** Probability that a chain takes a wrong step, at temperature 1 on a level-3 problem. */
  errorRate: number;
  /** Probability that a wrong step is followed by a "Wait, …" step that fixes it. */
  selfCorrectionRate: number;
}

export interface SolveRequest {
  /** System and user text: where the problem is recognised. */
  userText: string;
  /** Assistant text already written; the solution continues it. */
  prefix: string;
  seed: number;
  temperature: number;
  topP?: number;
}

export interface Solution {
  /** MATH-500 `unique_id`, or `unrecognised-<hash>` for text the solver does not know. */
  problemId: string;
  recognised: boolean;
  /** The continuation, token by token; their texts joined are the generated text. */
  tokens: TokenDraw[];
}

type StepOption =
  | { kind: 'body' | 'correction' | 'reflection'; text: string; weight: number }
  | { kind: 'wrong' | 'final'; text: string; weight: number; answer: string };

interface ChainState {
  /** Index of the next reference step to write. */
  nextBody: number;
  /** The wrong value the chain currently believes, and the reference step it replaced. */
  wrong?: { answer: string; atBody: number };
  /** A wrong step was fixed; the rest of the chain is written carefully (no second wrong step). */
  corrected: boolean;
  /** A "Wait, let me double-check" step was written; the next step concludes. */
  reflected: boolean;
  /** Set once a final-answer step is complete. */
  finalAnswer?: string;
}

interface BranchRates {
  wrongStep: number;
  selfCorrection: number;
  reflection: number;
}

const LEVEL_FACTORS = [0.5, 0.75, 1, 1.25, 1.5];
/** Chance of an unprompted "Wait, let me double-check" before a correct chain concludes. */
const REFLECTION_RATE = 0.05;
/** More steps than any chain has: a guard, never reached by the solver's own chains. */
const MAX_STEPS_PER_REPLY = 12;
const INITIAL_STATE: ChainState = { nextBody: 0, corrected: false, reflected: false };

const LEAD_INS = {
  first: [['', 0.75], ['First,', 0.25]],
  middle: [['', 0.7], ['Next,', 0.15], ['Now,', 0.15]],
  last: [['', 0.7], ['So', 0.15], ['Finally,', 0.15]],
} as const;
const CONNECTIVE = /^(So|Thus|Therefore|Then|Hence|First|Next|Now|Finally|Similarly)\b/;

const WRONG_STEPS = [
  (value: string) => `Simplifying, the expression becomes $${value}$.`,
  (value: string) => `Combining these results gives $${value}$.`,
  (value: string) => `This works out to $${value}$.`,
  (value: string) => `Therefore the value we need is $${value}$.`,
];
const CORRECTIONS = [
  (value: string) => `Wait, that is not right: $${value}$ comes from an arithmetic slip. Let me redo this step carefully.`,
  (value: string) => `Wait, I made a mistake, since $${value}$ does not check out. Let me recompute.`,
];
const reflectionText = (value: string) => `Wait, let me double-check this. Going back over the computation confirms $${value}$.`;
const finalText = (value: string) => `The final answer is $\\boxed{${value}}$.`;

export function solve(request: SolveRequest, settings: SolverSettings): Solution {
  const recognised = recogniseProblem(request.userText);
  const plan = recognised ?? genericPlan(request.userText);
  const rates = branchRates(plan, settings);
  const sampler = new Sampler(request.temperature, request.topP, createRandom(`${plan.id}|${request.seed}|${request.temperature}|${request.topP ?? ''}|${request.prefix}`));
  const tokens: TokenDraw[] = [];
  let written = request.prefix;
  const emit = (text: string, from: number, firstToken?: Candidate[]) => {
    let offset = from;
    for (const token of tokenize(text.slice(from))) {
      const distribution = offset === from && firstToken ? firstToken : temper(ordinaryDistribution(token, `${text}@${offset}`), request.temperature);
      tokens.push({ token, distribution });
      offset += token.length;
    }
    written += text.slice(from);
  };

  const replayed = replayPrefix(plan, request.prefix, rates);
  let state = replayed.state;
  const tail = replayed.tail.trimStart();
  if (tail) {
    const continuing = optionsAt(plan, state, rates).filter((o) => o.text.startsWith(tail));
    if (continuing.length > 0) {
      const option = continuing[sampler.pickWeighted(continuing.map((o) => o.weight))];
      emit(option.text, tail.length);
      state = applyStep(state, option);
    } else {
      state = absorbForeign(plan, state, tail);
    }
  }
  for (let step = 0; state.finalAnswer === undefined && step < MAX_STEPS_PER_REPLY; step++) {
    const { option, firstToken } = sampler.chooseStep(optionsAt(plan, state, rates));
    if (written !== '' && !written.endsWith('\n\n')) emit(written.endsWith('\n') ? '\n' : '\n\n', 0);
    emit(option.text, 0, firstToken);
    state = applyStep(state, option);
  }
  return { problemId: plan.id, recognised: recognised !== undefined, tokens };
}

function branchRates(plan: ProblemPlan, settings: SolverSettings): BranchRates {
  const level = Math.min(5, Math.max(1, Math.round(plan.level)));
  const chainError = 1 - (1 - clamp(settings.errorRate)) ** LEVEL_FACTORS[level - 1];
  // Wrong steps can replace any reference step but the first: spread the chain's error over them.
  const positions = plan.steps.length - 1;
  return {
    wrongStep: Math.min(0.99, 1 - (1 - chainError) ** (1 / positions)),
    selfCorrection: clamp(settings.selfCorrectionRate),
    reflection: REFLECTION_RATE,
  };
}

function clamp(rate: number): number {
  return Math.min(1, Math.max(0, rate));
}

/** The steps that can come next, with their prior weights. */
function optionsAt(plan: ProblemPlan, state: ChainState, rates: BranchRates): StepOption[] {
  const believed = state.wrong?.answer ?? plan.answer;
  const fix = state.wrong ? corrections(state.wrong.answer, rates.selfCorrection) : [];
  let options: StepOption[];
  if (state.finalAnswer !== undefined) {
    // Only reached when a client makes a finished chain go on ("Wait", budget forcing).
    options = [...fix, { kind: 'reflection', text: reflectionText(believed), weight: state.wrong ? 1 - rates.selfCorrection : 1 }];
  } else if (state.wrong) {
    const conclude: StepOption = { kind: 'final', text: finalText(believed), weight: 1 - rates.selfCorrection, answer: believed };
    options = state.reflected ? [{ ...conclude, weight: 1 }] : [...fix, conclude];
  } else if (state.nextBody < plan.steps.length) {
    const wrongShare = state.nextBody > 0 && !state.corrected ? rates.wrongStep : 0;
    const body = bodyOptions(plan, state.nextBody, 1 - wrongShare);
    options = [...body, ...wrongOptions(plan, body, wrongShare)];
  } else {
    const conclude: StepOption = { kind: 'final', text: finalText(plan.answer), weight: 1 - rates.reflection, answer: plan.answer };
    options = state.reflected
      ? [{ ...conclude, weight: 1 }]
      : [conclude, { kind: 'reflection', text: reflectionText(plan.answer), weight: rates.reflection }];
  }
  return options.filter((o) => o.weight > 0);
}

/** The reference step `index`, with or without a connective lead-in ("Next, …"). */
function bodyOptions(plan: ProblemPlan, index: number, share: number): StepOption[] {
  const step = plan.steps[index];
  const position = index === 0 ? 'first' : index === plan.steps.length - 1 ? 'last' : 'middle';
  const leadIns = CONNECTIVE.test(step) ? [['', 1] as const] : LEAD_INS[position];
  return leadIns.map(([leadIn, weight]) => ({ kind: 'body', text: withLeadIn(leadIn, step), weight: share * weight }));
}

function withLeadIn(leadIn: string, step: string): string {
  if (!leadIn) return step;
  const lowered = /^[A-Z][a-z]/.test(step) ? step[0].toLowerCase() + step.slice(1) : step;
  return `${leadIn} ${lowered}`;
}

/** Wrong steps whose first token differs from every correct continuation's, so the decision is
 * visible at that token. Wrong values are drawn from the problem's small set of wrong answers. */
function wrongOptions(plan: ProblemPlan, body: StepOption[], share: number): StepOption[] {
  const correctStarts = new Set(body.map((o) => firstToken(o.text)));
  const templates = WRONG_STEPS.filter((t) => !correctStarts.has(firstToken(t('0'))));
  const answerTotal = plan.wrongAnswers.reduce((a, w) => a + w.weight, 0);
  return templates.flatMap((template) =>
    plan.wrongAnswers.map((w) => ({
      kind: 'wrong' as const,
      text: template(w.answer),
      weight: (share / templates.length) * (w.weight / answerTotal),
      answer: w.answer,
    })),
  );
}

function corrections(wrongAnswer: string, rate: number): StepOption[] {
  return CORRECTIONS.map((template) => ({ kind: 'correction', text: template(wrongAnswer), weight: rate / CORRECTIONS.length }));
}

function applyStep(state: ChainState, option: StepOption): ChainState {
  switch (option.kind) {
    case 'body':
      return { ...state, nextBody: state.nextBody + 1 };
    case 'wrong':
      return { ...state, wrong: { answer: option.answer, atBody: state.nextBody } };
    case 'correction':
      return { nextBody: state.wrong?.atBody ?? state.nextBody, corrected: true, reflected: state.reflected };
    case 'reflection':
      return { ...state, reflected: true, finalAnswer: undefined };
    case 'final':
      return { ...state, finalAnswer: option.answer };
  }
}

/** Rebuilds the chain state from the assistant prefix: complete steps end with a blank line; the
 * text after the last one is the step being written. */
function replayPrefix(plan: ProblemPlan, prefix: string, rates: BranchRates): { state: ChainState; tail: string } {
  const segments = prefix.split('\n\n');
  const tail = segments.pop() ?? '';
  let state = INITIAL_STATE;
  for (const segment of segments) {
    const text = segment.trim();
    if (text) state = advance(plan, state, text, rates).state;
  }
  return { state, tail };
}

/** The state after the complete step `text`, and the solver's own option it was, if it was one. */
function advance(plan: ProblemPlan, state: ChainState, text: string, rates: BranchRates): { state: ChainState; known?: StepOption } {
  const known = optionsAt(plan, state, rates).find((o) => squash(o.text) === squash(text));
  return { state: known ? applyStep(state, known) : absorbForeign(plan, state, text), known };
}

/** Whether each step of a chain is right, as the solver knows it: its wrong steps are wrong, a final
 * answer or a "double-check" that confirms a wrong value is wrong, a correction is right. A step the
 * solver did not write is wrong when it brings in one of the problem's wrong values or boxes a wrong
 * answer, else right. What the test server's judge and process reward model see, before their noise. */
export function stepTruths(problemText: string, steps: readonly string[], settings: SolverSettings): boolean[] {
  const plan = recogniseProblem(problemText) ?? genericPlan(problemText);
  const rates = branchRates(plan, settings);
  let state = INITIAL_STATE;
  return steps.map((raw) => {
    const before = state;
    const text = raw.trim();
    const { state: after, known } = advance(plan, before, text, rates);
    state = after;
    switch (known?.kind) {
      case 'wrong':
        return false;
      case 'final':
        return squash(known.answer) === squash(plan.answer);
      case 'reflection':
        return before.wrong === undefined;
      case 'body':
      case 'correction':
        return true;
      default:
        return state.wrong === undefined || (before.wrong !== undefined && boxedContent(text) === undefined);
    }
  });
}

/** Best reading of a step the solver did not write (a real model's, a user's, an injected "Hmm"). */
function absorbForeign(plan: ProblemPlan, state: ChainState, text: string): ChainState {
  const boxed = boxedContent(text);
  if (boxed !== undefined) {
    const right = squash(boxed) === squash(plan.answer);
    return { ...state, wrong: right ? undefined : { answer: boxed, atBody: state.wrong?.atBody ?? state.nextBody }, finalAnswer: boxed };
  }
  if (state.finalAnswer !== undefined || /^(Wait|Hmm|Actually)\b/.test(text)) return { ...state, reflected: true, finalAnswer: undefined };
  const believed = plan.wrongAnswers.find((w) => text.includes(`$${w.answer}$`));
  if (believed && !state.wrong) return { ...state, wrong: { answer: believed.answer, atBody: state.nextBody } };
  return { ...state, nextBody: Math.min(state.nextBody + 1, plan.steps.length) };
}

function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

function firstToken(text: string): string {
  return tokenize(text)[0] ?? '';
}

/** Draws decisions: a step's first token from the tempered (and top-p truncated) distribution over
 * the options' first tokens, then one option among those starting with it. Temperature 0 is greedy. */
class Sampler {
  constructor(
    private readonly temperature: number,
    private readonly topP: number | undefined,
    private readonly random: () => number,
  ) {}

  chooseStep(options: StepOption[]): { option: StepOption; firstToken: Candidate[] } {
    const byToken = new Map<string, StepOption[]>();
    for (const option of options) {
      const token = firstToken(option.text);
      byToken.set(token, [...(byToken.get(token) ?? []), option]);
    }
    const weights = new Map([...byToken].map(([token, group]) => [token, group.reduce((a, o) => a + o.weight, 0)]));
    const distribution = temper(branchDistribution(weights), this.temperature);
    const nucleus = this.nucleus(distribution);
    const token = nucleus[this.pickWeighted(nucleus.map((c) => c.p), false)].token;
    const group = byToken.get(token) ?? options;
    return { option: group[this.pickWeighted(group.map((o) => o.weight))], firstToken: distribution };
  }

  /** An index drawn from `weights` (tempered unless already tempered), or the largest when greedy. */
  pickWeighted(weights: number[], temperWeights = true): number {
    if (this.temperature <= 0) return argmax(weights);
    return drawIndex(temperWeights ? weights.map((w) => w ** (1 / this.temperature)) : weights, this.random());
  }

  private nucleus(sorted: Candidate[]): Candidate[] {
    if (this.topP === undefined || this.topP >= 1) return sorted;
    const total = sorted.reduce((a, c) => a + c.p, 0);
    const kept: Candidate[] = [];
    let mass = 0;
    for (const candidate of sorted) {
      kept.push(candidate);
      mass += candidate.p / total;
      if (mass >= this.topP) break;
    }
    return kept;
  }
}
