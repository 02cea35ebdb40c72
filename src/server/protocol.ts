/** What the extension and the problem-file language server say to each other beyond standard LSP.
 * Both sides import these names; neither imports `vscode` here. */

/** Commands the server's CodeLens and code actions invoke; the extension registers them. The lens
 * commands (solve, search, estimateDifficulty, openLastRun) receive the document's URI as a string (LSP
 * form, e.g. `file:///…/sum.problem.md`), not a `vscode.Uri`: `[uri]` for a problem file, `[uri, line]`
 * for a record of a problem set (`line`: the record's 1-based line; for openLastRun, the line its run
 * was made on, which the record may have left since). */
export const COMMANDS = {
  solve: 'reasonscope.solve',
  search: 'reasonscope.search',
  estimateDifficulty: 'reasonscope.estimateDifficulty',
  openLastRun: 'reasonscope.openLastRun',
  /** Arguments: (path: string, line: number) — a benchmark dataset file and the record's 1-based line. */
  openBenchmarkProblem: 'reasonscope.openBenchmarkProblem',
} as const;

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** Datasets shipped with the extension that problems are checked against (MATH-500). */
  benchmarks: { name: string; path: string }[];
}

/** The `reasonscope.problems` settings section, read by the server through `workspace/configuration`. */
export interface ProblemCheckSettings {
  /** Similarity at or above which a statement is a near-duplicate (0–1). */
  duplicateThreshold: number;
  /** More JSONL problem sets to check for contamination against (absolute paths or relative to the
   * workspace folder). */
  duplicateDatasets: string[];
}

export const DEFAULT_PROBLEM_CHECK_SETTINGS: ProblemCheckSettings = { duplicateThreshold: 0.8, duplicateDatasets: [] };

/** The last run of one problem (a problem file, or one record of a problem set), as the extension knows
 * it: shown by the server in the title hover, as the inline annotation and as the "Open last run" lens. */
export interface ProblemRunResult {
  /** The problem file's or problem set's URI (string form, as in LSP). */
  uri: string;
  /** A problem set's record: its 1-based line; absent for a problem file. */
  line?: number;
  /** The statement the run was made on; the annotation is shown only while the document still has it. */
  statement: string;
  runFile: string;
  model: string;
  strategy: string;
  status: 'completed' | 'cancelled' | 'failed';
  /** Chains that produced an answer. */
  answered: number;
  /** Chains graded correct against the problem's answer; undefined when it has none. */
  correct?: number;
  /** The most-voted answer (LaTeX as extracted) and whether it is correct. */
  majority?: string;
  majorityCorrect?: boolean;
  finishedAt: string;
}

/** Notification client → server: the last runs of problems (sent at start for every problem the
 * workspace remembers and after each run). An entry with the same uri and line replaces the older one. */
export const PROBLEM_RUN_RESULTS = 'reasonscope/problemRunResults';
export interface ProblemRunResultsParams {
  results: ProblemRunResult[];
}
