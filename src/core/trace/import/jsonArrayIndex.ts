/** Record boundaries of a JSON-array file (ProcessBench ships `[{…}, {…}]` over many lines) found by
 * a streaming scan that tracks only string/escape state and nesting depth, so a big array is never
 * held or parsed whole. Each element is parsed later, on its own, when it is asked for. */
import { RecordIndex, scanFile, SpanList, withOpenFile, type ScanOptions } from '../jsonlIndex';
import { ImportError } from './types';

export interface ArrayIndex {
  index: RecordIndex;
  /** Structural problems: a truncated last element, text after the array, empty elements. */
  problems: string[];
}

const Byte = {
  Tab: 0x09, Lf: 0x0a, Cr: 0x0d, Space: 0x20, Quote: 0x22, Comma: 0x2c,
  OpenSquare: 0x5b, Backslash: 0x5c, CloseSquare: 0x5d, OpenCurly: 0x7b, CloseCurly: 0x7d,
} as const;

const isSpace = (b: number) => b === Byte.Space || b === Byte.Lf || b === Byte.Cr || b === Byte.Tab;

/** Indexes the elements of the top-level array in `path`. Throws `ImportError` when the file does
 * not start with `[` (after whitespace and an optional byte-order mark). */
export function indexJsonArray(path: string, opts: ScanOptions = {}): Promise<ArrayIndex> {
  return withOpenFile(path, async (handle, size) => {
    const spans = new SpanList();
    const problems: string[] = [];
    let line = 1;
    let depth = 0;
    let inString = false;
    let escaped = false;
    let opened = false;
    let closed = false;
    let trailing = -1; // line of the first non-space text after the closing bracket
    let elementStart = -1;
    let elementLine = 0;
    let lastSolid = -1; // offset of the last non-space byte inside the current element
    const finishElement = (at: number) => {
      if (elementStart < 0) problems.push(`record ${spans.length} (line ${line}): empty element (a stray comma at byte ${at})`);
      else {
        spans.push(elementStart, elementLine);
        spans.end = lastSolid + 1;
      }
      elementStart = -1;
    };
    await scanFile(handle, size, (chunk, base) => {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === Byte.Lf) line++;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === Byte.Backslash) escaped = true;
          else if (b === Byte.Quote) inString = false;
          lastSolid = base + i;
          continue;
        }
        if (isSpace(b)) continue;
        if (closed) {
          if (trailing < 0) trailing = line;
          continue;
        }
        if (!opened) {
          // A byte-order mark (EF BB BF) may precede the bracket.
          if (base + i < 3 && (b === 0xef || b === 0xbb || b === 0xbf)) continue;
          if (b !== Byte.OpenSquare) throw new ImportError(`line ${line}: expected "[" to start a JSON array`);
          opened = true;
          depth = 1;
          continue;
        }
        if (depth === 1) {
          if (b === Byte.Comma) {
            finishElement(base + i);
            continue;
          }
          if (b === Byte.CloseSquare) {
            // `[]` and a final element without a trailing comma.
            if (elementStart >= 0 || spans.length > 0 || problems.length > 0) finishElement(base + i);
            depth = 0;
            closed = true;
            continue;
          }
          if (elementStart < 0) {
            elementStart = base + i;
            elementLine = line;
          }
        }
        lastSolid = base + i;
        if (b === Byte.Quote) inString = true;
        else if (b === Byte.OpenCurly || b === Byte.OpenSquare) depth++;
        else if (b === Byte.CloseCurly || b === Byte.CloseSquare) depth = Math.max(1, depth - 1);
      }
    }, opts);
    if (!opened) throw new ImportError('the file is empty');
    if (!closed) {
      problems.push(elementStart >= 0
        ? `record ${spans.length} (line ${elementLine}): the file ends inside this record (truncated?)`
        : `line ${line}: the file ends before the closing "]" (truncated?)`);
    }
    if (trailing > 0) problems.push(`line ${trailing}: text after the closing "]" of the array is ignored`);
    return { index: new RecordIndex(path, 'array', handle, spans, size), problems };
  });
}
