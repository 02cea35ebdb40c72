/** Exact rational numbers on BigInt, and the plain-number spellings answers use. */

export interface Rational { num: bigint; den: bigint }

/** Past this many digits a literal is not read exactly (BigInt work grows with it; no answer needs more). */
const MAX_DIGITS = 400;

export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError('zero denominator');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num < 0n ? -num : num, den);
  return { num: num / g, den: den / g };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}

export const add = (a: Rational, b: Rational): Rational => rational(a.num * b.den + b.num * a.den, a.den * b.den);
export const mul = (a: Rational, b: Rational): Rational => rational(a.num * b.num, a.den * b.den);
export const div = (a: Rational, b: Rational): Rational => rational(a.num * b.den, a.den * b.num);
export const neg = (a: Rational): Rational => ({ num: -a.num, den: a.den });
export const sameRational = (a: Rational, b: Rational): boolean => a.num === b.num && a.den === b.den;
export const formatRational = (a: Rational): string => (a.den === 1n ? String(a.num) : `${a.num}/${a.den}`);

export function toNumber(a: Rational): number {
  const n = Number(a.num) / Number(a.den);
  if (Number.isFinite(n)) return n;
  // Both parts beyond double range: scale them down together.
  const shift = BigInt(Math.max(a.num.toString().length, a.den.toString().length) - 300);
  const scale = 10n ** (shift > 0n ? shift : 0n);
  return Number(a.num / scale) / Number(a.den / scale);
}

/** `1.25e-3`-style digits (already stripped of separators) as an exact rational; null when they are not one. */
export function parseDecimal(text: string): Rational | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/.exec(text);
  if (!m || (!m[2] && !m[3]) || m[2].length + (m[3]?.length ?? 0) > MAX_DIGITS) return null;
  const digits = BigInt(`${m[2] || '0'}${m[3] ?? ''}`);
  const exponent = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  if (Math.abs(exponent) > MAX_DIGITS) return null;
  const value = exponent >= 0 ? rational(digits * 10n ** BigInt(exponent)) : rational(digits, 10n ** BigInt(-exponent));
  return m[1] === '-' ? neg(value) : value;
}

/** The number of digits after the decimal point a literal was written with (its stated precision). */
export function decimalPlaces(text: string): number {
  const m = /\.(\d+)/.exec(text);
  const exponent = Number(/[eE]([+-]?\d+)/.exec(text)?.[1] ?? 0);
  return (m?.[1].length ?? 0) - exponent;
}

/**
 * A plain number in one of the spellings answers use, after normalisation: integers, decimals, `1.5e3`,
 * `1.5\times10^{3}`, `\frac{a}{b}` and `a/b` of such, mixed numbers `2\frac{1}{3}`, a leading sign.
 * Null for anything else (that is the symbolic comparison's job).
 */
export function parseRational(text: string): Rational | null {
  const s = text.replace(/\s+/g, '').replace(/^\{([^{}]*)\}$/, '$1');
  const sign = /^[+-]/.exec(s)?.[0] ?? '';
  const body = s.slice(sign.length);
  const value = unsigned(body);
  if (!value) return null;
  return sign === '-' ? neg(value) : value;
}

function unsigned(s: string): Rational | null {
  const decimal = parseDecimal(s);
  if (decimal) return decimal;
  const scientific = /^(\d*\.?\d+)(?:\\times|\\cdot|\*)10\^(?:\{([+-]?\d{1,4})\}|(\d))$/.exec(s);
  if (scientific) return parseDecimal(`${scientific[1]}e${scientific[2] ?? scientific[3]}`);
  const mixed = /^(\d+)\\frac\{(\d+)\}\{(\d+)\}$/.exec(s);
  if (mixed) {
    const [whole, num, den] = [mixed[1], mixed[2], mixed[3]].map((d) => parseDecimal(d));
    // A mixed number's fraction is proper; `2\frac{7}{3}` is not a spelling anyone uses for 13/3.
    if (whole && num && den && den.num !== 0n && num.num < den.num) return add(whole, div(num, den));
    return null;
  }
  const frac = /^\\frac\{([+-]?[\d.]+)\}\{([+-]?[\d.]+)\}$/.exec(s) ?? /^([\d.]+)\/([+-]?[\d.]+)$/.exec(s);
  if (frac) {
    const num = parseDecimal(frac[1]);
    const den = parseDecimal(frac[2]);
    return num && den && den.num !== 0n ? div(num, den) : null;
  }
  return null;
}
