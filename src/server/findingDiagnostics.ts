/** The checks' findings as LSP diagnostics. */
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../core/authoring/types';
import { spanToRange } from './positions';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function findingToDiagnostic(document: TextDocument, finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: spanToRange(document, finding.span),
    severity: SEVERITY[finding.severity],
    source: 'reasonscope',
    code: finding.code,
    message: finding.message,
  };
  const dup = finding.duplicate;
  if (dup) {
    const line = Math.max(0, dup.line - 1);
    diagnostic.relatedInformation = [{
      location: { uri: pathToFileURL(dup.path).href, range: { start: { line, character: 0 }, end: { line, character: 0 } } },
      message: `${dup.dataset} ${dup.id} (${Math.round(dup.similarity * 100)}% similar)`,
    }];
  }
  return diagnostic;
}
