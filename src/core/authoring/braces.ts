/** Grouping braces of LaTeX that do not pair up. */

/** Indices of unmatched `}` (in order) and then of `{` never closed. Escaped `\{` `\}` are delimiters,
 * not groups, and do not count. */
export function unmatchedBraces(latex: string, from = 0, to = latex.length): number[] {
  const strays: number[] = [];
  const open: number[] = [];
  for (let i = from; i < to; i++) {
    const c = latex[i];
    if (c === '\\') i++;
    else if (c === '{') open.push(i);
    else if (c === '}' && open.pop() === undefined) strays.push(i);
  }
  return [...strays, ...open];
}
