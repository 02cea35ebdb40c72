/** The benchmark index behind the near-duplicate check: loaded lazily on the first check that needs
 * it and again only when the list of datasets changes — never per keystroke. */
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
    const key = JSON.stringify(datasets);
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
