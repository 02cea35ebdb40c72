/** The last run's result at the end of the problem's title line (a problem set: the record's line),
 * while the statement is unchanged. */
import type { InlayHint, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { sameStatement, unitResults } from '../core/authoring/recordMatch';
import type { ProblemDocument } from '../core/authoring/types';
import { formatRunAnnotation } from './annotation';
import type { DocumentRunResults } from './runResults';

export function inlayHintsFor(document: TextDocument, problem: ProblemDocument, results: DocumentRunResults, range: Range): InlayHint[] {
  if (problem.kind === 'other' || results.size === 0) return [];
  const hints: InlayHint[] = [];
  const shown = unitResults(problem, results);
  for (const unit of problem.units) {
    const result = shown.get(unit);
    if (!result || !sameStatement(result.statement, unit.statement.text)) continue;
    const line = document.positionAt(unit.titleSpan.start).line;
    if (line < range.start.line || line > range.end.line) continue;
    const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    const { label, tooltip } = formatRunAnnotation(result);
    hints.push({ position: { line, character: lineText.length }, label, tooltip, paddingLeft: true });
  }
  return hints;
}
