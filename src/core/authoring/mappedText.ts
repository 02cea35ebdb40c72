/** MappedText builders: texts read out of a document with the way back to document offsets. */
import type { MappedText } from './types';

/** `text` as it stands in the document from `start` (no escapes): index i is offset start + i. */
export function plainMapped(text: string, start: number): MappedText {
  return { text, offsetAt: (index) => start + Math.max(0, Math.min(index, text.length)) };
}

/** A text whose characters came from scattered document offsets (decoded escapes, folded lines).
 * `offsets[i]` is the document offset of `text[i]`; `end` is the offset just past the last one. */
export function scatteredMapped(text: string, offsets: ArrayLike<number>, end: number): MappedText {
  return {
    text,
    offsetAt(index) {
      if (index >= text.length) return end;
      return offsets[Math.max(0, index)];
    },
  };
}

/** The longest part of `text` without leading and trailing whitespace, keeping the mapping. */
export function trimMapped(mapped: MappedText): MappedText {
  const { text } = mapped;
  let start = 0;
  let end = text.length;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (start === 0 && end === text.length) return mapped;
  return {
    text: text.slice(start, end),
    offsetAt: (index) => mapped.offsetAt(start + Math.max(0, Math.min(index, end - start))),
  };
}

/** The index in `mapped.text` at document `offset` (offsetAt inverted by binary search: offsets only grow
 * with the index); undefined outside the text and inside an escape (`\\` is one character of `text`). */
export function indexAt(mapped: MappedText, offset: number): number | undefined {
  let lo = 0;
  let hi = mapped.text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (mapped.offsetAt(mid) < offset) lo = mid + 1;
    else hi = mid;
  }
  return mapped.offsetAt(lo) === offset ? lo : undefined;
}
