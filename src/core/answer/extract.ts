/** Final-answer extraction and a light normalisation, enough to group votes. */

/** The content of the last `\boxed{…}` (or `\fbox{…}`), with nested braces; null when there is none. */
export function extractBoxed(text: string): string | null {
  const re = /\\(?:boxed|fbox)\s*\{/g;
  let last: string | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '\\') i++; // skip escaped characters such as \{ and \}
      else if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    if (depth === 0) last = text.slice(start, i - 1);
  }
  return last;
}

/** Canonical spelling for grouping: spacing, \left/\right, \dfrac/\tfrac, a trailing period, `x =`. */
export function normalizeAnswer(raw: string): string {
  let s = raw.trim();
  s = s.replace(/\\left|\\right/g, '');
  s = s.replace(/\\[dt]frac/g, '\\frac');
  s = s.replace(/\\!|\\,|\\;|\\:|\\ /g, '');
  s = s.replace(/^\$+|\$+$/g, '');
  s = s.replace(/^[a-zA-Z]\s*=\s*/, '');
  s = s.replace(/\s+/g, '');
  s = s.replace(/\.$/, '');
  s = s.replace(/^\\text\{(.*)\}$/, '$1');
  return s;
}
