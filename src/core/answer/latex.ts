/** Bracket-aware scanning of LaTeX answer text, shared by extraction, normalisation and parsing. */

/** Index just past the `}` matching the `{` at `open`, or -1 when it is never closed. Escaped braces do not count. */
export function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** What `scanDepth` reports for each token: where it starts, how long it is, and whether it opens or closes a bracket. */
export interface Token { index: number; length: number; bracket: 'open' | 'close' | null }

/**
 * Walk the tokens of `text` with the bracket depth they sit at (an opener at the depth outside it, a
 * closer at the depth it returns to), counting `{}`, `()`, `[]`, `\{\}` and `\begin…\end`. Brackets of
 * different shapes close each other, because half-open intervals such as `[0,1)` are common in answers.
 * Returning true from `visit` stops the walk.
 */
export function scanDepth(text: string, visit: (token: Token, depth: number) => boolean | void): void {
  let depth = 0;
  for (let i = 0; i < text.length; ) {
    const token = tokenAt(text, i);
    if (token.bracket === 'close') depth--;
    if (visit(token, depth) === true) return;
    if (token.bracket === 'open') depth++;
    i += token.length;
  }
}

function tokenAt(text: string, i: number): Token {
  const c = text[i];
  if (c === '\\') {
    const command = /^\\(?:(begin|end)(?![a-zA-Z])|[a-zA-Z]+|[\s\S]?)/.exec(text.slice(i, i + 40))?.[0] ?? '\\';
    const bracket = command === '\\begin' || command === '\\{' ? 'open' : command === '\\end' || command === '\\}' ? 'close' : null;
    return { index: i, length: command.length, bracket };
  }
  const bracket = c === '{' || c === '(' || c === '[' ? 'open' : c === '}' || c === ')' || c === ']' ? 'close' : null;
  return { index: i, length: 1, bracket };
}

/** Split at every top-level match of `separator` (a regex tried at each top-level token). */
export function splitTopLevel(text: string, separator: RegExp): string[] {
  return splitKeepingSeparators(text, separator).parts;
}

/** Like `splitTopLevel`, also returning the separators found (`separators[i]` stood between parts i and i+1). */
export function splitKeepingSeparators(text: string, separator: RegExp): { parts: string[]; separators: string[] } {
  const sticky = new RegExp(separator.source, `${separator.flags.replace(/[gy]/g, '')}y`);
  const parts: string[] = [];
  const separators: string[] = [];
  let start = 0;
  scanDepth(text, (token, depth) => {
    if (token.index < start || depth !== 0 || token.bracket === 'close') return;
    sticky.lastIndex = token.index;
    const m = sticky.exec(text);
    if (m && m[0].length > 0) {
      parts.push(text.slice(start, token.index));
      separators.push(m[0]);
      start = token.index + m[0].length;
    }
  });
  parts.push(text.slice(start));
  return { parts, separators };
}

/** Whether the bracket opened at index 0 closes at the very end (so `(1,2)` does, `(1)+(2)` does not). */
export function wrapsWhole(text: string): boolean {
  let closesAt = -1;
  scanDepth(text, (token, depth) => {
    if (token.bracket === 'close' && depth === 0) {
      closesAt = token.index + token.length;
      return true;
    }
  });
  return closesAt === text.length;
}

/** Strip one pair of math delimiters around the whole text: `$…$`, `$$…$$`, `\(…\)`, `\[…\]`. */
export function stripMathDelimiters(text: string): string {
  let s = text.trim();
  for (;;) {
    const m = /^(\$\$|\$|\\\(|\\\[)([\s\S]*?)(\$\$|\$|\\\)|\\\])$/.exec(s);
    if (!m || !m[2].trim() || closingOf(m[1]) !== m[3] || /(?<!\\)\$/.test(m[1] === '$' ? m[2] : '')) return s;
    s = m[2].trim();
  }
}

function closingOf(open: string): string {
  return open === '\\(' ? '\\)' : open === '\\[' ? '\\]' : open;
}
