/** The benchmark index behind the near-duplicate check: loaded lazily on the first check that needs
 * it and again only when the list of datasets or one of their files changes (a stat per check, never
 * a re-read per keystroke), so a dataset the user is still writing is picked up at the next check. */
import { statSync } from 'node:fs';
import { loadDuplicateIndex } from '../core/authoring/duplicates';
import type { DuplicateFinder } from '../core/authoring/types';

export interface Dataset {
  name: string;
  path: string;
}

export class DuplicateSource {
  private loadedFor: string | undefined;
  private index: DuplicateFinder | undefined;
  private readonly reported = new Set<string>();

  /** `report` hears each load error once, however often the list changes back and forth. */
  constructor(private readonly report: (errors: string[]) => void) {}

  finder(datasets: Dataset[]): DuplicateFinder | undefined {
    if (!datasets.length) return undefined;
    const key = JSON.stringify(datasets.map((d) => [d.name, d.path, modified(d.path)]));
    if (key !== this.loadedFor) {
      const { index, errors } = loadDuplicateIndex(datasets);
      this.index = index;
      this.loadedFor = key;
      const fresh = errors.filter((e) => !this.reported.has(e));
      fresh.forEach((e) => this.reported.add(e));
      if (fresh.length) this.report(fresh);
    }
    return this.index;
  }
}

/** The file's modification time, or -1 while it is missing (so its appearance counts as a change). */
function modified(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}
