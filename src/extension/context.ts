/** What every command needs, created once in `activate`. */
import type * as vscode from 'vscode';
import type { ProblemRunResult } from '../server/protocol';
import { isResultOf, withResult, type ProblemKey } from './problems/runResult';
import type { TreePanel } from './treePanel';

export interface ExtensionContext {
  log: vscode.LogOutputChannel;
  tree: TreePanel;
  runs: RunHistory;
  /** Folder for runs of problems outside any workspace folder. */
  storageDir: string;
  /** Refreshes the status bar after the model or connection changed. */
  refreshStatus(): void;
  /** Tells the problem-file language server about new run results (hovers, annotations, lenses). */
  sendRunResults(results: ProblemRunResult[]): void;
}

/** The last run of each problem (file, or problem-set record), kept in workspace state across reloads (newest first, capped). */
export class RunHistory {
  private static readonly KEY = 'reasonscope.problemRuns';

  constructor(private readonly state: vscode.Memento) {}

  all(): ProblemRunResult[] {
    return this.state.get<ProblemRunResult[]>(RunHistory.KEY, []);
  }

  async remember(result: ProblemRunResult): Promise<void> {
    await this.state.update(RunHistory.KEY, withResult(this.all(), result));
  }

  /** The problem's last run: a problem file's (no line) or a problem-set record's. */
  last(problem: { uri: vscode.Uri; line?: number }): ProblemRunResult | undefined {
    const key = { uri: problem.uri.toString(), line: problem.line };
    return this.all().find((r) => isResultOf(r, key));
  }

  /** The problem whose last run is `runFile` (a resumed run updates its problem's result). */
  problemOf(runFile: string): ProblemKey | undefined {
    const result = this.all().find((r) => r.runFile === runFile);
    return result && { uri: result.uri, line: result.line };
  }
}
