/** Random access to the records of big trace files. One streaming pass records where each record
 * starts and ends (for JSONL: the newline bytes, found with memchr-speed `indexOf`, nothing decoded
 * or parsed); afterwards record N is one positioned read. Memory: 12 bytes per record plus two
 * read buffers, whatever the file size. */
import * as fs from 'node:fs';

export interface RecordSpan {
  /** Byte offsets, end exclusive; the span may include the separator after the record. */
  start: number;
  end: number;
  /** 1-based line the record starts on, for located messages. */
  line: number;
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Bytes per read; big reads keep the per-call cost negligible. Tests pass tiny ones to hit chunk edges. */
  chunkBytes?: number;
}

const DEFAULT_CHUNK = 8 << 20;
const LF = 0x0a;
const CR = 0x0d;

/** Record starts in typed arrays that double when full, 12 bytes a record: a million records
 * never become a million objects. A record ends where the next one starts (the whitespace and
 * separators between them are trimmed on reading); `end` is where the last one ends. */
export class SpanList {
  private starts = new Float64Array(1024);
  private lines = new Uint32Array(1024);
  length = 0;
  end = 0;

  push(start: number, line: number): void {
    if (this.length === this.starts.length) {
      const starts = new Float64Array(this.length * 2);
      starts.set(this.starts);
      this.starts = starts;
      const lines = new Uint32Array(this.length * 2);
      lines.set(this.lines);
      this.lines = lines;
    }
    this.starts[this.length] = start;
    this.lines[this.length] = line;
    this.length++;
  }

  get(i: number): RecordSpan {
    return { start: this.starts[i], end: i + 1 < this.length ? this.starts[i + 1] : this.end, line: this.lines[i] };
  }
}

/** Reads the whole file once, in order, handing each chunk to `scan`. The next read is already in
 * flight while a chunk is scanned, so reading and scanning overlap. */
export async function scanFile(handle: fs.promises.FileHandle, size: number, scan: (chunk: Buffer, base: number) => void, opts: ScanOptions = {}): Promise<void> {
  const bufferBytes = Math.max(1, Math.min(opts.chunkBytes ?? DEFAULT_CHUNK, size));
  const buffers = [Buffer.allocUnsafe(bufferBytes), Buffer.allocUnsafe(bufferBytes)];
  const readAt = (k: number, pos: number) => handle.read(buffers[k], 0, Math.min(buffers[k].length, size - pos), pos);
  let pos = 0;
  let k = 0;
  let pending = size > 0 ? readAt(0, 0) : undefined;
  while (pending) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) break; // the file shrank under us: index what was there
    const chunk = buffers[k].subarray(0, bytesRead);
    const base = pos;
    pos += bytesRead;
    k ^= 1;
    pending = pos < size ? readAt(k, pos) : undefined;
    if (opts.signal?.aborted) {
      await pending;
      opts.signal.throwIfAborted();
    }
    scan(chunk, base);
  }
}

/** An open file plus where its records are. `kind` decides how locations read: JSONL records are
 * lines ("line 17"), array elements are records ("record 3 (line 120)"). */
export class RecordIndex {
  constructor(
    readonly path: string,
    readonly kind: 'lines' | 'array',
    private readonly handle: fs.promises.FileHandle,
    private readonly spans: SpanList,
    readonly size: number,
  ) {}

  get count(): number {
    return this.spans.length;
  }

  span(i: number): RecordSpan {
    if (!Number.isInteger(i) || i < 0 || i >= this.spans.length) throw new RangeError(`no record ${i}; the file has ${this.spans.length}`);
    return this.spans.get(i);
  }

  /** Where record `i` is, the way a person finds it in an editor. */
  locate(i: number): string {
    const { line } = this.span(i);
    return this.kind === 'lines' ? `line ${line}` : `record ${i} (line ${line})`;
  }

  /** The record's text, decoded, without a byte-order mark or surrounding whitespace (nor, for an
   * array element, the commas after it). */
  async text(i: number): Promise<string> {
    const { start, end } = this.span(i);
    const buffer = Buffer.allocUnsafe(end - start);
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await this.handle.read(buffer, done, buffer.length - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    let text = buffer.toString('utf8', 0, done).replace(/^\uFEFF/, '').trim();
    while (this.kind === 'array' && text.endsWith(',')) text = text.slice(0, -1).trimEnd();
    return text;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Opens `path`, runs `build` over it and keeps the handle for reads; closes it if `build` fails. */
export async function withOpenFile<T>(path: string, build: (handle: fs.promises.FileHandle, size: number) => Promise<T>): Promise<T> {
  const handle = await fs.promises.open(path, 'r');
  try {
    return await build(handle, (await handle.stat()).size);
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Indexes the non-blank lines of a JSONL file (LF or CRLF). */
export function indexJsonLines(path: string, opts: ScanOptions = {}): Promise<RecordIndex> {
  return withOpenFile(path, async (handle, size) => {
    const spans = new SpanList();
    let lineStart = 0;
    let line = 1;
    let lastByte = -1; // the byte before the current chunk, for a CR that ends the previous one
    // A line is a record unless it is empty or only the CR of a CRLF.
    const endLine = (end: number, lastOfLine: number) => {
      const length = end - lineStart;
      if (length > 1 || (length === 1 && lastOfLine !== CR)) spans.push(lineStart, line);
      line++;
      lineStart = end + 1;
    };
    await scanFile(handle, size, (chunk, base) => {
      for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, nl + 1)) {
        endLine(base + nl, nl > 0 ? chunk[nl - 1] : lastByte);
      }
      lastByte = chunk[chunk.length - 1];
    }, opts);
    if (lineStart < size) endLine(size, lastByte);
    spans.end = size;
    return new RecordIndex(path, 'lines', handle, spans, size);
  });
}
