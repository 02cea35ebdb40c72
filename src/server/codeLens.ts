/** The lenses above a problem file's title: run it, search it, estimate its difficulty, open its last run. */
import type { CodeLens } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProblemDocument } from '../core/authoring/types';
import { spanToRange } from './positions';
import { COMMANDS } from './protocol';

export function codeLensesFor(document: TextDocument, problem: ProblemDocument, hasRun: boolean): CodeLens[] {
  // Records of a problem set cannot be run from the editor (yet): no lenses there.
  const unit = problem.kind === 'problem' ? problem.units[0] : undefined;
  if (!unit) return [];
  const range = spanToRange(document, unit.titleSpan);
  const lens = (title: string, command: string): CodeLens => ({ range, command: { title, command, arguments: [document.uri] } });
  const lenses = [lens('▶ Solve', COMMANDS.solve), lens('Search…', COMMANDS.search), lens('Estimate difficulty', COMMANDS.estimateDifficulty)];
  if (hasRun) lenses.push(lens('Open last run', COMMANDS.openLastRun));
  return lenses;
}
