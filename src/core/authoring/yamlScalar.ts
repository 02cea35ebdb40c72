/** The text of a YAML scalar mapped back to the document, so a finding in a front-matter value (an
 * answer written `"\\frac{1}{2}"`) points at the characters the user typed. */
import type { Scalar } from 'yaml';
import { plainMapped, scatteredMapped } from './mappedText';
import type { MappedText } from './types';

/** `node`'s value as text, mapped into the document; `base` is the document offset of the YAML source
 * `source`. Non-string scalars (`answer: 0.50`) give their source as written. */
export function mapScalar(node: Scalar, source: string, base: number): MappedText {
  const [start, valueEnd] = node.range ?? [0, 0];
  const raw = source.slice(start, valueEnd);
  if (typeof node.value !== 'string') return plainMapped(raw.trimEnd(), base + start);
  const value = node.value;
  if (node.type === 'PLAIN' && raw === value) return plainMapped(value, base + start);
  if (node.type === 'QUOTE_DOUBLE') {
    const decoded = decodeDoubleQuoted(raw);
    if (decoded.text === value) return scatteredMapped(value, decoded.offsets.map((o) => base + start + o), base + start + decoded.end);
  }
  // Block scalars: their content starts on the line after the `|`/`>` header.
  const from = node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL' ? raw.indexOf('\n') + 1 : 0;
  return align(value, raw, from, base + start);
}

const SPACE = /[ \t\r\n]/;

/** Best effort for folded text: each value character is matched to the next raw character equal to it
 * (any whitespace for a folded line break). Linear: the raw cursor only moves forward. */
function align(value: string, raw: string, from: number, base: number): MappedText {
  const offsets = new Array<number>(value.length);
  let j = from;
  let i = 0;
  for (; i < value.length; i++) {
    const c = value[i];
    const space = SPACE.test(c);
    while (j < raw.length && raw[j] !== c && !(space && SPACE.test(raw[j]))) j++;
    if (j >= raw.length) break;
    offsets[i] = base + j++;
  }
  const end = i > 0 ? offsets[i - 1] + 1 : base + from;
  for (; i < value.length; i++) offsets[i] = end;
  return scatteredMapped(value, offsets, end);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ',
  '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Decodes a double-quoted YAML scalar (quotes included in `raw`): escapes and line folding, with the raw
 * index each decoded character came from. A mismatch with yaml's own value makes the caller fall back. */
function decodeDoubleQuoted(raw: string): { text: string; offsets: number[]; end: number } {
  let text = '';
  const offsets: number[] = [];
  const push = (s: string, at: number) => {
    text += s;
    for (let k = 0; k < s.length; k++) offsets.push(at);
  };
  const close = raw.lastIndexOf('"') > 0 ? raw.lastIndexOf('"') : raw.length;
  let i = 1;
  while (i < close) {
    const c = raw[i];
    if (c === '\\') {
      const e = raw[i + 1];
      if (e === '\n' || e === '\r') {
        // An escaped line break joins the lines without a space.
        i = skipBreakAndIndent(raw, i + 1);
      } else if (e in HEX_LENGTH) {
        const n = HEX_LENGTH[e];
        push(String.fromCodePoint(parseInt(raw.slice(i + 2, i + 2 + n), 16) || 0), i);
        i += 2 + n;
      } else {
        push(SIMPLE_ESCAPES[e] ?? e ?? '', i);
        i += 2;
      }
    } else if (c === '\n' || c === '\r' || ((c === ' ' || c === '\t') && /^[ \t]*\r?\n/.test(raw.slice(i, i + 80)))) {
      // Line folding: trailing blanks go, one break becomes a space, each further empty line a newline.
      let j = i;
      let breaks = 0;
      while (j < close && SPACE.test(raw[j])) {
        if (raw[j] === '\n') breaks++;
        j++;
      }
      if (breaks === 0) {
        push(c, i++);
        continue;
      }
      push(breaks === 1 ? ' ' : '\n'.repeat(breaks - 1), i);
      i = j;
    } else {
      push(c, i++);
    }
  }
  return { text, offsets, end: close };
}

function skipBreakAndIndent(raw: string, i: number): number {
  if (raw[i] === '\r') i++;
  if (raw[i] === '\n') i++;
  while (raw[i] === ' ' || raw[i] === '\t') i++;
  return i;
}
