/** The importers' shared vocabulary: trace formats, what an import yields and the error it throws. */
import type { RunEvent, RunHeader } from '../schema';

export const TRACE_FORMATS = ['run', 'processbench', 'prm800k', 'r1-chat', 'thought-anchors', 'generic-jsonl', 'text'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** A read-only run built from another format; `header.importedFrom` says from where. */
export interface ImportedRun {
  header: RunHeader;
  events: RunEvent[];
  /** What the import could not take over faithfully (also in the events, as `warning`s). */
  warnings: string[];
}

export interface TraceSource {
  path: string;
  format: TraceFormat;
  recordCount: number;
  /** One line per record for pickers, e.g. "12 · gsm8k-12 · Qwen2.5-7B · first error at step 3". */
  label(index: number): Promise<string>;
  /** Imports record `index` (0-based) without parsing the rest of the file. Bad record -> ImportError with a located message. */
  load(index: number): Promise<ImportedRun>;
  /** Records that could not be read at all, with located reasons ("line 17: not JSON"). */
  problems: string[];
  close(): Promise<void>;
}

/** Input that cannot be imported; the message says where ("line 17: not JSON …"). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** Where a record came from, for its run header. */
export interface RecordOrigin {
  format: TraceFormat;
  /** The file's (or folder's) base name: run files never carry a machine's absolute paths. */
  file: string;
  index: number;
  /** The source file's modification time, so re-importing a record gives the same header. */
  createdAt: string;
}

/** A record of a JSON-based format, checked and ready to describe or convert. */
export interface ReadRecord {
  /** The picker line, without the record number. */
  label(): string;
  convert(origin: RecordOrigin): ImportedRun;
}

/** One JSON-record format. `read` is also how detection recognises the format. */
export interface RecordFormat {
  format: TraceFormat;
  /** The record, or why it is not one of this format ("no `steps` field"). */
  read(value: unknown): ReadRecord | string;
}
