/** Run files on disk: an append-only writer that hands every event to the OS as it happens, and
 * a reader. A crash loses at most the line being written; the reader drops such a torn tail. */
import * as fs from 'node:fs';
import { parseRunText, type ParsedRun } from './parse';
import type { RunEvent, RunHeader } from './schema';

export class RunWriter {
  private fd: number | undefined;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /** Creates a new run file; refuses to overwrite an existing one. */
  static create(path: string, header: RunHeader): RunWriter {
    const fd = fs.openSync(path, 'wx');
    const writer = new RunWriter(path, fd);
    writer.writeLine(header);
    return writer;
  }

  /** Reopens an existing run file to append to it (resume). */
  static append(path: string): RunWriter {
    return new RunWriter(path, fs.openSync(path, 'a'));
  }

  write(event: RunEvent): void {
    this.writeLine(event);
  }

  private writeLine(value: RunHeader | RunEvent): void {
    if (this.fd === undefined) throw new Error(`run file ${this.path} is already closed`);
    fs.writeSync(this.fd, JSON.stringify(value) + '\n');
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

export async function readRunFile(path: string): Promise<ParsedRun> {
  return parseRunText(await fs.promises.readFile(path, 'utf8'));
}
