/** The problems the scripted solver knows: real MATH-500 records (test/fixtures/math500-sample.jsonl)
 * turned into step plans built from their reference solutions, plus a generic plan for any other text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unbox } from './latex';
import { hashString } from './random';

export interface ProblemRecord {
  problem: string;
  solution: string;
  answer: string;
  subject: string;
  level: number;
  unique_id: string;
}

export interface WrongAnswer {
  answer: string;
  /** Share of wrong chains that end on this answer: a few dominate, so wrong chains often agree. */
  weight: number;
}

export interface ProblemPlan {
  id: string;
  problem: string;
  answer: string;
  /** MATH difficulty 1–5; harder problems draw more wrong steps. */
  level: number;
  /** The reasoning steps of a correct chain, without the final-answer step. 2–4 of them. */
  steps: string[];
  wrongAnswers: WrongAnswer[];
}

export const SAMPLE_PATH = join(__dirname, '../fixtures/math500-sample.jsonl');

const MIN_STEPS = 2;
const MAX_STEPS = 4;
const WRONG_ANSWER_WEIGHTS = [0.6, 0.3, 0.1];

let cachedPlans: ProblemPlan[] | undefined;

export function sampleRecords(): ProblemRecord[] {
  return readFileSync(SAMPLE_PATH, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ProblemRecord);
}

export function samplePlans(): ProblemPlan[] {
  cachedPlans ??= sampleRecords().map(planFromRecord);
  return cachedPlans;
}

/** The sample problem whose statement appears in `text` (ignoring whitespace), if any. */
export function recogniseProblem(text: string): ProblemPlan | undefined {
  const haystack = withoutWhitespace(text);
  const matches = samplePlans().filter((plan) => haystack.includes(withoutWhitespace(plan.problem)));
  return matches.sort((a, b) => b.problem.length - a.problem.length)[0];
}

/** A short generic chain for text the solver does not know, with an answer derived from the text. */
export function genericPlan(text: string): ProblemPlan {
  const hash = hashString(withoutWhitespace(text));
  const answer = String(10 + (hash % 90));
  return {
    id: `unrecognised-${hash.toString(16)}`,
    problem: text,
    answer,
    level: 3,
    steps: [
      'We start by identifying the quantities given in the problem and what we are asked to find.',
      'Setting up the relationship between them gives an equation in one unknown.',
      `Solving this equation, the unknown works out to $${answer}$.`,
    ],
    wrongAnswers: wrongAnswersFor(answer),
  };
}

export function planFromRecord(record: ProblemRecord): ProblemPlan {
  return {
    id: record.unique_id,
    problem: record.problem,
    answer: record.answer,
    level: record.level,
    steps: stepsFromSolution(record.solution),
    wrongAnswers: wrongAnswersFor(record.answer),
  };
}

function withoutWhitespace(text: string): string {
  return text.replace(/\s+/g, '');
}

/** Splits a reference solution into 2–4 steps: diagrams dropped, \boxed{} unwrapped (the answer is
 * boxed only in the final step), sentences grouped evenly. */
export function stepsFromSolution(solution: string): string[] {
  const text = unbox(solution.replace(/\[asy\][\s\S]*?\[\/asy\]/g, '')).trim();
  let sentences = splitSentences(text);
  if (sentences.length < MIN_STEPS) sentences = sentences.flatMap(splitLongSentence);
  if (sentences.length < MIN_STEPS) sentences = ['Let me work through this step by step.', ...sentences];
  const count = Math.min(MAX_STEPS, Math.max(MIN_STEPS, Math.ceil(sentences.length / 2)));
  const steps: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.ceil((sentences.length - start) / (count - i));
    steps.push(sentences.slice(start, start + size).join(' '));
    start += size;
  }
  return steps;
}

const MATH_OPENERS: [string, string][] = [['$$', '$$'], ['\\[', '\\]'], ['$', '$']];

