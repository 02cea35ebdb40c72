/** Which problem a command works on (the given file, else the selection or the problem file in the
 * editor) and where its runs are saved. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseProblemFile, type Problem } from '../core/problem/problemFile';
import type { ProblemRef } from '../core/trace/schema';
import type { ExtensionContext } from './context';

export interface ProblemSource {
  problem: Problem;
  /** File name without `.md`, the start of the run file's name. */
  stem: string;
  document: vscode.TextDocument;
}

export async function problemSource(uri?: vscode.Uri): Promise<ProblemSource | undefined> {
  const editor = vscode.window.activeTextEditor;
  const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
  if (!document) {
    void vscode.window.showErrorMessage('Reasonscope: open a *.problem.md file (or select a problem statement) to solve it.');
    return undefined;
  }
  const stem = path.basename(document.uri.path).replace(/\.md$/, '');
  const selection = !uri && editor && !editor.selection.isEmpty ? document.getText(editor.selection).trim() : '';
  if (selection) return { problem: { text: selection }, stem: `${stem}-selection`, document };
  try {
    return { problem: parseProblemFile(document.getText()), stem, document };
  } catch (err) {
    void vscode.window.showErrorMessage(`Reasonscope: ${path.basename(document.uri.path)}: ${(err as Error).message}`);
    return undefined;
  }
}

/** The problem as the run header records it. */
export function problemRef(source: ProblemSource): ProblemRef {
  const { id, text, answer } = source.problem;
  return { id, text, answer, source: vscode.workspace.asRelativePath(source.document.uri) };
}

/** The folder runs of this problem are saved in: the setting inside its workspace folder, else the
 * extension's storage. */
export function runsFolder(ctx: ExtensionContext, uri: vscode.Uri, relative: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder && folder.uri.scheme === 'file') return path.resolve(folder.uri.fsPath, relative);
  return path.join(ctx.storageDir, 'runs');
}
