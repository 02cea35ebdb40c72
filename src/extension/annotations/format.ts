/** Numbers and token text as hovers and hints print them (Markdown for VS Code's hover widget). */

/** A probability in a few characters: 0.83, 0.04, <0.001. */
export function formatP(p: number): string {
  if (p >= 0.995) return p >= 0.99995 ? '1.00' : p.toFixed(3);
  if (p >= 0.01) return p.toFixed(2);
  return p >= 0.001 ? p.toFixed(3) : '<0.001';
}

/** A signed difference: +0.05, −0.12 (a real minus sign, so columns of numbers line up). */
export function formatDelta(d: number, digits = 2): string {
  const text = Math.abs(d).toFixed(digits);
  if (Number(text) === 0) return `±${text}`;
  return `${d > 0 ? '+' : '−'}${text}`;
}

/** A token as code, with its whitespace made visible (␣ space, ↵ newline, ⇥ tab), so " the" and
 * "the" read differently. `inTable` escapes the pipe that would end a table cell. */
export function tokenCode(token: string, inTable = false): string {
  return codeSpan(token.replace(/ /g, '␣').replace(/\r?\n/g, '↵').replace(/\t/g, '⇥') || '∅', inTable);
}

/** Text (an answer, a marker) as code, on one line. */
export function textCode(text: string, inTable = false): string {
  return codeSpan(text.replace(/\s+/g, ' ').trim() || '∅', inTable);
}

/** A Markdown code span that survives backticks in its text. */
function codeSpan(text: string, inTable: boolean): string {
  const ticks = '`'.repeat(longestRun(text, '`') + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  const code = `${ticks}${pad}${text}${pad}${ticks}`;
  return inTable ? code.replace(/\|/g, '\\|') : code;
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}
