/**
 * Symbolic comparison of two LaTeX expressions: the compute engine parses them to canonical MathJSON;
 * equal canonical forms are equal, otherwise the two are evaluated at sample points.
 */
// @ts-expect-error TS1479: the package's types are ESM-only (and resolve to `any` from here); tsx and esbuild
// load its ESM build into this CommonJS project. `Engine` below types the part we use.
import { ComputeEngine as UntypedEngine } from '@cortex-js/compute-engine';
import type { Deadline } from './deadline';
import { close, evaluate, formatComplex, isFiniteComplex, type Complex } from './numeric';
import { decimalPlaces } from './rational';
import { differ, same, type Verdict } from './verdict';

/** Longer LaTeX is not handed to the parser (its recursion overflows the stack on long sums). */
const MAX_LATEX = 400;
/** Decimals with more significant digits than the numeric check resolves are approximations at best. */
const MAX_CHECKED_DIGITS = 11;
export const SAMPLE_POINTS = 6;

export interface MathForm {
  latex: string;
  json: unknown;
  /** The canonical MathJSON as a string: equal strings are the same expression. */
  canonical: string;
  /** Decimal literals as written, e.g. `1.414`: the expression is then an approximation unless proved exact. */
  decimals: string[];
  /** Free symbols (`x`, `a_1`). */
  symbols: string[];
}

interface Engine {
  parse(latex: string): { json: unknown };
  pushScope(): void;
  popScope(): void;
}
const ComputeEngine = UntypedEngine as new () => Engine;
let engine: Engine | undefined;
const cache = new Map<string, MathForm | null>();
const CACHE_SIZE = 4096;

/** The canonical form of an expression; null when it does not parse (or is too long to try). */
export function toMathForm(latex: string): MathForm | null {
  const hit = cache.get(latex);
  if (hit !== undefined) return hit;
  const form = parseForm(latex);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(latex, form);
  return form;
}

function parseForm(latex: string): MathForm | null {
  // `1e51000000` makes the parser build the number's every digit (seconds, gigabytes): not an answer anyway.
  // The parser reads digits across spaces, so spaces do not split such a literal.
  if (latex.length > MAX_LATEX || !latex.trim() || /\d[eE][+-]?\d{4,}/.test(latex.replace(/\s+/g, ''))) return null;
  const decimals = latex.match(/(?<![\d.])\d*\.\d+/g) ?? [];
  const ce = (engine ??= new ComputeEngine());
  // A scope per parse: the engine infers a symbol's type from its use (`x_1` makes `x` a list) and
  // would carry that into unrelated answers.
  ce.pushScope();
  // The engine reports its own failures on malformed input with console.error (a CLI would print them
  // between verdicts); parse is synchronous, so muting it for the call touches nothing else.
  const consoleError = console.error;
  console.error = () => {};
  try {
    const json = ce.parse(forParser(latex)).json;
    const canonical = JSON.stringify(json);
    if (/"Error"|"Sequence"|"Tuple"|"LatexString"/.test(canonical)) return null;
    return { latex, json, canonical, decimals, symbols: [...new Set(collectSymbols(json))].sort() };
  } catch {
    return null; // the parser's own failures (stack overflow on deep nesting) mean "not an expression"
  } finally {
    console.error = consoleError;
    ce.popScope();
  }
}

/** Decimals become exact fractions (so `0.5\pi` is `\frac{\pi}{2}`), `x_{1}` one symbol (not "element 1 of x"), `\binom` factorials. */
function forParser(latex: string): string {
  return latex
    .replace(/\\[dt]?binom\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '\\frac{($1)!}{($2)!(($1)-($2))!}') // unknown to the parser
    .replace(/(?<![\d.])(\d*)\.(\d+)/g, (_, whole: string, frac: string) => `\\left(\\frac{${whole}${frac}}{1${'0'.repeat(frac.length)}}\\right)`)
    .replace(/(?<!\\[a-zA-Z]*)([a-zA-Z])_(?:\{([a-zA-Z0-9]{1,8})\}|([a-zA-Z0-9]))/g, (_, name: string, a?: string, b?: string) => `\\mathrm{${name}_${a ?? b}}`);
}

const CONSTANTS = new Set(['Pi', 'ExponentialE', 'ImaginaryUnit', 'PositiveInfinity', 'NegativeInfinity', 'ComplexInfinity', 'NaN', 'Half', 'Nothing']);

function collectSymbols(json: unknown): string[] {
  if (typeof json === 'string') return CONSTANTS.has(json) || /^'/.test(json) ? [] : [json];
  if (!Array.isArray(json)) return [];
  return json.slice(1).flatMap(collectSymbols);
}

