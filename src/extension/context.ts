/** What every command needs, created once in `activate`. */
import type * as vscode from 'vscode';
import type { TreePanel } from './treePanel';

export interface ExtensionContext {
  log: vscode.LogOutputChannel;
  tree: TreePanel;
  runs: RunHistory;
  /** Folder for runs of problems outside any workspace folder. */
  storageDir: string;
  /** Refreshes the status bar after the model or connection changed. */
  refreshStatus(): void;
}

/** The last run file of each problem, kept in workspace state across reloads. */
export class RunHistory {
  private static readonly KEY = 'reasonscope.lastRuns';

  constructor(private readonly state: vscode.Memento) {}

  remember(problem: vscode.Uri, runFile: string): void {
    const all = this.state.get<Record<string, string>>(RunHistory.KEY, {});
    void this.state.update(RunHistory.KEY, { ...all, [problem.toString()]: runFile });
  }

  last(problem: vscode.Uri): string | undefined {
    return this.state.get<Record<string, string>>(RunHistory.KEY, {})[problem.toString()];
  }
}
