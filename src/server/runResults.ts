/** The last run of each problem — a problem file, or a record of a problem set — as the extension
 * reports it (the server never runs models). */
import type { ProblemDocument, ProblemUnit } from '../core/authoring/types';
import type { ProblemRunResult } from './protocol';

/** One document's last runs by record line; a problem file's is under `undefined` (its unit has no line),
 * so every feature looks a unit's result up as `results.get(unit.line)`. */
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

/** A run's annotation stands only for the statement it was made on (whitespace at the ends aside). */
export function sameStatement(result: ProblemRunResult, statement: string): boolean {
  return result.statement.trim() === statement.trim();
}

/**
 * The result each unit shows (title hover, inline result, "Open last run"). A problem file's unit has the
 * file's result. A record's result is keyed by the line it was run on, but records move when lines are
 * inserted or deleted above them, and the line then holds another problem: so a result goes to the record
 * that has its statement — the one on its line if that one does, else the nearest one that does and has
 * no result of its own (none when every such record has: the result is superseded). Only when no record
 * has the statement any more (the record itself was edited) does it stay on its line, shown as changed.
 */
export function unitResults(problem: ProblemDocument, results: DocumentRunResults): Map<ProblemUnit, ProblemRunResult> {
  const shown = new Map<ProblemUnit, ProblemRunResult>();
  if (results.size === 0 || problem.kind === 'other') return shown;
  if (problem.kind === 'problem') {
    const result = results.get(undefined);
    if (result && problem.units[0]) shown.set(problem.units[0], result);
    return shown;
  }
  const pending = [...results.values()].filter((r) => r.line !== undefined);
  if (pending.length === 0) return shown;
  const wanted = new Set(pending.map((r) => r.statement.trim()));
  const byLine = new Map<number, ProblemUnit>();
  const byStatement = new Map<string, ProblemUnit[]>();
  for (const unit of problem.units) {
    if (unit.line !== undefined) byLine.set(unit.line, unit);
    const statement = unit.statement.text.trim();
    if (wanted.has(statement)) byStatement.set(statement, [...(byStatement.get(statement) ?? []), unit]);
  }
  const claim = (unit: ProblemUnit | undefined, result: ProblemRunResult) => {
    if (!unit || shown.has(unit)) return false;
    shown.set(unit, result);
    return true;
  };
  const moved = pending.filter((r) => {
    const unit = byLine.get(r.line!);
    return !(unit && sameStatement(r, unit.statement.text) && claim(unit, r));
  });
  const distance = (u: ProblemUnit, r: ProblemRunResult) => Math.abs(u.line! - r.line!);
  for (const r of moved) {
    const free = (byStatement.get(r.statement.trim()) ?? []).filter((u) => !shown.has(u));
    claim(free.reduce<ProblemUnit | undefined>((best, u) => (!best || distance(u, r) < distance(best, r) ? u : best), undefined), r);
  }
  // Last, so an edited record's result never takes the line of a record that moved there with its own.
  for (const r of moved) if (!byStatement.has(r.statement.trim())) claim(byLine.get(r.line!), r);
  return shown;
}
