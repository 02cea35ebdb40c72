/** What every command needs, created once in `activate`. */
import type * as vscode from 'vscode';
import type { ProblemRunResult } from '../server/protocol';
import { withResult } from './problems/runResult';
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

/** The last run of each problem file, kept in workspace state across reloads (newest first, capped). */
export class RunHistory {
  private static readonly KEY = 'reasonscope.problemRuns';

  constructor(private readonly state: vscode.Memento) {}

  all(): ProblemRunResult[] {
    return this.state.get<ProblemRunResult[]>(RunHistory.KEY, []);
  }

  async remember(result: ProblemRunResult): Promise<void> {
    await this.state.update(RunHistory.KEY, withResult(this.all(), result));
  }

  /** The problem's last run; `problem` is its URI or the URI's string form (as LSP sends it). */
  last(problem: vscode.Uri | string): ProblemRunResult | undefined {
    const uri = problem.toString();
    return this.all().find((r) => r.uri === uri);
  }

  /** The problem whose last run is `runFile` (a resumed run updates its problem's result). */
  problemOf(runFile: string): string | undefined {
    return this.all().find((r) => r.runFile === runFile)?.uri;
  }
}
