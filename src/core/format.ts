/** Human-readable numbers shared by the CLI and the extension. */

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** Single-token LaTeX commands and their plain-text characters. */
const SYMBOLS: Record<string, string> = {
  pi: 'π', cdot: '·', times: '×', div: '÷', pm: '±', mp: '∓', infty: '∞', le: '≤', leq: '≤', ge: '≥', geq: '≥',
  ne: '≠', neq: '≠', approx: '≈', circ: '°', degree: '°', theta: 'θ', alpha: 'α', beta: 'β', gamma: 'γ',
  cup: '∪', cap: '∩', in: '∈', to: '→', dots: '…', ldots: '…', cdots: '⋯', quad: ' ', qquad: ' ',
  delta: 'δ', Delta: 'Δ', lambda: 'λ', mu: 'μ', sigma: 'σ', omega: 'ω', phi: 'φ', epsilon: 'ε',
  lfloor: '⌊', rfloor: '⌋', lceil: '⌈', rceil: '⌉', sum: 'Σ', prod: 'Π', int: '∫', angle: '∠',
  triangle: '△', perp: '⊥', parallel: '∥', cong: '≅', sim: '∼', equiv: '≡', subseteq: '⊆', emptyset: '∅',
};

/** A fraction's argument: a group, or (as `\frac32` and `\frac a b` are written) one digit, letter or command. */
const FRAC_ARG = String.raw`\{([^{}]*)\}|(\d|[a-zA-Z]|\\[a-zA-Z]+)`;
const FRACTION = new RegExp(String.raw`\\[dt]?frac\s*(?:${FRAC_ARG})\s*(?:${FRAC_ARG})`, 'g');

/** An answer in LaTeX as plain text, for places that cannot typeset it (notifications, status
 * lines): `\frac{14}{3}` → 14/3, `2\sqrt{2}` → 2√2, `\left(3, \frac{\pi}{2}\right)` → (3, π/2). */
export function plainMath(tex: string): string {
  let s = tex.replace(/\\(?:left|right|displaystyle|!|,|;|:)(?![a-zA-Z])/g, '').replace(/\\(?:text\w*|underbrace|overbrace|mathbf|mathrm)\s*\{([^{}]*)\}/g, '$1');
  const group = (inner: string) => (/^[\w.π√]+$/u.test(inner) ? inner : `(${inner})`);
  // Innermost first, so nested fractions and roots come out right.
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(FRACTION, (_, a?: string, a1?: string, b?: string, b1?: string) => `${group(plainMath(a ?? a1 ?? ''))}/${group(plainMath(b ?? b1 ?? ''))}`)
      .replace(/\\sqrt\s*\{([^{}]*)\}/g, (_, a: string) => `√${group(plainMath(a))}`);
  }
  return s
    .replace(/\\sqrt\s*(\d+|[a-zA-Z])/g, '√$1')
    .replace(/\^\s*\{?\s*\\circ\s*\}?/g, '°')
    .replace(/\\([a-zA-Z]+)/g, (whole, name: string) => SYMBOLS[name] ?? whole)
    .replace(/\\([{}%$])/g, '$1')
    .replace(/\^\{([^{}]*)\}/g, '^$1')
    .replace(/\s+/g, ' ')
    .trim();
}
