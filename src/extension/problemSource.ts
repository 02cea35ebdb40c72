/** Which problem a command works on (the given file or problem-set record, else the selection or the
 * problem file in the editor) and where its runs are saved. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Problem } from '../core/problem/problemFile';
import type { ProblemRef } from '../core/trace/schema';
import type { ExtensionContext } from './context';
import { problemStem, readProblem } from './problems/read';

/** A problem file, or a record of a problem set (its 1-based line), as the lenses name them. */
export interface ProblemTarget {
  uri: vscode.Uri;
  line?: number;
}

export interface ProblemSource {
  problem: Problem;
  /** The start of the run file's name (see problemStem). */
  stem: string;
  document: vscode.TextDocument;
  /** A problem set's record: its line. */
  line?: number;
}

/** The problem in the editor, for a command run without one (palette, keybinding): the file, or in a
 * problem set the record under the cursor. */
export function activeProblem(): ProblemTarget | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { uri } = editor.document;
  return /\.jsonl$/i.test(uri.path) ? { uri, line: editor.selection.active.line + 1 } : { uri };
}

export async function problemSource(target?: ProblemTarget): Promise<ProblemSource | undefined> {
  const editor = vscode.window.activeTextEditor;
  const document = target ? await vscode.workspace.openTextDocument(target.uri) : editor?.document;
  if (!document) {
    void vscode.window.showErrorMessage('Reasonscope: open a *.problem.md file (or select a problem statement) to solve it.');
    return undefined;
  }
  const at = { fileName: path.basename(document.uri.path), line: (target ?? activeProblem())?.line };
  const selection = !target && editor && !editor.selection.isEmpty ? document.getText(editor.selection).trim() : '';
  if (selection) return { problem: { text: selection }, stem: `${problemStem(at)}-selection`, document };
  try {
    const problem = readProblem(document.getText(), at);
    return { problem, stem: problemStem(at, problem.id), document, ...(at.line !== undefined && { line: at.line }) };
  } catch (err) {
    void vscode.window.showErrorMessage(`Reasonscope: ${at.fileName}: ${(err as Error).message}`);
    return undefined;
  }
}

/** The problem as the run header records it; a record's source is `<set>:<line>`. */
export function problemRef(source: ProblemSource): ProblemRef {
  const { id, text, answer } = source.problem;
  const file = vscode.workspace.asRelativePath(source.document.uri);
  return { id, text, answer, source: source.line === undefined ? file : `${file}:${source.line}` };
}

/** The folder runs of this problem are saved in: the setting inside its workspace folder, else the
 * extension's storage. */
export function runsFolder(ctx: ExtensionContext, uri: vscode.Uri, relative: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder && folder.uri.scheme === 'file') return path.resolve(folder.uri.fsPath, relative);
  return path.join(ctx.storageDir, 'runs');
}
