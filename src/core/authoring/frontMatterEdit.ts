/** Writes one top-level key of a `*.problem.md` front matter as a single text edit, touching nothing
 * else, so quick fixes and "Estimate difficulty" keep the author's layout, comments and line ends. */
import type { TextEdit } from './types';

interface Line {
  start: number;
  /** End of the line's text, before its line break. */
  end: number;
  /** Start of the next line (text.length past the last). */
  next: number;
}

function* linesFrom(text: string, from: number): Generator<Line> {
  let start = from;
  while (start < text.length) {
    const lf = text.indexOf('\n', start);
    const next = lf < 0 ? text.length : lf + 1;
    const end = lf < 0 ? text.length : lf > start && text[lf - 1] === '\r' ? lf - 1 : lf;
    yield { start, end, next };
    start = next;
  }
}

const DELIMITER = /^---[ \t]*$/;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Sets `key` to `yamlValue` (already YAML, e.g. `hard` or `"\\frac{1}{2}"`; may span lines) with an
 * optional trailing `# comment`:
 * - an existing top-level key keeps its place; its whole value (continuation lines of a block value
 *   included) and its old comment, which described the old value, are replaced;
 * - otherwise the key goes last, just before the closing `---`;
 * - a document without front matter gets a block at the top (after a byte order mark).
 * Line breaks follow the document's (CRLF stays CRLF).
 */
export function setFrontMatterKey(text: string, key: string, yamlValue: string, comment?: string): TextEdit {
  const eol = /\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n';
  const [first, ...rest] = yamlValue.split(/\r?\n/);
  // After a block scalar's last line a comment would become part of the value, so it goes on the key line.
  const note = comment ? `  # ${comment.replace(/\s*\r?\n\s*/g, ' ')}` : '';
  const entry = [`${key}:${first ? ` ${first}` : ''}${note}`, ...rest].join(eol);

  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const lines = linesFrom(text, bom);
  const opening = lines.next();
  if (!opening.done && DELIMITER.test(text.slice(opening.value.start, opening.value.end)) && opening.value.next > opening.value.end) {
    const keyLine = new RegExp(`^(?:${escapeRegExp(key)}|"${escapeRegExp(key)}"|'${escapeRegExp(key)}')[ \\t]*:(?:[ \\t]|$)`);
    let found: { start: number; end: number } | undefined;
    for (const line of lines) {
      const content = text.slice(line.start, line.end);
      if (DELIMITER.test(content)) {
        if (found) return { span: found, newText: entry };
        return { span: { start: line.start, end: line.start }, newText: entry + eol };
      }
      if (found) {
        // A value continues on indented lines, on `- item` lines of a block sequence, and across blank
        // lines between them; it ends at the next key, a top-level comment or the closing `---`.
        if (/^[ \t]|^-(?:[ \t]|$)/.test(content) && content.trim()) found.end = line.end;
        else if (content.trim()) return { span: found, newText: entry };
      } else if (keyLine.test(content)) {
        found = { start: line.start, end: line.end };
      }
    }
    // No closing `---`: not front matter after all, so a new block goes on top (the checks report the
    // unclosed one).
  }
  const body = text.slice(bom);
  const gap = body && !/^\r?\n/.test(body) ? eol : '';
  return { span: { start: bom, end: bom }, newText: `---${eol}${entry}${eol}---${eol}${gap}` };
}
