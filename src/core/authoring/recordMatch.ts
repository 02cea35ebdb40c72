/** Finding a problem-set record again after lines moved. A run (or a pilot) remembers its record by the
 * line it was on and the statement it read there, but lines inserted or deleted above a record move it
 * and its line then holds another problem. The server (which record shows which run) and the extension
 * (Open Last Run from the cursor, writing a pilot's difficulty) decide it here, the same way. */
import type { ProblemDocument, ProblemUnit } from './types';

/** What a run remembers of the problem it was made on: a record's line (none for a problem file) and
 * the statement. */
export interface MadeOn {
  line?: number;
  statement: string;
}

/** A run stands only for the statement it was made on (whitespace at the ends aside). */
export function sameStatement(a: string, b: string): boolean {
  return a.trim() === b.trim();
}

/** The records that still hold what was read on `line` (`holds`): the record on that line alone when it
 * does, else every record that does, in document order (one when the record moved, several when the
 * set repeats it). */
export function recordsHolding(problem: ProblemDocument, line: number, holds: (unit: ProblemUnit) => boolean): ProblemUnit[] {
  const onLine = problem.units.find((u) => u.line === line);
  return onLine && holds(onLine) ? [onLine] : problem.units.filter(holds);
}

/**
 * The result each unit shows (title hover, inline result, "Open last run"), from a document's results by
 * line (a problem file's under `undefined`). A problem file's unit has the file's result. A record's result
 * goes to the record that has its statement — the one on its line if that one does, else the nearest one
 * that does and has no result of its own (none when every such record has: the result is superseded).
 * Only when no record has the statement any more (the record itself was edited) does it stay on its
 * line, shown as changed. Indexed rather than searched per result (recordsHolding): a line inserted at
 * the top of a set moves every result below it, and lenses are asked for after every keystroke.
 */
export function unitResults<R extends MadeOn>(problem: ProblemDocument, results: ReadonlyMap<number | undefined, R>): Map<ProblemUnit, R> {
  const shown = new Map<ProblemUnit, R>();
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
  const claim = (unit: ProblemUnit | undefined, result: R) => {
    if (!unit || shown.has(unit)) return false;
    shown.set(unit, result);
    return true;
  };
  const moved = pending.filter((r) => {
    const unit = byLine.get(r.line!);
    return !(unit && sameStatement(r.statement, unit.statement.text) && claim(unit, r));
  });
  const distance = (u: ProblemUnit, r: R) => Math.abs(u.line! - r.line!);
  for (const r of moved) {
    const free = (byStatement.get(r.statement.trim()) ?? []).filter((u) => !shown.has(u));
    claim(free.reduce<ProblemUnit | undefined>((best, u) => (!best || distance(u, r) < distance(best, r) ? u : best), undefined), r);
  }
  // Last, so an edited record's result never takes the line of a record that moved there with its own.
  for (const r of moved) if (!byStatement.has(r.statement.trim())) claim(byLine.get(r.line!), r);
  return shown;
}
