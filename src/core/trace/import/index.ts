/** Opening trace files produced elsewhere as read-only runs: ProcessBench, PRM800K, R1-style chats,
 * thought-anchors folders, generic problem/response JSONL, plain text or Markdown, and run files.
 * The format is told from the content, never from the file name, unless the caller names it.
 * Records are read by byte offset, so a record of a 1 GB file loads at once. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexJsonLines, RecordIndex, SpanList } from '../jsonlIndex';
import { r1Chat } from './chat';
import { generic } from './generic';
import { indexJsonArray } from './jsonArrayIndex';
import { isObject } from './fields';
import { processbench } from './processbench';
import { prm800k } from './prm800k';
import { CHECK_BYTES, recordSource } from './records';
import { runSource, textSource } from './single';
import { thoughtAnchorsSource } from './thoughtAnchors';
import { ImportError, TRACE_FORMATS, type RecordFormat, type TraceFormat, type TraceSource } from './types';

export { ImportError, TRACE_FORMATS };
export type { ImportedRun, TraceFormat, TraceSource } from './types';

/** The JSON-record formats, most specific first: detection takes the first that reads a record. */
const RECORD_FORMATS: readonly RecordFormat[] = [processbench, prm800k, r1Chat, generic];
/** Detection looks at this many records before deciding, so one damaged first line does not decide. */
const DETECT_RECORDS = 5;
const HEAD_BYTES = 4096;

export interface OpenOptions {
  /** Read the file as this format instead of detecting it. */
  format?: TraceFormat;
  signal?: AbortSignal;
}

export async function openTraceSource(file: string, opts: OpenOptions = {}): Promise<TraceSource> {
  if (opts.format !== undefined && !TRACE_FORMATS.includes(opts.format)) {
    throw new ImportError(`unknown format "${String(opts.format)}"; one of: ${TRACE_FORMATS.join(', ')}`);
  }
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (err) {
    throw new ImportError((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message);
  }
  const createdAt = stat.mtime.toISOString();
  if (stat.isDirectory()) {
    if (opts.format !== undefined && opts.format !== 'thought-anchors') {
      throw new ImportError(`${path.basename(file)} is a folder; only thought-anchors traces are folders`);
    }
    return thoughtAnchorsSource(file, createdAt);
  }
  const origin = { file: path.basename(file), createdAt };
  switch (opts.format) {
    case 'thought-anchors':
      throw new ImportError('thought-anchors traces are folders (problem.json, base_solution.json, chunks_labeled.json): open the folder, not a file in it');
    case 'text':
      return textSource(file, { ...origin, format: 'text' });
    case 'run':
      return runSource(file);
  }
  const head = await fileHead(file);
  const first = head[0];
  if (first !== '[' && first !== '{') {
    if (opts.format !== undefined) throw new ImportError(`line 1: not JSON; a ${opts.format} file holds JSON records`);
    return textSource(file, { ...origin, format: 'text' });
  }
  const { index, problems } = first === '[' ? await indexJsonArray(file, { signal: opts.signal }) : await lineIndex(file, opts.signal);
  try {
    const format = opts.format === undefined ? await detect(index) : RECORD_FORMATS.find((f) => f.format === opts.format);
    // `[{` with no readable record is a broken array of records, not Markdown that opens with a link.
    if (format === 'text' && /^\[\s*\{/.test(head) && problems.length) throw new ImportError(problems[0]);
    if (format === 'run' || format === 'text') {
      await index.close();
      return format === 'run' ? runSource(file) : textSource(file, { ...origin, format: 'text' });
    }
    if (!format) throw new ImportError(`no importer for format ${String(opts.format)}`);
    return await recordSource(index, format, { ...origin, format: format.format }, problems, opts.signal);
  } catch (err) {
    await index.close();
    throw err;
  }
}

/** The start of the file without a byte-order mark or leading whitespace. */
async function fileHead(file: string): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '').trimStart();
  } finally {
    await handle.close();
  }
}

/** JSONL, or a single (pretty-printed) JSON object, which is one record spanning the file. */
async function lineIndex(file: string, signal?: AbortSignal): Promise<{ index: RecordIndex; problems: string[] }> {
  const index = await indexJsonLines(file, { signal });
  if (index.count > 1 && index.size <= CHECK_BYTES && (await parses(index, 0)) === undefined) {
    const text = await fs.promises.readFile(file, 'utf8');
    if (parsesWhole(text)) {
      await index.close();
      const spans = new SpanList();
      spans.push(0, 1);
      spans.end = index.size;
      return { index: new RecordIndex(file, 'array', await fs.promises.open(file, 'r'), spans, index.size), problems: [] };
    }
  }
  return { index, problems: [] };
}

function parsesWhole(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function parses(index: RecordIndex, i: number): Promise<unknown> {
  try {
    return JSON.parse(await index.text(i));
  } catch {
    return undefined;
  }
}

/** The format of the first records that are JSON; `text` when none of them is. */
async function detect(index: RecordIndex): Promise<RecordFormat | 'run' | 'text'> {
  let firstReason: string | undefined;
  let sawJson = false;
  for (let i = 0; i < Math.min(DETECT_RECORDS, index.count); i++) {
    const value = await parses(index, i);
    if (value === undefined) continue;
    sawJson = true;
    if (i === 0 && index.kind === 'lines' && isObject(value) && value.type === 'header') return 'run';
    for (const format of RECORD_FORMATS) {
      const record = format.read(value);
      if (typeof record !== 'string') return format;
      if (format === generic) firstReason ??= `${index.locate(i)}: ${record}`;
    }
  }
  if (!sawJson) return 'text';
  throw new ImportError(`not a trace format Reasonscope reads (${firstReason}); the formats: ${TRACE_FORMATS.join(', ')}`);
}