/** Sentence boundaries outside math: ". " before a capital, "$" or "\", or a blank line. A period
 * just inside closing math ("… = 3.$  Also") ends a sentence too. */
function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  const cut = (end: number) => {
    const sentence = text.slice(start, end).replace(/\n{2,}/g, '\n').trim();
    if (sentence) sentences.push(sentence);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '$') {
      i++;
      continue;
    }
    const math = mathAt(text, i);
    if (math) {
      const [opener, closer] = math;
      const end = text.indexOf(closer, i + opener.length);
      if (end < 0) break;
      i = end + closer.length - 1;
      if (text[end - 1] === '.' && startsSentence(text, i + 1)) cut(i + 1);
      continue;
    }
    if (text.startsWith('\n\n', i)) cut(i);
    else if ('.!?'.includes(text[i]) && startsSentence(text, i + 1)) cut(i + 1);
  }
  cut(text.length);
  return sentences;
}

/** The opening and closing delimiters of the math span starting at `at`, if one does. */
function mathAt(text: string, at: number): [string, string] | undefined {
  const env = text.startsWith('\\begin{', at) ? /^\\begin\{([^}]*)\}/.exec(text.slice(at)) : null;
  if (env) return [env[0], `\\end{${env[1]}}`];
  return MATH_OPENERS.find(([open]) => text.startsWith(open, at));
}

function startsSentence(text: string, at: number): boolean {
  return /^\s+(?:[A-Z$\\]|$)/.test(text.slice(at)) || at >= text.length;
}

/** Splits a one-sentence solution in two: an equation chain "$a=b=c=d$" at its middle "=", or a
 * sentence at ", then" / ", so". */
function splitLongSentence(sentence: string): string[] {
  const chain = /^\$([^$]+)\$\.?$/.exec(sentence);
  const parts = chain ? splitTopLevel(chain[1], '=') : [];
  if (parts.length >= 4) {
    const mid = Math.ceil(parts.length / 2);
    return [`We have $${parts.slice(0, mid).join('=')}$.`, `This simplifies to $${parts.slice(mid - 1).join('=')}$.`];
  }
  const clause = /, (then|so) /.exec(sentence);
  if (clause) {
    // "If A, then B" becomes the statement "A." followed by "Then B".
    const premise = sentence.slice(0, clause.index).replace(/^If (\S)/, (_, c: string) => c.toUpperCase());
    const rest = sentence.slice(clause.index + clause[0].length);
    return [`${premise}.`, `${clause[1][0].toUpperCase()}${clause[1].slice(1)} ${rest}`];
  }
  return [sentence];
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    else if (depth === 0 && text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Three plausible wrong answers: off by one, a different fraction, a doubled value. */
export function wrongAnswersFor(answer: string): WrongAnswer[] {
  const fraction = /^(-?)\\d?frac\{(\d+)\}\{(\d+)\}$/.exec(answer);
  const integer = /^-?\d+$/.test(answer) ? Number(answer) : undefined;
  let candidates: string[];
  if (fraction) {
    const [, sign, a, b] = fraction;
    const [num, den] = [Number(a), Number(b)];
    candidates = [`${sign}\\frac{${num + 1}}{${den}}`, `${sign}\\frac{${den}}{${num}}`, `${sign}\\frac{${num}}{${den + 1}}`];
  } else if (integer !== undefined) {
    candidates = [integer + 1, integer - 1, integer === 0 ? 2 : 2 * integer].map(String);
  } else if (/\d+/.test(answer)) {
    candidates = [1, -1, 2].map((delta) => answer.replace(/\d+/, (d) => String(Number(d) + delta)));
  } else {
    candidates = [`-(${answer})`, `2(${answer})`, `${answer}+1`];
  }
  return [...new Set(candidates)]
    .filter((c) => c !== answer)
    .map((c, i) => ({ answer: c, weight: WRONG_ANSWER_WEIGHTS[i] ?? 0.1 }));
}
