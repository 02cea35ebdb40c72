/** The lenses above a problem: run it, search it, estimate its difficulty, open its last run — above a
 * problem file's title, and above each record of a problem set. They are returned resolved (no
 * codeLens/resolve): each is a title and a command, cheap even for the 1,500 of a 500-record set. */
import type { CodeLens } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { unitResults } from '../core/authoring/recordMatch';
import type { ProblemDocument } from '../core/authoring/types';
import { spanToRange } from './positions';
import { COMMANDS } from './protocol';
import type { DocumentRunResults } from './runResults';

export function codeLensesFor(document: TextDocument, problem: ProblemDocument, results: DocumentRunResults): CodeLens[] {
  if (problem.kind === 'other') return [];
  const shown = unitResults(problem, results);
  return problem.units.flatMap((unit) => {
    // A line that is not a problem record (not JSON, no statement) has nothing to run.
    if (unit.line !== undefined && (unit.readErrors || !unit.statement.text.trim())) return [];
    const range = spanToRange(document, unit.titleSpan);
    const lens = (title: string, command: string, line = unit.line): CodeLens => ({ range, command: { title, command, arguments: line === undefined ? [document.uri] : [document.uri, line] } });
    const lenses = [lens('▶ Solve', COMMANDS.solve), lens('Search…', COMMANDS.search), lens('Estimate difficulty', COMMANDS.estimateDifficulty)];
    const result = shown.get(unit);
    // Under the line the extension remembers the run by: the record may have moved since.
    if (result) lenses.push(lens('Open last run', COMMANDS.openLastRun, result.line));
    return lenses;
  });
}
