/** The problem-file language server: checks, hovers, completion, quick fixes, lenses, run results,
 * folding and the outline for `*.problem.md` files and MATH-style JSONL problem sets. It never talks to
 * a model: run results come from the extension (PROBLEM_RUN_RESULTS). Transport (--stdio / --node-ipc)
 * comes from argv. */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyses, type Analysis } from './analyses';
import { codeActionsFor } from './codeActions';
import { codeLensesFor } from './codeLens';
import { completionsAt } from './completion';
import { datasetFromPath } from '../core/authoring/duplicates';
import { DuplicateSource, type Dataset } from './duplicateSource';
import { findingToDiagnostic } from './findingDiagnostics';
import { foldingRangesFor } from './folding';
import { hoverAt } from './hover';
import { inlayHintsFor } from './inlayHints';
import { DEFAULT_PROBLEM_CHECK_SETTINGS, PROBLEM_RUN_RESULTS, type InitializationOptions, type ProblemCheckSettings, type ProblemRunResultsParams } from './protocol';
import { RunResults } from './runResults';
import { folderPath, sanitizeSettings, SETTINGS_SECTION } from './settings';
import { documentSymbolsFor } from './symbols';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const runResults = new RunResults();

let client = negotiate({});
let benchmarks: Dataset[] = [];
let workspaceFolder: string | undefined;
let settings: ProblemCheckSettings = DEFAULT_PROBLEM_CHECK_SETTINGS;
let settingsRead: Promise<void> = Promise.resolve();

const duplicates = new DuplicateSource((errors) => {
  for (const e of errors) connection.console.warn(`Near-duplicate check: ${e}`);
  void connection.window.showWarningMessage(`Reasonscope: some benchmark problems could not be loaded for the near-duplicate check: ${errors.join('; ')}`);
});
const analyses = new Analyses(() => ({
  duplicates: duplicates.finder([...benchmarks, ...settings.duplicateDatasets.map(datasetFromPath)]),
  duplicateThreshold: settings.duplicateThreshold,
}));

/** What this client can do, read once from its capabilities. */
function negotiate(caps: ClientCapabilities) {
  return {
    pullDiagnostics: caps.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: caps.workspace?.diagnostics?.refreshSupport === true,
    configuration: caps.workspace?.configuration === true,
    configurationRegistration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    inlayHintRefresh: caps.workspace?.inlayHint?.refreshSupport === true,
    folding: { lineFoldingOnly: caps.textDocument?.foldingRange?.lineFoldingOnly === true, rangeLimit: caps.textDocument?.foldingRange?.rangeLimit },
    hierarchicalSymbols: caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
  };
}

connection.onInitialize((params): InitializeResult => {
  client = negotiate(params.capabilities);
  benchmarks = readBenchmarks(params.initializationOptions);
  workspaceFolder = folderPath(params.workspaceFolders?.[0]?.uri ?? params.rootUri);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      ...(client.pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['\\', ':', ' '] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      codeLensProvider: {},
      inlayHintProvider: {},
      foldingRangeProvider: true,
      documentSymbolProvider: true,
    },
    serverInfo: { name: 'reasonscope-problems' },
  };
});

