/** Structural comparison of two parsed answers: tuples in order, sets in any order, intervals by their ends… */
import type { Deadline } from './deadline';
import { isName, parseAnswer, type Answer } from './parse';
import { decimalPlaces, formatRational, sameRational, toNumber } from './rational';
import { compareRelations, type Relation } from './relations';
import { compareMath, toMathForm } from './symbolic';
import { differ, kindName, same, show, type Verdict } from './verdict';

type Of<K extends Answer['kind']> = Extract<Answer, { kind: K }>;

/** `nested`: inside a tuple, list or matrix, where names tell the parts apart (`a_3 = 2, a_{37} = 19`). */
export function compareAnswers(pred: Answer, gold: Answer, deadline: Deadline, nested = false): Verdict {
  deadline.check();
  const a = single(pred);
  const b = single(gold);
  if (a.kind === 'named' || b.kind === 'named') return compareNamed(a, b, deadline, nested);
  if (a.kind === 'relation' || b.kind === 'relation') return compareWithRelation(a, b, deadline);

  if (isValue(a) && isValue(b)) return compareValues(a, b, deadline);
  if (isWords(a) && isWords(b)) return compareWords(a, b);
  if (a.kind === 'tuple' && b.kind === 'tuple') return compareTuples(a, b, deadline);
  if (a.kind === 'set' && b.kind === 'set') return compareUnordered(a.items, b.items, 'answers', deadline);
  if (a.kind === 'union' && b.kind === 'union') return compareUnordered(a.items, b.items, 'parts of the union', deadline);
  if (a.kind === 'matrix' && b.kind === 'matrix') return compareMatrices(a, b, deadline);
  // A bare list against a tuple is the tuple written without its brackets: `3, 2` and `(3, 2)`.
  if (a.kind === 'set' && a.written === 'list' && b.kind === 'tuple') return compareInOrder(a.items, b.items, deadline);
  if (b.kind === 'set' && b.written === 'list' && a.kind === 'tuple') return compareInOrder(a.items, b.items, deadline);
  const vector = a.kind === 'matrix' ? asVector(a) : b.kind === 'matrix' ? asVector(b) : null;
  if (vector && (a.kind === 'tuple' || b.kind === 'tuple')) {
    const v = compareInOrder(a.kind === 'matrix' ? vector : (a as Of<'tuple'>).items, b.kind === 'matrix' ? vector : (b as Of<'tuple'>).items, deadline);
    return v.equal ? same(`a vector written as a tuple: ${v.reason}`) : v;
  }
  return differ(`pred is ${kindName(a)}, gold is ${kindName(b)}`);
}

/** A list of one is that one answer. */
function single(a: Answer): Answer {
  return a.kind === 'set' && a.written !== 'braces' && a.items.length === 1 ? single(a.items[0]) : a;
}

const isValue = (a: Answer): a is Of<'number'> | Of<'expr'> => a.kind === 'number' || a.kind === 'expr';
const isWords = (a: Answer): boolean => a.kind === 'text' || a.kind === 'choice' || (a.kind === 'expr' && /^[a-zA-Z]+$/.test(a.latex));

function compareValues(a: Of<'number'> | Of<'expr'>, b: Of<'number'> | Of<'expr'>, deadline: Deadline): Verdict {
  if (a.kind === 'number' && b.kind === 'number') {
    if (sameRational(a.value, b.value)) return same(`equal as rationals ${formatRational(a.value)}`);
    const approx = approximates(a, b) ?? approximates(b, a);
    if (approx) return approx;
    return differ(`different numbers: ${formatRational(a.value)} vs ${formatRational(b.value)}`);
  }
  return compareMath(a.latex, b.latex, deadline);
}

/** `0.33` is an approximation of `\frac{1}{3}`: close at its stated precision, but not the same number. */
function approximates(approx: Of<'number'>, exact: Of<'number'>): Verdict | null {
  const places = decimalPlaces(approx.latex);
  if (places <= 0 || decimalPlaces(exact.latex) > 0) return null;
  const gap = Math.abs(toNumber(approx.value) - toNumber(exact.value));
  return gap <= 10 ** -places ? differ(`${approx.latex} is an approximation of ${exact.latex}`) : null;
}

