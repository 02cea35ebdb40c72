/** The last run of each problem file, as the extension reports it (the server never runs models). */
import type { ProblemRunResult } from './protocol';

export class RunResults {
  private readonly byUri = new Map<string, ProblemRunResult>();

  /** A result for a uri already known replaces the older one. */
  update(results: readonly ProblemRunResult[]): void {
    for (const r of results) if (typeof r?.uri === 'string') this.byUri.set(r.uri, r);
  }

  get(uri: string): ProblemRunResult | undefined {
    return this.byUri.get(uri);
  }
}

/** A run's annotation stands only for the statement it was made on (whitespace at the ends aside). */
export function sameStatement(result: ProblemRunResult, statement: string): boolean {
  return result.statement.trim() === statement.trim();
}