/** `pred` and `gold` as expressions: equal canonical forms, or equal values at every sample point. */
export function compareMath(pred: string, gold: string, deadline: Deadline): Verdict {
  const a = toMathForm(pred);
  deadline.check();
  const b = toMathForm(gold);
  deadline.check();
  if (!a || !b) return compareAsText(pred, gold, a ? gold : pred);
  if (a.canonical === b.canonical) return same('symbolically equal');
  const outcome = sampleBoth(a, b, deadline);
  if (outcome.kind === 'unknown') return differ(`cannot evaluate ${outcome.which === 'a' ? pred : gold}: not shown equal`);
  const approx = approximation(a, b, outcome);
  if (approx) return approx;
  if (outcome.kind === 'equal') {
    return outcome.symbols.length
      ? same(`equal as functions of ${outcome.symbols.join(', ')} (agree at ${outcome.points} sample points)`)
      : same(`equal in value (≈ ${formatComplex(outcome.a)})`);
  }
  if (!outcome.symbols.length) return differ(`different values (≈ ${formatComplex(outcome.a)} vs ≈ ${formatComplex(outcome.b)})`);
  return differ(`different expressions (at ${outcome.at}: ${formatComplex(outcome.a)} vs ${formatComplex(outcome.b)})`);
}

function compareAsText(pred: string, gold: string, unreadable: string): Verdict {
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  if (squeeze(pred) === squeeze(gold)) return same('identical after normalisation');
  return differ(`cannot read ${unreadable.length > 40 ? `${unreadable.slice(0, 39)}…` : unreadable} as math; different text`);
}

type Outcome =
  | { kind: 'equal' | 'differ'; a: Complex; b: Complex; at: string; points: number; symbols: string[] }
  | { kind: 'unknown'; which: 'a' | 'b' };

/** Evaluate both at the same sample points (every free symbol a fixed pseudo-random value per point). */
function sampleBoth(a: MathForm, b: MathForm, deadline: Deadline): Outcome {
  const symbols = [...new Set([...a.symbols, ...b.symbols])].sort();
  const points = symbols.length ? SAMPLE_POINTS : 1;
  let valid = 0;
  let first: { a: Complex; b: Complex } | null = null;
  let unknown: 'a' | 'b' = 'a';
  for (let p = 0; p < points; p++) {
    const assign = (name: string): Complex => ({ re: samplePoint(name, p), im: 0 });
    const va = evaluate(a.json, assign, deadline);
    const vb = evaluate(b.json, assign, deadline);
    if (!isFiniteComplex(va) || !isFiniteComplex(vb)) {
      // Both infinite the same way (`\infty` and `+\infty`) is agreement; anything else skips the point.
      if (va.re === vb.re && va.im === vb.im && !Number.isNaN(va.re)) return { kind: 'equal', a: va, b: vb, at: '', points: 1, symbols };
      unknown = isFiniteComplex(va) ? 'b' : 'a';
      continue;
    }
    valid++;
    first ??= { a: va, b: vb };
    if (!close(va, vb)) {
      const at = symbols.map((s) => `${s} = ${Number(samplePoint(s, p).toPrecision(3))}`).join(', ');
      return { kind: 'differ', a: va, b: vb, at, points: valid, symbols };
    }
  }
  if (!first || valid < Math.min(3, points)) return { kind: 'unknown', which: unknown };
  return { kind: 'equal', ...first, at: '', points: valid, symbols };
}

/** A fixed value in [0.35, 2.35) for each symbol and point: away from 0 and 1, never an integer. */
export function samplePoint(name: string, point: number): number {
  let h = 2166136261 ^ point;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return 0.35 + ((h >>> 0) % 1_000_003) / 500_000 + 1e-7;
}

/**
 * A decimal against an exact value is an approximation, never equal: `1.414` is not `\sqrt{2}` even
 * though it is close. Exactly equal decimals (`0.5\pi` and `\frac{\pi}{2}`) were settled before this.
 */
function approximation(a: MathForm, b: MathForm, outcome: Outcome): Verdict | null {
  if (outcome.kind === 'unknown' || outcome.symbols.length) {
    if (outcome.kind === 'equal' && tooPrecise(a, b)) return differ(`${a.latex} agrees with ${b.latex} only to the digits a double holds: not shown equal`);
    return null;
  }
  const [approx, exact, va, vb] = a.decimals.length && !b.decimals.length ? [a, b, outcome.a, outcome.b] : b.decimals.length && !a.decimals.length ? [b, a, outcome.b, outcome.a] : [];
  if (!approx || !exact || !va || !vb) return null;
  const places = Math.max(...approx.decimals.map(decimalPlaces));
  const near = Math.abs(va.re - vb.re) <= 10 ** -places && Math.abs(va.im - vb.im) <= 10 ** -places;
  if (near && (outcome.kind === 'differ' || tooPrecise(a, b))) return differ(`${approx.latex} is an approximation of ${exact.latex}`);
  return null;
}

function tooPrecise(a: MathForm, b: MathForm): boolean {
  return [...a.decimals, ...b.decimals].some((d) => d.replace(/^[0.]+/, '').replace('.', '').length > MAX_CHECKED_DIGITS);
}