function words(a: Answer): string {
  const raw = a.kind === 'text' ? a.text : a.kind === 'choice' ? a.letter : a.kind === 'expr' ? a.latex : '';
  return raw.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function compareWords(a: Answer, b: Answer): Verdict {
  // Words and choice letters ignore case (two math symbols never get here: `x` is not `X`).
  const [x, y] = [words(a), words(b)];
  if (x === y) return same(a.kind === 'choice' || b.kind === 'choice' ? `same choice (${x.toUpperCase()})` : 'same text, ignoring case');
  return differ(`different ${a.kind === 'choice' && b.kind === 'choice' ? 'choices' : 'text'}: ${show(a)} vs ${show(b)}`);
}

function compareTuples(a: Of<'tuple'>, b: Of<'tuple'>, deadline: Deadline): Verdict {
  if (a.open !== b.open || a.close !== b.close) {
    return differ(`different brackets: ${a.open}…${a.close} vs ${b.open}…${b.close}${a.items.length === 2 ? ' (open and closed interval ends differ)' : ''}`);
  }
  return compareInOrder(a.items, b.items, deadline);
}

function compareInOrder(a: Answer[], b: Answer[], deadline: Deadline): Verdict {
  if (a.length !== b.length) return differ(`different tuple lengths (${a.length} vs ${b.length})`);
  for (let i = 0; i < a.length; i++) {
    const v = compareAnswers(a[i], b[i], deadline, true);
    if (!v.equal) return differ(`element ${i + 1} differs: ${v.reason}`);
  }
  return same(`all ${a.length} elements equal in order`);
}

/** Every answer on each side equals one on the other side (order and repeats do not matter). */
function compareUnordered(a: Answer[], b: Answer[], what: string, deadline: Deadline): Verdict {
  const memo = new Map<string, boolean>();
  const eq = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    let v = memo.get(key);
    if (v === undefined) memo.set(key, (v = compareAnswers(a[i], b[j], deadline, true).equal));
    return v;
  };
  const missingInGold = a.findIndex((_, i) => !b.some((_, j) => eq(i, j)));
  if (missingInGold >= 0) return differ(`${show(a[missingInGold])} is not among gold's ${what}${a.length !== b.length ? ` (${a.length} vs ${b.length})` : ''}`);
  const missingInPred = b.findIndex((_, j) => !a.some((_, i) => eq(i, j)));
  if (missingInPred >= 0) return differ(`gold's ${show(b[missingInPred])} is missing${a.length !== b.length ? ` (${a.length} vs ${b.length} ${what})` : ''}`);
  return same(`same ${b.length} ${what} in any order`);
}

function compareMatrices(a: Of<'matrix'>, b: Of<'matrix'>, deadline: Deadline): Verdict {
  const shape = (m: Of<'matrix'>) => `${m.rows.length}×${Math.max(0, ...m.rows.map((r) => r.length))}`;
  if (shape(a) !== shape(b) || a.rows.some((r, i) => r.length !== b.rows[i].length)) return differ(`different matrix shapes (${shape(a)} vs ${shape(b)})`);
  for (let i = 0; i < a.rows.length; i++) {
    for (let j = 0; j < a.rows[i].length; j++) {
      const v = compareAnswers(a.rows[i][j], b.rows[i][j], deadline, true);
      if (!v.equal) return differ(`entry (${i + 1}, ${j + 1}) differs: ${v.reason}`);
    }
  }
  return same(`equal ${shape(a)} matrices`);
}

/** A single row or column, which a tuple can stand for. */
function asVector(m: Of<'matrix'>): Answer[] | null {
  if (m.rows.length === 1) return m.rows[0];
  return m.rows.every((r) => r.length === 1) ? m.rows.map((r) => r[0]) : null;
}

