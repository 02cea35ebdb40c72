/** The little LaTeX handling the scripted solver needs: braces and \boxed{}. */

/** Index of the "}" closing the "{" at `open` (the last index when unbalanced). */
export function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return text.length - 1;
}

/** The content of the last \boxed{…} in `text`, if there is one. */
export function boxedContent(text: string): string | undefined {
  const at = text.lastIndexOf('\\boxed{');
  if (at < 0) return undefined;
  const open = at + '\\boxed'.length;
  return text.slice(open + 1, matchingBrace(text, open));
}

/** `text` with every \boxed{X} replaced by X. */
export function unbox(text: string): string {
  let out = text;
  for (let at = out.indexOf('\\boxed{'); at >= 0; at = out.indexOf('\\boxed{')) {
    const open = at + '\\boxed'.length;
    const close = matchingBrace(out, open);
    out = out.slice(0, at) + out.slice(open + 1, close) + out.slice(close + 1);
  }
  return out;
}
