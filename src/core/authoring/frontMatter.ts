/** The `---` front matter of a `*.problem.md` file: where it is, and its keys and values with exact
 * document ranges (the `yaml` package's node ranges, shifted to document offsets). */
import { isCollection, isMap, isScalar, parseDocument, type Node } from 'yaml';
import { plainMapped } from './mappedText';
import type { Field, MappedText, ReadError, Span } from './types';
import { mapScalar } from './yamlScalar';

export interface FrontMatterBlock {
  /** From the opening `---` to the end of the closing `---` line (its line break included). */
  span: Span;
  /** The YAML between the two `---` lines. */
  contentSpan: Span;
}

const FENCE = /^---[ \t]*$/;

/** The front matter starting at `start` (0, or 1 after a BOM): a `---` line, YAML, a `---` line. An
 * unclosed block is not front matter (see unclosedFrontMatter). */
export function locateFrontMatter(text: string, start: number): FrontMatterBlock | undefined {
  let lineStart = start;
  let contentStart = -1;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
    const next = newline < 0 ? text.length : newline + 1;
    if (contentStart < 0) {
      if (!FENCE.test(line) || newline < 0) return undefined;
      contentStart = next;
    } else if (FENCE.test(line)) {
      return { span: { start, end: next }, contentSpan: { start: contentStart, end: lineStart } };
    }
    if (newline < 0) return undefined;
    lineStart = next;
  }
  return undefined;
}

/** A first line `---` that no `---` line closes: the would-be keys are read as part of the statement, so
 * the author is told (on the opening `---`), and Solve refuses the file rather than send them to a model. */
export function unclosedFrontMatter(text: string, start: number): ReadError | undefined {
  const newline = text.indexOf('\n', start);
  if (newline < 0 || !FENCE.test(text.slice(start, text[newline - 1] === '\r' ? newline - 1 : newline))) return undefined;
  if (locateFrontMatter(text, start)) return undefined;
  return {
    code: 'front-matter-shape',
    message: 'This `---` opens a front matter that is never closed: add a `---` line after its last key. Until then its keys are not read, and the file cannot be solved.',
    span: { start, end: start + 3 },
  };
}

export interface ParsedFrontMatter {
  fields: Field[];
  /** Text of each string/scalar field, mapped into the document (by key). */
  texts: Map<string, MappedText>;
  errors: ReadError[];
}

export function parseFrontMatter(text: string, block: FrontMatterBlock): ParsedFrontMatter {
  const base = block.contentSpan.start;
  const source = text.slice(base, block.contentSpan.end);
  const doc = parseDocument(source, { prettyErrors: false });
  const at = (from: number, to: number): Span => ({ start: base + from, end: base + Math.max(from, to) });
  // yaml marks some errors with an empty range (at the end of the input): widen it to the nearest
  // visible character, or an editor could not show it.
  const errorSpan = (from: number, to: number): Span => {
    const end = Math.min(to, source.length);
    const start = Math.min(from, end);
    if (start < end) return at(start, end);
    if (end < source.length && !/\s/.test(source[end])) return at(end, end + 1);
    let last = end;
    while (last > 0 && /\s/.test(source[last - 1])) last--;
    return last > 0 ? at(last - 1, last) : at(end, end);
  };
  const errors: ReadError[] = doc.errors.map((e) => ({
    code: 'yaml-syntax',
    message: `Front matter is not valid YAML: ${e.message.split('\n')[0]}`,
    span: errorSpan(e.pos[0], e.pos[1]),
  }));
  const fields: Field[] = [];
  const texts = new Map<string, MappedText>();
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return { fields, texts, errors };
  if (!isMap(contents)) {
    if (!errors.length) {
      const [from, to] = contents.range ?? [0, source.length];
      errors.push({ code: 'front-matter-shape', message: 'The front matter must be a YAML mapping of `key: value` lines (id, answer, level, subject, …).', span: at(from, to) });
    }
    return { fields, texts, errors };
  }
  for (const pair of contents.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || !key.range) continue;
    const name = String(key.value);
    const keySpan = at(key.range[0], key.range[1]);
    const value = pair.value as Node | null;
    const valueSpan = value?.range ? at(value.range[0], value.range[1]) : { start: keySpan.end, end: keySpan.end };
    const parsed = isScalar(value) ? value.value : isCollection(value) ? value.toJSON() : null;
    fields.push({ key: name, keySpan, valueSpan, value: parsed });
    if (isScalar(value) && value.value !== null) texts.set(name, mapScalar(value, source, base));
    // A list or mapping (`answer: [1, 2]`, an interval left unquoted) as written, as a JSONL record's is.
    else if (isCollection(value) && value.range) texts.set(name, plainMapped(source.slice(value.range[0], value.range[1]).trimEnd(), base + value.range[0]));
  }
  return { fields, texts, errors };
}
