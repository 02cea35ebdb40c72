/** The model backend for the current settings, and user-facing handling of its errors. */
import * as vscode from 'vscode';
import { createBackend } from '../core/model';
import { BackendError } from '../core/model/errors';
import type { ModelBackend } from '../core/model/types';
import { readSettings } from './config';

export function currentBackend(): ModelBackend {
  return createBackend({ kind: 'ollama', host: readSettings().host });
}

/** Shows a backend error with the buttons that fix it. */
export async function reportBackendError(err: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  log.error(message);
  if (!(err instanceof BackendError)) {
    void vscode.window.showErrorMessage(`Reasonscope: ${message}`);
    return;
  }
  if (err.code === 'model-not-found' && err.model) {
    const pick = await vscode.window.showErrorMessage(`Reasonscope: ${message}`, `Pull ${err.model}`, 'Select Model');
    if (pick === 'Select Model') await vscode.commands.executeCommand('reasonscope.selectModel');
    else if (pick) await vscode.commands.executeCommand('reasonscope.pullModel', err.model);
    return;
  }
  if (err.code === 'unreachable') {
    const pick = await vscode.window.showErrorMessage(`Reasonscope: ${message}`, 'Open Settings', 'Show Log');
    if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'reasonscope.host');
    else if (pick === 'Show Log') log.show();
    return;
  }
  void vscode.window.showErrorMessage(`Reasonscope: ${message}`);
}
