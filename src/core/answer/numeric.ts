/**
 * Numeric evaluation of MathJSON in complex double precision, for checking an identity at sample points.
 * Our own evaluator rather than the compute engine's: every step is a bounded double operation, so
 * `10^{10^{10}}` is Infinity at once instead of an exact power that fills the memory.
 */
import type { Deadline } from './deadline';

export interface Complex { re: number; im: number }

const NAN: Complex = { re: NaN, im: NaN };
const real = (re: number): Complex => ({ re, im: 0 });

/** Values of free symbols (and of sub-expressions the evaluator cannot compute, keyed by their MathJSON). */
export type Assign = (name: string) => Complex;

/** Nodes evaluated per call at most: a bound on work that does not depend on the clock. */
const MAX_NODES = 20000;

export function evaluate(json: unknown, assign: Assign, deadline: Deadline): Complex {
  let nodes = 0;
  const ev = (node: unknown): Complex => {
    if (++nodes > MAX_NODES) return NAN;
    if ((nodes & 255) === 0) deadline.check();
    if (typeof node === 'number') return real(node);
    if (typeof node === 'string') return symbol(node, assign);
    if (!Array.isArray(node)) {
      const num = (node as { num?: unknown } | null)?.num;
      return typeof num === 'string' ? real(Number(num.replace(/[()]/g, ''))) : NAN;
    }
    const [head, ...args] = node as [string, ...unknown[]];
    if (head === 'Complex') return { re: Number(args[0]), im: Number(args[1]) };
    if (head === 'Rational') return div(ev(args[0]), ev(args[1]));
    const fn = FUNCTIONS[head];
    if (!fn) return assign(JSON.stringify(node)); // an unknown function: the same value on both sides
    return fn(args.map(ev));
  };
  return ev(json);
}

function symbol(name: string, assign: Assign): Complex {
  switch (name) {
    case 'Pi': return real(Math.PI);
    case 'ExponentialE': return real(Math.E);
    case 'ImaginaryUnit': return { re: 0, im: 1 };
    case 'PositiveInfinity': return real(Infinity);
    case 'NegativeInfinity': return real(-Infinity);
    case 'Half': return real(0.5);
    case 'NaN': case 'ComplexInfinity': case 'Nothing': return NAN;
    default: return /^'.*'$/.test(name) ? NAN : assign(name);
  }
}

const add = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im });
const mul = (a: Complex, b: Complex): Complex =>
  b.im === 0 && a.im === 0 ? real(a.re * b.re) : { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
function div(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0) return real(a.re / b.re);
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
}
const abs = (a: Complex): number => Math.hypot(a.re, a.im);
const ln = (a: Complex): Complex => (a.im === 0 && a.re > 0 ? real(Math.log(a.re)) : { re: Math.log(abs(a)), im: Math.atan2(a.im, a.re) });
function exp(a: Complex): Complex {
  const m = Math.exp(a.re);
  return a.im === 0 ? real(m) : { re: m * Math.cos(a.im), im: m * Math.sin(a.im) };
}
function pow(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0 && (a.re >= 0 || Number.isInteger(b.re))) return real(Math.pow(a.re, b.re));
  if (a.re === 0 && a.im === 0) return real(b.re > 0 ? 0 : NaN);
  return exp(mul(b, ln(a)));
}
const root = (a: Complex, n: Complex): Complex =>
  // The real cube root of a negative number, as MATH answers mean it.
  a.im === 0 && n.im === 0 && a.re < 0 && Math.abs(n.re % 2) === 1 ? real(-Math.pow(-a.re, 1 / n.re)) : pow(a, div(real(1), n));
/** A real-only function: complex arguments give NaN, which skips that sample point. */
const realFn = (f: (x: number) => number) => ([a]: Complex[]): Complex => (a.im === 0 ? real(f(a.re)) : NAN);

function factorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) return NaN;
  if (n > 170) return Infinity;
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

function gcd(a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return NaN;
  [a, b] = [Math.abs(a), Math.abs(b)];
  while (b) [a, b] = [b, a % b];
  return a;
}

const FUNCTIONS: Record<string, (args: Complex[]) => Complex> = {
  Add: (args) => args.reduce(add, real(0)),
  Subtract: ([a, b]) => add(a, mul(real(-1), b)),
  Negate: ([a]) => mul(real(-1), a),
  Multiply: (args) => args.reduce(mul, real(1)),
  Divide: ([a, b]) => div(a, b),
  Power: ([a, b]) => pow(a, b),
  Square: ([a]) => mul(a, a),
  Sqrt: ([a]) => root(a, real(2)),
  Root: ([a, n]) => root(a, n),
  Exp: ([a]) => exp(a),
  Ln: ([a]) => ln(a),
  Log: ([a, base]) => div(ln(a), ln(base ?? real(10))),
  Lb: ([a]) => div(ln(a), real(Math.LN2)),
  Lg: ([a]) => div(ln(a), real(Math.LN10)),
  Abs: ([a]) => real(abs(a)),
  Delimiter: ([a]) => a,
  Sin: realFn(Math.sin),
  Cos: realFn(Math.cos),
  Tan: realFn(Math.tan),
  Sec: realFn((x) => 1 / Math.cos(x)),
  Csc: realFn((x) => 1 / Math.sin(x)),
  Cot: realFn((x) => 1 / Math.tan(x)),
  Arcsin: realFn(Math.asin),
  Arccos: realFn(Math.acos),
  Arctan: realFn(Math.atan),
  Arccot: realFn((x) => Math.atan(1 / x)),
  Sinh: realFn(Math.sinh),
  Cosh: realFn(Math.cosh),
  Tanh: realFn(Math.tanh),
  Factorial: realFn(factorial),
  Floor: realFn(Math.floor),
  Ceil: realFn(Math.ceil),
  Max: (args) => (args.every((a) => a.im === 0) ? real(Math.max(...args.map((a) => a.re))) : NAN),
  Min: (args) => (args.every((a) => a.im === 0) ? real(Math.min(...args.map((a) => a.re))) : NAN),
  GCD: (args) => (args.every((a) => a.im === 0) ? real(args.map((a) => a.re).reduce(gcd)) : NAN),
  LCM: (args) => (args.every((a) => a.im === 0) ? real(args.map((a) => a.re).reduce((x, y) => (x * y) / gcd(x, y))) : NAN),
};

/** Whether two values agree to about 11 significant digits (double rounding stays far below that). */
export function close(a: Complex, b: Complex, relative = 1e-11): boolean {
  if (a.re === b.re && a.im === b.im) return true;
  // Below 1e-4 the tolerance stops shrinking, so rounding noise such as sin(pi) = 1e-16 still reads as 0.
  const scale = Math.max(1e-4, abs(a), abs(b));
  return Math.abs(a.re - b.re) <= relative * scale && Math.abs(a.im - b.im) <= relative * scale;
}

export const isFiniteComplex = (a: Complex): boolean => Number.isFinite(a.re) && Number.isFinite(a.im);

export function formatComplex(a: Complex): string {
  const f = (x: number) => String(Number(x.toPrecision(6)));
  if (a.im === 0) return f(a.re);
  return `${f(a.re)}${a.im < 0 ? '-' : '+'}${f(Math.abs(a.im))}i`;
}
