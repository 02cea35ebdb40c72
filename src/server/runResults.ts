/** The last run of each problem — a problem file, or a record of a problem set — as the extension
 * reports it (the server never runs models). */
import type { ProblemRunResult } from './protocol';

/** One document's last runs by the record line they were run on; a problem file's is under `undefined`
 * (its unit has no line). Features reach them through `unitResults`, which follows moved records. */
export type DocumentRunResults = ReadonlyMap<number | undefined, ProblemRunResult>;

const NONE: DocumentRunResults = new Map();

export class RunResults {
  private readonly byUri = new Map<string, Map<number | undefined, ProblemRunResult>>();

  /** A result for a problem already known (same uri and line) replaces the older one. */
  update(results: readonly ProblemRunResult[]): void {
    for (const r of results) {
      if (typeof r?.uri !== 'string' || (r.line !== undefined && !(Number.isInteger(r.line) && r.line > 0))) continue;
      let document = this.byUri.get(r.uri);
      if (!document) this.byUri.set(r.uri, (document = new Map()));
      document.set(r.line, r);
    }
  }

  get(uri: string): DocumentRunResults {
    return this.byUri.get(uri) ?? NONE;
  }
}
