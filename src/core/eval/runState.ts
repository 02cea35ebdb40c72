/** Where a run file stands, from its last line only: an evaluation looks at hundreds of them on
 * every start and needs nothing but how each one ended. */
import * as fs from 'node:fs';
import { parseEvent, parseHeader } from '../trace/parse';
import type { RunEndedEvent } from '../trace/schema';

export type RunState =
  | { kind: 'missing' }
  /** `run_ended` is its last line: completed, or cancelled/failed and worth resuming. */
  | { kind: 'ended'; ended: RunEndedEvent }
  /** It stopped without a `run_ended` (killed, crashed): resume it. */
  | { kind: 'interrupted' };

const TAIL_BYTES = 64 * 1024;

export function runState(file: string): RunState {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    let start = Math.max(0, size - TAIL_BYTES);
    let lines = readFrom(fd, start, size);
    // The tail began inside the last line itself: read it all.
    if (start > 0 && lines.length === 0) lines = readFrom(fd, (start = 0), size);
    if (start === 0) parseHeader(lines[0] ?? '');
    const last = lines.at(-1);
    if (lines.length < (start === 0 ? 2 : 1) || last === undefined) return { kind: 'interrupted' };
    try {
      const event = parseEvent(last, 0);
      return event.type === 'run_ended' ? { kind: 'ended', ended: event } : { kind: 'interrupted' };
    } catch {
      return { kind: 'interrupted' }; // a line torn by a crash
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The lines from `start` to the end; the first is dropped when `start` may fall inside it. */
function readFrom(fd: number, start: number, size: number): string[] {
  const buffer = Buffer.alloc(size - start);
  fs.readSync(fd, buffer, 0, buffer.length, start);
  const lines = buffer.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return start > 0 ? lines.slice(1) : lines;
}
