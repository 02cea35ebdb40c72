/** Reads a normalised answer into its structure: a number, an expression, a tuple, a set, an equation… */
import { splitKeepingSeparators, splitTopLevel, wrapsWhole } from './latex';
import { normalizeLatex, withoutThousandsSeparators, withoutUnit } from './normalize';
import { parseRational, type Rational } from './rational';

export type RelationOp = '=' | '<' | '>' | '\\le' | '\\ge' | '\\ne';

export type Answer =
  /** Words, compared without regard to case: `\text{Evelyn}`, `odd`. */
  | { kind: 'text'; text: string }
  /** A multiple-choice letter: `\text{(C)}`, `(C)`. */
  | { kind: 'choice'; letter: string }
  /** A plain number, held exactly. */
  | { kind: 'number'; value: Rational; latex: string }
  /** Anything else that is one mathematical value; compared symbolically. */
  | { kind: 'expr'; latex: string }
  /** Brackets around comma-separated items: a point, a vector, or (with two items) an interval. */
  | { kind: 'tuple'; open: '(' | '['; close: ')' | ']'; items: Answer[] }
  /** Order does not matter: `\{1, 2\}`, a solution list `1, 2`, the two values of `a \pm b`. */
  | { kind: 'set'; items: Answer[]; written: 'braces' | 'list' | 'pm' }
  | { kind: 'union'; items: Answer[] }
  | { kind: 'matrix'; rows: Answer[][] }
  /** `x = 5`, `(p, q) = (3, 2)`, `x \in [0, 1)`: a value given a name, graded by the value. */
  | { kind: 'named'; name: string; op: '=' | '\\in'; value: Answer }
  /** An equation or inequality between expressions: `2x + 4y = 3`, `x \le 5`, `-2 \le x \le 7`. */
  | { kind: 'relation'; sides: string[]; ops: RelationOp[] };

/** Parts past this many are not compared one by one (no answer has that many). */
const MAX_ITEMS = 64;

const LIST_SEPARATOR = /,|\\text\s*\{\s*(?:and|or|,)\s*\}|\s(?:and|or)\s/;
const RELATION = /=|<|>|\\le(?![a-zA-Z])|\\ge(?![a-zA-Z])|\\ne(?![a-zA-Z])|\\in(?![a-zA-Z])|\\approx(?![a-zA-Z])/;

export function parseAnswer(raw: string): Answer {
  const s = normalizeLatex(raw);
  const groups = nonEmpty(splitTopLevel(s, /;/));
  if (groups.length > 1) return listOf(groups.map(parseList), 'list');
  return parseList(s);
}

function parseList(s: string): Answer {
  const whole = withoutThousandsSeparators(s.trim());
  if (whole) return parseElement(whole);
  const parts = nonEmpty(splitTopLevel(s, LIST_SEPARATOR));
  return parts.length > 1 ? listOf(parts.map(parseElement), 'list') : parseElement(parts[0] ?? '');
}

function listOf(items: Answer[], written: 'list' | 'braces' | 'pm'): Answer {
  // `1, 2 \pm \sqrt3` lists three values: the two of the `\pm` join the list.
  const flat = items.flatMap((a) => (a.kind === 'set' && a.written === 'pm' ? a.items : [a]));
  return { kind: 'set', items: flat.slice(0, MAX_ITEMS), written };
}

function nonEmpty(parts: string[]): string[] {
  return parts.map((p) => p.trim()).filter(Boolean);
}

function parseElement(raw: string): Answer {
  let s = raw.trim().replace(/(?<!\\)[.,;]+$/, '').trim();
  if (/^\{[^]*\}$/.test(s) && wrapsWhole(s)) return parseList(s.slice(1, -1)); // a bare group, not a set
  const whole = withoutThousandsSeparators(s);
  if (whole) s = whole;
  return choice(s) ?? text(s) ?? relation(s) ?? union(s) ?? bracketed(s) ?? plusMinus(s) ?? value(withoutUnit(s) ?? s);
}

function choice(s: string): Answer | null {
  const m = /^(?:\\text\s*\{\s*\(?([A-Ea-e])\)?\s*\}|\(([A-Ea-e])\))$/.exec(s);
  return m ? { kind: 'choice', letter: (m[1] ?? m[2]).toUpperCase() } : null;
}

function text(s: string): Answer | null {
  const m = /^\\text\s*\{([^{}]*)\}$/.exec(s);
  if (m) return { kind: 'text', text: m[1].trim() };
  // Bare words: at least three letters each, so `xy` stays a product of two variables.
  if (/^[a-zA-Z]{3,}(?:\s+[a-zA-Z]+)*$/.test(s)) return { kind: 'text', text: s };
  return null;
}

