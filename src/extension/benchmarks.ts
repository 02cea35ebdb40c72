/** Opens the benchmark problem a near-duplicate finding points at ("Open the duplicate"). */
import * as path from 'node:path';
import * as vscode from 'vscode';

/** `line` is the record's 1-based line in the dataset JSONL; the record is revealed and selected. */
export async function openBenchmarkProblem(file: unknown, line: unknown): Promise<void> {
  if (typeof file !== 'string' || !file) {
    void vscode.window.showErrorMessage('Reasonscope: no benchmark file was given to open.');
    return;
  }
  const uri = vscode.Uri.file(file);
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(uri);
  } catch {
    void vscode.window.showErrorMessage(`Reasonscope: the benchmark file ${file} cannot be opened (moved or deleted?). Check the setting reasonscope.problems.duplicateDatasets.`);
    return;
  }
  const wanted = typeof line === 'number' && Number.isInteger(line) && line >= 1 ? line : 1;
  const range = document.lineAt(Math.min(wanted, document.lineCount) - 1).range;
  const editor = await vscode.window.showTextDocument(document, { preview: false, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  if (wanted > document.lineCount) void vscode.window.showWarningMessage(`Reasonscope: ${path.basename(file)} has no line ${wanted} (it changed since it was checked); its last line is shown.`);
}
