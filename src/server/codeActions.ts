/** Quick fixes: the checks' own fixes (exact edits), and "Open the duplicate" for near-duplicates. */
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/authoring/types';
import { findingToDiagnostic } from './findingDiagnostics';
import { rangeToSpan, spanToRange, spansMeet } from './positions';
import { COMMANDS } from './protocol';

/** The actions for the findings that meet `range`; recomputed from the cached analysis, so the
 * diagnostics need not carry them. */
export function codeActionsFor(document: TextDocument, findings: readonly Finding[], range: Range, only?: string[]): CodeAction[] {
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const span = rangeToSpan(document, range);
  return findings.filter((f) => spansMeet(f.span, span)).flatMap((finding) => {
    const diagnostics = [findingToDiagnostic(document, finding)];
    const actions: CodeAction[] = (finding.fixes ?? []).map((fix) => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics,
      isPreferred: fix.preferred === true,
      edit: { changes: { [document.uri]: fix.edits.map((e) => ({ range: spanToRange(document, e.span), newText: e.newText })) } },
    }));
    const dup = finding.duplicate;
    if (dup) {
      const title = `Open the duplicate: ${dup.dataset} ${dup.id}`;
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics, command: { title, command: COMMANDS.openBenchmarkProblem, arguments: [dup.path, dup.line] } });
    }
    return actions;
  });
}
