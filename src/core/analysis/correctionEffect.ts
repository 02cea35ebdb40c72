/** What a self-correction did to the answer: the answer the chain was heading to before the point
 * and after it, read from the text, and compared with each other and with a reference. The answers a
 * chain states are its `\boxed{…}`s, "the (final) answer is …", and results that close a sentence
 * ("… = 8.", "… gives $\frac{15}{3}$."). */
import { extractAnswer } from '../answer/extract';
import { answerKey, gradeAnswer } from '../answer/grade';
import { matchBrace } from '../answer/latex';
import type { AnalysisReference, SelfCorrectionEffect } from '../trace/schema';

export interface StatedAnswer {
  /** Where the answer stands in the text (`end` exclusive). */
  start: number;
  end: number;
  answer: string;
  /** `final`: boxed or introduced as the answer; `result`: the value a sentence ends on. */
  strength: 'final' | 'result';
}

const BOX = /\\(?:boxed|fbox)\s*\{/g;
const SENTENCE = /[^\n]*?(?:[.!?](?=\s|$)|\n|$)/g;
const ANSWER_WORD = /\banswer\b/i;
/** Words that put the value after them: "gives $5$", "is 5", "works out to 5". */
const INTRODUCES = /(?:=|\b(?:is|are|equals?|gives?|becomes?|get|gets|got|obtain|to|was|be|have|yields?))\s*$/i;
const MATH_CLOSE: readonly [string, string][] = [['$$', '$$'], ['\\]', '\\['], ['\\)', '\\('], ['$', '$']];
const MAX_VALUE = 60;
/** A congruence or inequality states a fact, not a value: "8 \equiv 1". */
const RELATION = /\\(?:equiv|le|ge|leq|geq|neq|ne|approx|sim|pmod|mod|lt|gt)(?![a-zA-Z])|[<>≤≥≠≈]/;
/** A unit after the value closes the sentence as well ("… = 2$ hours."). */
const UNIT_TAIL = /(?<=[\d$)}])\s+(?:square\s+|cubic\s+)?(?:units?|minutes?|hours?|seconds?|days?|weeks?|months?|years?|km|m|cm|mm|meters?|metres?|miles?|feet|foot|inches?|degrees?|dollars?|cents?|ways|people|students|kg|g|liters?|litres?)$/i;
/** Sentences that draw a conclusion: their last equation's value counts even mid-sentence
 * ("Thus $n = 12$ is the smallest such number."). */
const CONCLUSION = /^\s*(?:so|thus|therefore|hence|this\s+gives|that\s+gives)\b/i;
/** A result that closes a sentence counts only as a constant: a formula in a variable ("1/(n\pi)") or a
 * list of candidates ("1, 2, 3, 4") is a step of the work, not where the chain is heading. */
