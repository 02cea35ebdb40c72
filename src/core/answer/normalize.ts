/** MATH-convention clean-up of an answer's LaTeX: one spelling for things that mean the same. */
import { matchBrace, stripMathDelimiters } from './latex';

const UNICODE: [RegExp, string][] = [
  [/[−–]/g, '-'],
  [/×/g, '\\times '],
  [/·/g, '\\cdot '],
  [/π/g, '\\pi '],
  [/∞/g, '\\infty '],
  [/≤/g, '\\le '],
  [/≥/g, '\\ge '],
  [/≠/g, '\\ne '],
  [/∪/g, '\\cup '],
  [/√/g, '\\sqrt '],
  [/°/g, '^\\circ'],
];

/** Rewrites applied in order; each is a plain textual equivalence in MATH answers. */
const REWRITES: [RegExp, string][] = [
  // Sizing commands only change how brackets look; `\left.` is an invisible bracket.
  [/\\(?:left|right|bigg?|Bigg?)[lr]?(?![a-zA-Z])\s*\.?/g, ''],
  [/\\(?:displaystyle|textstyle|scriptstyle|limits|nolimits)(?![a-zA-Z])/g, ''],
  // Spacing; a comma before a negative thin space is a thousands separator (`12,\!000`).
  [/,\s*\\!\s*/g, ','],
  [/(?<!\\)\\(?:q?quad|[,;:! ])|~/g, ' '], // not the `\ ` inside a `\\` row break
  [/\\[dtc]frac(?![a-zA-Z])/g, '\\frac'],
  [/\\(?:textbf|textnormal|textrm|textit|textup|textsf|mbox|hbox)(?![a-zA-Z])/g, '\\text'],
  [/\\(?:mathrm|mathbf|mathit|boldsymbol|bm)\s*\{([^{}]*)\}/g, '$1'],
  // Degrees, percent and dollar signs are units: `90^\circ`, `28\%` and `\$5` are 90, 28 and 5.
  [/\^\s*\{?\s*\\circ\s*\}?|\\degree(?![a-zA-Z])/g, ''],
  [/\\?%/g, ''],
  [/\\\$/g, ''],
  // Math-mode switches inside an isolated answer (`$28$ percent`) carry no meaning.
  [/\$|(?<!\\)\\[()[\]]/g, ' '],
  // `\frac34`, `\frac3{4}`, `\frac{3}4`, `\sqrt3` shorthands.
  [/\\frac\s*(\d)\s*(\d)/g, '\\frac{$1}{$2}'],
  [/\\frac\s*(\d)\s*\{/g, '\\frac{$1}{'],
  [/\\frac\s*(\{[^{}]*\})\s*(\d)/g, '\\frac$1{$2}'],
  [/\\sqrt\s*(\d+|[a-zA-Z](?![a-zA-Z]))/g, '\\sqrt{$1}'],
  // One spelling for each relation.
  [/\\(?:leq|leqslant|le)(?![a-zA-Z])|<=/g, '\\le '],
  [/\\(?:geq|geqslant|ge)(?![a-zA-Z])|>=/g, '\\ge '],
  [/\\(?:neq|ne)(?![a-zA-Z])|!=/g, '\\ne '],
  [/\\lt(?![a-zA-Z])/g, '<'],
  [/\\gt(?![a-zA-Z])/g, '>'],
  [/\+\s*\\infty/g, '\\infty'],
  [/\s*\{\s*,\s*\}\s*/g, ','],
  [/\\(?:dots|ldots|cdots)(?![a-zA-Z])/g, '\\ldots'],
];

/**
 * The answer with MATH's spelling differences removed: math delimiters, a box around the whole answer,
 * `\left`/`\right`, spacing commands, `\dfrac`/`\tfrac`, `\frac34`, degree/percent/dollar signs, one
 * spelling per relation, collapsed whitespace, a closing period. Units and `x =` are left to the parser,
 * which knows where an answer's parts begin and end.
 */
export function normalizeLatex(raw: string): string {
  let s = unwrapBox(stripMathDelimiters(raw));
  for (const [re, to] of UNICODE) s = s.replace(re, to);
  for (const [re, to] of REWRITES) s = s.replace(re, to);
  s = s.replace(/\s+/g, ' ').trim();
  s = s.replace(/(?<!\\)[.,;]+$/, '').trim();
  return s;
}

function unwrapBox(text: string): string {
  let s = text.trim();
  for (;;) {
    const m = /^\\(?:boxed|fbox)\s*\{/.exec(s);
    if (!m || matchBrace(s, m[0].length - 1) !== s.length) return s;
    s = stripMathDelimiters(s.slice(m[0].length, -1));
  }
}

/** Whole-number spellings with thousands separators: `7,425,000`, `1 000`, `12,000.5`. Null when it is not one. */
export function withoutThousandsSeparators(text: string): string | null {
  const m = /^([+-]?)([1-9]\d{0,2})((?:,\d{3})+|(?: \d{3})+)(\.\d+)?$/.exec(text);
  return m ? `${m[1]}${m[2]}${m[3].replace(/[, ]/g, '')}${m[4] ?? ''}` : null;
}

/**
 * The answer without a trailing unit: `\text{ cm}^2`, `\text{ miles}`, or plain words after a number
 * (`125 miles`, `28 percent`). Null when there is no unit to drop or nothing would be left.
 */
export function withoutUnit(text: string): string | null {
  let s = text;
  for (;;) {
    const before = s;
    const textAt = lastTextCommand(s);
    if (textAt > 0 && !/^\\text\s*\{\s*(?:and|or)\s*\}/.test(s.slice(textAt))) s = s.slice(0, textAt).trim();
    s = s.replace(/([\d}).])\s*(?:[a-zA-Z]{2,}\.?(?:\s*\^\s*\{?\d\}?)?\s*)+$/, '$1').trim();
    if (s === before) break;
  }
  return s !== text && s && /[\d}]/.test(s) ? s : null;
}

/** Where a trailing `\text{…}` (with an optional `^2`) begins, or -1. */
function lastTextCommand(s: string): number {
  const re = /\\text\s*\{/g;
  let found = -1;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const close = matchBrace(s, m.index + m[0].length - 1);
    if (close > 0 && /^\s*(?:\^\s*\{?\d\}?)?\s*$/.test(s.slice(close))) found = m.index;
  }
  return found;
}
