/** Turns model text with LaTeX math into safe HTML: math goes through KaTeX, everything else is
 * escaped, so untrusted model output can never inject markup. */
import katex from 'katex';
import { escapeHtml } from './escape';

export interface Segment {
  kind: 'text' | 'inline' | 'display';
  value: string;
}

const PAIRED_DELIMITERS: { open: string; close: string; kind: 'inline' | 'display' }[] = [
  { open: '$$', close: '$$', kind: 'display' },
  { open: '\\[', close: '\\]', kind: 'display' },
  { open: '\\(', close: '\\)', kind: 'inline' },
];

/** Closing `$` of an inline formula, Pandoc's rule: the formula neither starts nor ends with
 * whitespace and the closing `$` is not followed by a digit, so "$5 and $10" stays text. */
function closingDollar(text: string, open: number): number {
  if (open + 1 >= text.length || /\s/.test(text[open + 1])) return -1;
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text[j] !== '$') continue;
    if (/\s/.test(text[j - 1]) || /\d/.test(text[j + 1] ?? '')) continue;
    return j;
  }
  return -1;
}

export function splitMath(text: string): Segment[] {
  const segments: Segment[] = [];
  let plain = '';
  const flush = () => {
    if (plain) segments.push({ kind: 'text', value: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('\\$', i)) {
      plain += '$';
      i += 2;
      continue;
    }
    const pair = PAIRED_DELIMITERS.find((d) => text.startsWith(d.open, i));
    if (pair) {
      const end = text.indexOf(pair.close, i + pair.open.length);
      if (end > i + pair.open.length) {
        flush();
        segments.push({ kind: pair.kind, value: text.slice(i + pair.open.length, end) });
        i = end + pair.close.length;
        continue;
      }
    } else if (text[i] === '$') {
      const end = closingDollar(text, i);
      if (end > 0) {
        flush();
        segments.push({ kind: 'inline', value: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    plain += text[i];
    i++;
  }
  flush();
  return segments;
}

/** One formula as HTML; a formula KaTeX cannot parse is shown as its source, marked as an error. */
export function texToHtml(tex: string, display = false): string {
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, strict: 'ignore', output: 'htmlAndMathml' });
}

export function mathTextToHtml(text: string): string {
  return splitMath(text)
    .map((s) => (s.kind === 'text' ? escapeHtml(s.value).replace(/\n/g, '<br>') : texToHtml(s.value, s.kind === 'display')))
    .join('');
}

/** The start of a text on one line, about `max` characters of source, as HTML. Formulas are never
 * cut in half: one that starts within the budget is shown whole, and displayed formulas go inline. */
export function mathSnippetToHtml(text: string, max = 80): string {
  let budget = max;
  let html = '';
  for (const s of splitMath(text)) {
    if (budget <= 0) return `${html}…`;
    if (s.kind !== 'text') {
      html += texToHtml(s.value);
      budget -= s.value.length;
      continue;
    }
    const line = s.value.replace(/\s+/g, ' ');
    if (line.length > budget) return `${html}${escapeHtml(line.slice(0, budget).trimEnd())}…`;
    html += escapeHtml(line);
    budget -= line.length;
  }
  return html;
}