/** `x = 5` is graded by its value. Two names for different things (`y = 2x + 3` and `x = …`) compare as equations. */
function compareNamed(a: Answer, b: Answer, deadline: Deadline, nested: boolean): Verdict {
  if (a.kind === 'named' && b.kind === 'named') {
    if (squeeze(a.name) === squeeze(b.name)) return compareAnswers(a.value, b.value, deadline, nested);
    // With variables, two names make two equations; alone, different names for a constant (`k = 5`,
    // `n = 5`) both name the asked-for value; in a list they tell its parts apart.
    if (hasVariables(a.value) || hasVariables(b.value)) return compareRelations(asRelation(a), asRelation(b), deadline);
    if (nested) return differ(`different names: ${a.name} vs ${b.name}`);
    return compareAnswers(a.value, b.value, deadline);
  }
  // `2x + 4y - 3 = 0` against `y = -\frac{1}{2}x + \frac{3}{4}`: two equations.
  if (a.kind === 'relation' && b.kind === 'named' && hasVariables(b.value)) return compareRelations(a, asRelation(b), deadline);
  if (b.kind === 'relation' && a.kind === 'named' && hasVariables(a.value)) return compareRelations(asRelation(a), b, deadline);
  if (a.kind === 'named') return labelled(compareAnswers(a.value, b, deadline), a, 'pred');
  if (b.kind === 'named') return labelled(compareAnswers(a, b.value, deadline), b, 'gold');
  throw new Error('compareNamed needs a named value');
}

function labelled(v: Verdict, named: Of<'named'>, side: string): Verdict {
  return v.equal ? same(`${v.reason} (${side}'s "${named.name} ${named.op}" dropped)`) : v;
}

const squeeze = (s: string) => s.replace(/\s+/g, '');
const hasVariables = (a: Answer): boolean => a.kind === 'expr' && (toMathForm(a.latex)?.symbols.length ?? 0) > 0;
const asRelation = (a: Of<'named'>): Relation => ({ sides: [a.name, show(a.value, Infinity)], ops: ['='] });

function compareWithRelation(a: Answer, b: Answer, deadline: Deadline): Verdict {
  if (a.kind === 'relation' && b.kind === 'relation') {
    const v = compareRelations(a, b, deadline);
    if (v.equal) return v;
    const [ia, ib] = [asInterval(a), asInterval(b)];
    return ia && ib ? compareAnswers(ia, ib, deadline) : v;
  }
  // `-2 \le x \le 7` against `[-2, 7]`; `k \ge 2` against `[2, \infty)`.
  const interval = a.kind === 'relation' ? asInterval(a) : b.kind === 'relation' ? asInterval(b) : null;
  if (interval && (a.kind === 'tuple' || b.kind === 'tuple' || a.kind === 'union' || b.kind === 'union')) {
    const v = a.kind === 'relation' ? compareAnswers(interval, b, deadline) : compareAnswers(a, interval, deadline);
    return v.equal ? same(`the inequality as an interval: ${v.reason}`) : v;
  }
  return differ(`pred is ${kindName(a)}, gold is ${kindName(b)}`);
}

/** An inequality on one named quantity as the interval it describes, or null. */
function asInterval(r: Of<'relation'>): Answer | null {
  const lower = { '<': '(', '\\le': '[' } as const;
  const upper = { '<': ')', '\\le': ']' } as const;
  const flip = { '>': '<', '\\ge': '\\le', '<': '>', '\\le': '\\ge' } as const;
  const [s, o] = r.ops.every((op) => op === '>' || op === '\\ge')
    ? [[...r.sides].reverse(), r.ops.map((op) => flip[op as '>' | '\\ge'])]
    : [r.sides, r.ops];
  const bound = (side: string) => parseAnswer(side);
  if (o.length === 2 && isName(s[1]) && o.every((op) => op === '<' || op === '\\le')) {
    const [lo, hi] = o as ('<' | '\\le')[];
    return { kind: 'tuple', open: lower[lo], close: upper[hi], items: [bound(s[0]), bound(s[2])] };
  }
  if (o.length !== 1 || (o[0] !== '<' && o[0] !== '\\le' && o[0] !== '>' && o[0] !== '\\ge')) return null;
  const op = o[0];
  // `x < 3` is (-∞, 3); `3 < x` is (3, ∞).
  const [name, value, below] = isName(s[0]) ? [s[0], s[1], op === '<' || op === '\\le'] : isName(s[1]) ? [s[1], s[0], op === '>' || op === '\\ge'] : [];
  if (name === undefined || value === undefined) return null;
  const strict = op === '<' || op === '>';
  const infinity = (sign: string): Answer => ({ kind: 'expr', latex: `${sign}\\infty` });
  return below
    ? { kind: 'tuple', open: '(', close: strict ? ')' : ']', items: [infinity('-'), bound(value)] }
    : { kind: 'tuple', open: strict ? '(' : '[', close: ')', items: [bound(value), infinity('')] };
}
