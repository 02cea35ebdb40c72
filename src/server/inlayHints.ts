/** The last run's result at the end of the problem's title line, while the statement is unchanged. */
import type { InlayHint, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProblemDocument } from '../core/authoring/types';
import { formatRunAnnotation } from './annotation';
import type { ProblemRunResult } from './protocol';
import { sameStatement } from './runResults';

export function inlayHintsFor(document: TextDocument, problem: ProblemDocument, result: ProblemRunResult | undefined, range: Range): InlayHint[] {
  const unit = problem.kind === 'problem' ? problem.units[0] : undefined;
  if (!unit || !result || !sameStatement(result, unit.statement.text)) return [];
  const line = document.positionAt(unit.titleSpan.start).line;
  if (line < range.start.line || line > range.end.line) return [];
  const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const { label, tooltip } = formatRunAnnotation(result);
  return [{ position: { line, character: lineText.length }, label, tooltip, paddingLeft: true }];
}