connection.onInitialized(() => {
  if (client.configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  settingsRead = readSettings();
});

connection.onDidChangeConfiguration(() => {
  settingsRead = readSettings().then(recheckOpenDocuments);
});

function readBenchmarks(options: unknown): Dataset[] {
  const list = (options as Partial<InitializationOptions> | undefined)?.benchmarks;
  return Array.isArray(list) ? list.filter((b): b is Dataset => typeof b?.name === 'string' && typeof b?.path === 'string') : [];
}

/** Without `workspace/configuration` the defaults stand. */
async function readSettings(): Promise<void> {
  if (!client.configuration) return;
  try {
    settings = sanitizeSettings(await connection.workspace.getConfiguration(SETTINGS_SECTION), workspaceFolder);
  } catch (err) {
    connection.console.warn(`Could not read ${SETTINGS_SECTION} settings, using the defaults: ${String(err)}`);
    settings = DEFAULT_PROBLEM_CHECK_SETTINGS;
  }
  analyses.invalidate();
}

function recheckOpenDocuments(): void {
  if (!client.pullDiagnostics) documents.all().forEach((d) => schedulePush(d.uri));
  else if (client.diagnosticRefresh) void connection.languages.diagnostics.refresh();
}

/** The current analysis of an open document; undefined when closed or when the request was cancelled. */
async function analysisOf(uri: string, token?: CancellationToken): Promise<{ document: TextDocument; analysis: Analysis } | undefined> {
  await settingsRead;
  const document = documents.get(uri);
  const analysis = document && analyses.get(document, () => token?.isCancellationRequested === true);
  return document && analysis ? { document, analysis } : undefined;
}

// Pull diagnostics: the client asks, per document version.
connection.languages.diagnostics.on(async (params, token) => {
  // Let a cancellation that is already on its way arrive before the (synchronous) check starts.
  await new Promise((resolve) => setImmediate(resolve));
  const found = token.isCancellationRequested ? undefined : await analysisOf(params.textDocument.uri, token);
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The diagnostics request was cancelled.');
  if (!found) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const { document, analysis } = found;
  if (params.previousResultId === analysis.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: analysis.resultId };
  return { kind: DocumentDiagnosticReportKind.Full, resultId: analysis.resultId, items: analysis.findings.map((f) => findingToDiagnostic(document, f)) };
});

// Push diagnostics: changes coalesce into one check per document per turn of the event loop, so a
// burst of edits is checked once, at its last version.
const pendingPush = new Set<string>();
function schedulePush(uri: string): void {
  if (client.pullDiagnostics) return;
  if (pendingPush.size === 0) setImmediate(() => void flushPush());
  pendingPush.add(uri);
}
async function flushPush(): Promise<void> {
  await settingsRead;
  const uris = [...pendingPush];
  pendingPush.clear();
  for (const uri of uris) {
    try {
      const found = await analysisOf(uri);
      if (!found || pendingPush.has(uri)) continue; // closed, or edited again: a newer check follows
      const { document, analysis } = found;
      void connection.sendDiagnostics({ uri, version: document.version, diagnostics: analysis.findings.map((f) => findingToDiagnostic(document, f)) });
    } catch (err) {
      connection.console.error(`Checking ${uri} failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
}

documents.onDidChangeContent((e) => schedulePush(e.document.uri));
documents.onDidClose((e) => {
  analyses.forget(e.document.uri);
  if (!client.pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onHover(async (params, token) => {
  const found = await analysisOf(params.textDocument.uri, token);
  if (!found) return null;
  const { document, analysis } = found;
  return hoverAt(document, analysis.problem, analysis.findings, document.offsetAt(params.position), runResults.get(document.uri));
});

connection.onCompletion(async (params, token) => {
  const found = await analysisOf(params.textDocument.uri, token);
  return found ? completionsAt(found.document, found.analysis.problem, params.position) : [];
});

connection.onCodeAction(async (params, token) => {
  const found = await analysisOf(params.textDocument.uri, token);
  return found ? codeActionsFor(found.document, found.analysis.findings, params.range, params.context.only) : [];
});

connection.onCodeLens(async (params, token) => {
  const found = await analysisOf(params.textDocument.uri, token);
  return found ? codeLensesFor(found.document, found.analysis.problem, runResults.get(params.textDocument.uri)) : [];
});

connection.languages.inlayHint.on(async (params, token) => {
  const found = await analysisOf(params.textDocument.uri, token);
  return found ? inlayHintsFor(found.document, found.analysis.problem, runResults.get(params.textDocument.uri), params.range) : [];
});

connection.onFoldingRanges(async (params, token) => {
  const found = await analysisOf(params.textDocument.uri, token);
  return found ? foldingRangesFor(found.document, found.analysis.problem, client.folding) : [];
});

connection.onDocumentSymbol(async (params, token) => {
  const found = await analysisOf(params.textDocument.uri, token);
  return found ? documentSymbolsFor(found.document, found.analysis.problem, client.hierarchicalSymbols) : [];
});

connection.onNotification(PROBLEM_RUN_RESULTS, (params: ProblemRunResultsParams) => {
  runResults.update(Array.isArray(params?.results) ? params.results : []);
  if (client.inlayHintRefresh) void connection.languages.inlayHint.refresh();
  if (client.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
});

documents.listen(connection);
connection.listen();
