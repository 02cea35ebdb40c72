/** A problem as the engine solves it: what a `*.problem.md` file (problemFile.ts) or a dataset record
 * (dataset.ts) holds. Imports nothing, so the authoring reader (which problemFile.ts reads through) can
 * use the dataset module without a cycle. */
export interface Problem {
  id?: string;
  answer?: string;
  level?: number;
  subject?: string;
  source?: string;
  tags?: string[];
  /** The problem statement (the Markdown body). */
  text: string;
}