function union(s: string): Answer | null {
  const parts = nonEmpty(splitTopLevel(s, /\\cup(?![a-zA-Z])/));
  return parts.length > 1 ? { kind: 'union', items: parts.slice(0, MAX_ITEMS).map(parseElement) } : null;
}

function relation(s: string): Answer | null {
  const split = splitKeepingSeparators(s, RELATION);
  const sides = split.parts.map((side) => side.trim());
  const ops = split.separators;
  if (!ops.length || sides.some((side) => !side)) return null;

  // An approximate value after an exact one (`x = 1/3 \approx 0.33`) adds nothing; alone, it is the value.
  const approx = ops.indexOf('\\approx');
  if (approx >= 0) {
    const exact = approx === 0 ? `${sides[0]} = ${sides[1]}` : rejoin(sides.slice(0, approx + 1), ops.slice(0, approx));
    return parseElement(exact);
  }
  if (ops[0] === '\\in' && ops.length === 1 && isName(sides[0])) return { kind: 'named', name: sides[0], op: '\\in', value: parseList(sides[1]) };
  if (ops.includes('\\in')) return null;
  // `x = 5 + 5 + 1 = 11`: a chain of equalities names its last value.
  if (ops.every((op) => op === '=')) {
    const [first, last] = [sides[0], sides[sides.length - 1]];
    if (isName(first)) return { kind: 'named', name: first, op: '=', value: parseList(last) };
    return { kind: 'relation', sides: [first, last], ops: ['='] };
  }
  return { kind: 'relation', sides, ops: ops as RelationOp[] };
}

function rejoin(sides: string[], ops: string[]): string {
  return sides.map((side, i) => (i ? ` ${ops[i - 1]} ${side}` : side)).join('');
}

/**
 * Whether the left side of `=` only names the value (`x`, `f(x)`, `a_{37}`, `(p, q)`, `|AB|`, `A:B`):
 * no digits outside subscripts and no `+`/`-`. `2x + z = 1` and `7 = 11a + c` are real equations.
 */
export function isName(side: string): boolean {
  const bare = side.replace(/_\s*(?:\{[^{}]*\}|\w)/g, '').replace(/\\text\s*\{[^{}]*\}/g, 't');
  return bare.length > 0 && !/[\d+\-=<>]|\\(?:le|ge|ne|pm|mp)(?![a-zA-Z])/.test(bare);
}

function bracketed(s: string): Answer | null {
  const env = /^\\begin\s*\{([pbBvV]?matrix|array)\}(?:\s*\{[^{}]*\})?([^]*)\\end\s*\{\1\}$/.exec(s);
  if (env) return matrix(env[2]);
  const wrappedMatrix = /^[([]\s*(\\begin[^]*\\end\s*\{[a-zA-Z]*\})\s*[)\]]$/.exec(s);
  if (wrappedMatrix && wrapsWhole(s)) return bracketed(wrappedMatrix[1]);
  if (s.startsWith('\\{') && s.endsWith('\\}') && wrapsWhole(s)) {
    return listOf(nonEmpty(splitTopLevel(s.slice(2, -2), LIST_SEPARATOR)).map(parseElement), 'braces');
  }
  const open = s[0];
  const close = s[s.length - 1];
  if ((open !== '(' && open !== '[') || (close !== ')' && close !== ']') || !wrapsWhole(s)) return null;
  const inner = s.slice(1, -1);
  let items = nonEmpty(splitTopLevel(inner, /,/));
  if (items.length < 2) items = nonEmpty(splitTopLevel(inner, /;/)); // `(0;-2;6)`
  if (items.length < 2) return null;
  return { kind: 'tuple', open, close, items: items.slice(0, MAX_ITEMS).map(parseElement) };
}

function matrix(body: string): Answer {
  const rows = nonEmpty(body.split(/\\\\(?:\[[^\]]*\])?/)).filter((row) => !/^\\hline$/.test(row));
  return { kind: 'matrix', rows: rows.slice(0, MAX_ITEMS).map((row) => row.split('&').slice(0, MAX_ITEMS).map((cell) => parseElement(cell))) };
}

/** `a \pm b` is the two values `a + b` and `a - b` (each further `\pm` doubles them). */
function plusMinus(s: string): Answer | null {
  const at = s.search(/\\(?:pm|mp)(?![a-zA-Z])/);
  if (at < 0) return null;
  const before = s.slice(0, at);
  const after = s.slice(at + 3);
  const values = [`${before}+${after}`, `${before}-${after}`].map((v) => parseElement(v.replace(/^\+/, '')));
  return { kind: 'set', written: 'pm', items: values.flatMap((v) => (v.kind === 'set' ? v.items : [v])).slice(0, MAX_ITEMS) };
}

function value(s: string): Answer {
  const number = parseRational(s);
  if (number) return { kind: 'number', value: number, latex: s };
  return { kind: 'expr', latex: s };
}
