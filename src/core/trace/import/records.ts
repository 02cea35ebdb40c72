/** A trace source over a file of JSON records (JSONL lines or JSON-array elements): records are
 * read by byte offset, one at a time. Files up to `CHECK_BYTES` are checked record by record when
 * opened, so `problems` lists every unreadable record and the numbering skips them; bigger files
 * are not read twice, and a bad record shows up when it is loaded. */
import type { RecordIndex } from '../jsonlIndex';
import { ImportError, type ReadRecord, type RecordFormat, type RecordOrigin, type TraceSource } from './types';

export const CHECK_BYTES = 64 << 20;

/** Parses record `i` of the index as `format`: the record, or a located reason it is not one. */
export async function readRecord(index: RecordIndex, i: number, format: RecordFormat): Promise<ReadRecord | string> {
  const text = await index.text(i);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `${index.locate(i)}: not JSON (${(err as Error).message})`;
  }
  const record = format.read(value);
  return typeof record === 'string' ? `${index.locate(i)}: ${record}` : record;
}

export async function recordSource(
  index: RecordIndex, format: RecordFormat, origin: Omit<RecordOrigin, 'index'>, structural: string[], signal?: AbortSignal,
): Promise<TraceSource> {
  const problems = [...structural];
  // Positions in the index of the records that read; undefined when the file was too big to check.
  let readable: number[] | undefined;
  if (index.size <= CHECK_BYTES) {
    readable = [];
    for (let i = 0; i < index.count; i++) {
      signal?.throwIfAborted();
      const record = await readRecord(index, i, format);
      if (typeof record === 'string') problems.push(record);
      else readable.push(i);
    }
  }
  const count = readable?.length ?? index.count;
  const get = async (k: number): Promise<ReadRecord> => {
    if (!Number.isInteger(k) || k < 0 || k >= count) {
      throw new ImportError(count === 0 ? `${origin.file} has no readable records` : `no record ${k}: ${origin.file} has ${count} (0–${count - 1})`);
    }
    const record = await readRecord(index, readable ? readable[k] : k, format);
    if (typeof record === 'string') throw new ImportError(record);
    return record;
  };
  return {
    path: index.path,
    format: format.format,
    recordCount: count,
    problems,
    label: async (k) => `${k} · ${(await get(k)).label()}`,
    load: async (k) => (await get(k)).convert({ ...origin, index: k }),
    close: () => index.close(),
  };
}
