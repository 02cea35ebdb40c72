/** Grading: is a predicted answer the gold answer? And a key that groups equal answers for voting. */
import { compareAnswers } from './compare';
import { Deadline, TimeLimitExceeded } from './deadline';
import { normalizeLatex } from './normalize';
import { parseAnswer, type Answer } from './parse';
import { formatRational } from './rational';
import { toMathForm } from './symbolic';
import { differ, same, type Verdict } from './verdict';

export type { Verdict } from './verdict';

export interface GradeOptions {
  /** Time allowed for one comparison; past it the answers count as not equal. Default 1000 ms. */
  timeLimitMs?: number;
}

export const DEFAULT_TIME_LIMIT_MS = 1000;

/** Inputs longer than this are not answers (a whole solution was passed): compared as text only. */
const MAX_ANSWER_LENGTH = 2000;

/** Whether `pred` is the same answer as `gold`, with the reason. Never throws. */
export function gradeAnswer(pred: string, gold: string, opts: GradeOptions = {}): Verdict {
  const limit = opts.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  if (!pred.trim()) return differ('pred is empty');
  if (!gold.trim()) return differ('gold is empty');
  if (pred.length > MAX_ANSWER_LENGTH || gold.length > MAX_ANSWER_LENGTH) {
    return pred.trim() === gold.trim() ? same('identical text') : differ(`longer than ${MAX_ANSWER_LENGTH} characters: not compared`);
  }
  const deadline = new Deadline(limit);
  try {
    const [a, b] = [normalizeLatex(pred), normalizeLatex(gold)];
    if (a === b) return same('identical after normalisation');
    const [pa, pb] = [parseAnswer(a), parseAnswer(b)];
    const verdict = compareAnswers(pa, pb, deadline);
    // A text gold such as `\text{4:30 p.m.}` against `4:30 \text{ p.m.}`: the same words, however split.
    if (!verdict.equal && (pa.kind === 'text' || pb.kind === 'text') && flatText(a) === flatText(b)) return same('same text, ignoring case and spacing');
    return verdict;
  } catch (err) {
    if (err instanceof TimeLimitExceeded) return differ(`timed out after ${limit} ms: treated as not equal`);
    // A parser or engine failure on strange input is a verdict, not a crash.
    return differ(`could not compare (${err instanceof Error ? err.message : String(err)}): treated as not equal`);
  }
}

/**
 * A canonical key so equivalent answers group together for voting: `\dfrac{28}{6}` and `14/3` share
 * one, as do `\{2, 1\}` and `1, 2`, or `x = 5` and `5`. Equal keys imply `gradeAnswer` says equal; the
 * converse needs evaluation (`\sqrt{8}` and `2\sqrt{2}` grade equal but keep their own keys).
 */
export function answerKey(answer: string): string {
  if (answer.length > MAX_ANSWER_LENGTH) return `text:${answer.trim()}`;
  try {
    return keyOf(parseAnswer(answer));
  } catch {
    return `text:${squeeze(answer)}`;
  }
}

/** `nested`: inside a tuple, list or matrix, where a name tells the parts apart and so belongs to the key. */
const squeeze = (s: string): string => s.replace(/\s+/g, '');
const flatText = (s: string): string => squeeze(s.replace(/\\text\s*\{([^{}]*)\}/g, '$1')).toLowerCase();

function keyOf(a: Answer, nested = false): string {
  const keys = (items: Answer[]) => items.map((item) => keyOf(item, true));
  const unordered = (items: Answer[]) => [...new Set(keys(items))].sort().join(';');
  switch (a.kind) {
    case 'text': return `text:${a.text.toLowerCase().replace(/[^a-z0-9]+/g, '')}`;
    case 'choice': return `choice:${a.letter}`;
    case 'number': return `number:${formatRational(a.value)}`;
    case 'expr': return `expr:${mathKey(a.latex)}`;
    case 'tuple': return `${a.open}${keys(a.items).join(';')}${a.close}`;
    case 'set': return a.items.length === 1 && a.written !== 'braces' ? keyOf(a.items[0], nested) : `{${unordered(a.items)}}`;
    case 'union': return `union{${unordered(a.items)}}`;
    case 'matrix': return `matrix[${a.rows.map(keys).map((r) => r.join(';')).join('|')}]`;
    case 'named': return nested ? `${squeeze(a.name)}=${keyOf(a.value, true)}` : keyOf(a.value);
    case 'relation': return `relation:${a.sides.map((side, i) => `${i ? a.ops[i - 1] : ''}${mathKey(side)}`).join('')}`;
  }
}

const mathKey = (latex: string): string => toMathForm(latex)?.canonical ?? squeeze(latex);