const CONSTANT = /^-?(?:[\d.,\s{}()^+\-/*%°]|\\(?:frac|dfrac|tfrac|sqrt|pi|infty|cdot|circ|left|right|[,;!: %])|π|√)*$/;
/** A comma that is no thousands separator ("1,2,3,4", "-12, -6"; not "88,572"). */
const LIST = /,(?!\d{3}(?!\d))/;
/** Arithmetic left undone ("13 \cdot 17", "\frac{-8}{-4}+\frac{-5}{-3}"): a step on the way, not a result. */
const UNDONE = /(?:\\cdot|\\times|\\div)|[\d})]\s*[-+*×·]\s*[\d\\(]/;

const PARAGRAPH_END = /\n[ \t]*\n/g;
/** How far after a point an answer statement still says what the point led to: a final answer pages
 * later in a long trace follows many other turns. */
const FINAL_REACH = 1500;

/** The answers `text` states, in order. */
export function statedAnswers(text: string): StatedAnswer[] {
  const found: StatedAnswer[] = [];
  const boxed: [number, number][] = [];
  for (const m of text.matchAll(BOX)) {
    const open = m.index + m[0].length - 1;
    const close = matchBrace(text, open);
    if (close < 0) continue;
    boxed.push([m.index, close]);
    const answer = text.slice(open + 1, close - 1).trim();
    if (answer) found.push({ start: open + 1, end: close - 1, answer, strength: 'final' });
  }
  for (const m of text.matchAll(SENTENCE)) {
    if (!m[0].trim()) continue;
    const start = m.index;
    const end = start + m[0].length;
    if (boxed.some(([a, b]) => a < end && b > start)) continue;
    const stated = (ANSWER_WORD.test(m[0]) && answerStatement(m[0])) || sentenceResult(m[0]);
    if (stated) found.push({ ...stated, start: start + stated.start, end: start + stated.end });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** "The answer is 7", "final answer: 7" in one sentence, through the answer extractor. */
function answerStatement(sentence: string): StatedAnswer | null {
  const found = extractAnswer(sentence);
  if (!found || (found.rule !== 'final-answer' && found.rule !== 'the-answer-is') || !valueLike(found.answer)) return null;
  return { start: found.start, end: found.end, answer: found.answer, strength: 'final' };
}

/** The value a sentence ends on: the right-hand side of its last `=`, or a number or math span that
 * closes it after "is", "gives", "becomes"… */
function sentenceResult(sentence: string): StatedAnswer | null {
  const body = sentence.replace(/[\s.!?,;:]+$/, '').replace(UNIT_TAIL, '');
  return closingValue(body) ?? (CONCLUSION.test(body) ? concludedValue(body) : null);
}

function closingValue(body: string): StatedAnswer | null {
  for (const [close, open] of MATH_CLOSE) {
    if (!body.endsWith(close)) continue;
    const at = body.lastIndexOf(open, body.length - close.length - 1);
    if (at < 0) return null;
    const contentStart = at + open.length;
    const content = body.slice(contentStart, body.length - close.length);
    const eq = lastTopLevelEquals(content);
    if (eq >= 0) return valueAt(body, contentStart + eq + 1, body.length - close.length);
    return INTRODUCES.test(body.slice(0, at)) ? valueAt(body, contentStart, body.length - close.length) : null;
  }
  const eq = lastTopLevelEquals(body);
  if (eq >= 0) return valueAt(body, eq + 1, body.length);
  const number = /(?:^|\s)(-?\d[\d,]*(?:\.\d+)?(?:\/\d+)?)$/.exec(body);
  if (number && INTRODUCES.test(body.slice(0, number.index + number[0].length - number[1].length))) {
    return valueAt(body, body.length - number[1].length, body.length);
  }
  return null;
}

/** The last `=` outside braces (not part of `<=`, `>=`, `!=`, `==`). */
function lastTopLevelEquals(text: string): number {
  let depth = 0;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === '=' && depth === 0 && !'<>!='.includes(text[i - 1] ?? '') && text[i + 1] !== '=') last = i;
  }
  return last;
}

/** The right-hand side of the last equation in a math span of a concluding sentence. */
function concludedValue(body: string): StatedAnswer | null {
  let found: StatedAnswer | null = null;
  for (const m of body.matchAll(/\$([^$]+)\$|\\\((.+?)\\\)/g)) {
    const content = m[1] ?? m[2];
    const contentStart = m.index + m[0].indexOf(content);
    const eq = lastTopLevelEquals(content);
    if (eq >= 0) found = valueAt(body, contentStart + eq + 1, contentStart + content.length) ?? found;
  }
  return found;
}

function valueAt(text: string, from: number, to: number): StatedAnswer | null {
  const raw = text.slice(from, to);
  // Spacing commands and check marks ("88,572 ✔️") close a value without being part of it.
  const answer = raw.trim().replace(/(?:\\[,;!: ]|[✓✔✗✘]|\uFE0F)+$/u, '').trim();
  if (!valueLike(answer) || UNDONE.test(answer) || !CONSTANT.test(answer) || LIST.test(answer)) return null;
  const start = from + raw.indexOf(answer);
  return { start, end: start + answer.length, answer, strength: 'result' };
}

/** Short, with a digit or a math constant, and no prose: "2x + 3", "\frac{14}{3}", "(1, 2)", not "5
 * when n is odd". Unit words in `\text{…}` are allowed ("10 \text{ cm}"). */
function valueLike(answer: string): boolean {
  if (!answer || answer.length > MAX_VALUE || /=|\$|\\[()[\]]/.test(answer)) return false;
  const bare = answer.replace(/\\(?:text|mathrm|mbox)\s*\{[^{}]*\}/g, '');
  return /\d|\\(?:pi|infty|sqrt|frac)/.test(bare) && !/(?<![\\\p{L}])\p{L}{3,}/u.test(bare) && !RELATION.test(bare);
}

export interface CorrectionEffect {
  before?: string;
  after?: string;
  effect: SelfCorrectionEffect;
}

/** Whether two answers are the same, by the grader, remembered (a chain repeats a few answers). */
export class AnswerMatcher {
  private readonly verdicts = new Map<string, boolean>();

  constructor(private readonly timeLimitMs = 250) {}

  same(a: string, b: string): boolean {
    if (a === b) return true;
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = answerKey(a) === answerKey(b) || gradeAnswer(a, b, { timeLimitMs: this.timeLimitMs }).equal;
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }
}

/**
 * The effect of each point (their positions, ascending) given the answers the text states (same
 * coordinates). Before a point: a result closing the sentence right before it, else the last answer
 * statement (`final`) anywhere before. After it: the first answer statement before the next point
 * (within `FINAL_REACH`), else the first result in the point's own paragraph. Plain results further
 * away are mostly the intermediate values of a long chain, which would make every point look like it
 * changed the answer; they are left out, so the effect says `unknown` rather than guess. With a
 * reference, an answer moving onto it is `fixed`, off it `broke`; otherwise the same answer on both
 * sides is `confirmed` and a different one `changed`.
 */
export function correctionEffects(text: string, points: readonly number[], answers: readonly StatedAnswer[], reference?: AnalysisReference, matcher = new AnswerMatcher()): CorrectionEffect[] {
  let k = 0;
  let lastFinal: string | undefined;
  return points.map((at, i) => {
    let last: StatedAnswer | undefined;
    for (; k < answers.length && answers[k].start < at; k++) {
      last = answers[k];
      if (last.strength === 'final') lastFinal = last.answer;
    }
    const adjacent = last && (last.strength === 'final' || last.start >= previousSentenceStart(text, at)) ? last : undefined;
    const before = adjacent?.answer ?? lastFinal;
    const next = points[i + 1] ?? Number.POSITIVE_INFINITY;
    PARAGRAPH_END.lastIndex = at;
    const reach = PARAGRAPH_END.exec(text)?.index ?? text.length;
    let after: string | undefined;
    for (let j = k; j < answers.length && answers[j].start < Math.min(next, at + FINAL_REACH); j++) {
      if (answers[j].strength === 'final') {
        after = answers[j].answer;
        break;
      }
      if (after === undefined && answers[j].start < reach) after = answers[j].answer;
    }
    return { ...(before !== undefined && { before }), ...(after !== undefined && { after }), effect: effectOf(before, after, reference, matcher) };
  });
}

/** Where the sentence before the one holding `at` starts. */
function previousSentenceStart(text: string, at: number): number {
  let end = sentenceStart(text, at);
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  return end > 0 ? sentenceStart(text, end - 1) : 0;
}

/** Where the sentence holding `at` starts. */
function sentenceStart(text: string, at: number): number {
  for (let i = at - 1; i >= 0; i--) {
    if (text[i] === '\n' || ('.!?'.includes(text[i]) && /\s/.test(text[i + 1] ?? ''))) return i + 1;
  }
  return 0;
}

/** The effect of moving from answer `before` to `after` (either unknown when undefined). */
export function effectOf(before: string | undefined, after: string | undefined, reference: AnalysisReference | undefined, matcher: AnswerMatcher): SelfCorrectionEffect {
  if (before === undefined || after === undefined) return 'unknown';
  const same = matcher.same(before, after);
  if (reference) {
    const [wasRight, isRight] = [matcher.same(before, reference.answer), matcher.same(after, reference.answer)];
    if (!wasRight && isRight) return 'fixed';
    if (wasRight && !isRight) return 'broke';
    if (wasRight && isRight) return 'confirmed';
  }
  return same ? 'confirmed' : 'changed';
}
