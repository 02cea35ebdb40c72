/** The problem-file language server: diagnostics for `*.problem.md` while authoring. */
import { createConnection, DiagnosticSeverity, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkProblemText } from './diagnostics';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
}));

function validate(document: TextDocument): void {
  const diagnostics: Diagnostic[] = checkProblemText(document.getText()).map((d) => ({
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    range: { start: { line: d.line, character: 0 }, end: { line: d.line, character: Number.MAX_SAFE_INTEGER } },
    message: d.message,
    source: 'reasonscope',
  }));
  void connection.sendDiagnostics({ uri: document.uri, diagnostics });
}

documents.onDidChangeContent((e) => validate(e.document));
documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
documents.listen(connection);
connection.listen();
