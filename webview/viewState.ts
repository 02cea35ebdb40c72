/** What survives the webview being hidden and re-created (VS Code `setState`): per run, the
 * selected node and the user's zoom. Only the most recent runs are kept, so state stays small. */

export interface ViewTransform {
  k: number;
  x: number;
  y: number;
}

export interface RunViewState {
  selected?: string;
  /** Present only once the user zoomed or panned; otherwise the view fits the tree. */
  transform?: ViewTransform;
}

export interface PersistedState {
  runs: Record<string, RunViewState>;
  /** Run ids, most recently shown last. */
  recent: string[];
}

export interface StateApi {
  getState(): unknown;
  setState(state: PersistedState): void;
}

const MAX_RUNS = 20;

function isPersistedState(value: unknown): value is PersistedState {
  const v = value as Partial<PersistedState> | undefined;
  return typeof v?.runs === 'object' && v.runs !== null && Array.isArray(v.recent);
}

export class ViewStateStore {
  private state: PersistedState;

  constructor(private readonly api: StateApi) {
    const saved = api.getState();
    this.state = isPersistedState(saved) ? saved : { runs: {}, recent: [] };
  }

  get(runId: string): RunViewState {
    return this.state.runs[runId] ?? {};
  }

  update(runId: string, patch: Partial<RunViewState>): void {
    const runs = { ...this.state.runs, [runId]: { ...this.get(runId), ...patch } };
    const recent = [...this.state.recent.filter((id) => id !== runId), runId];
    for (const dropped of recent.splice(0, Math.max(0, recent.length - MAX_RUNS))) delete runs[dropped];
    this.state = { runs, recent };
    this.api.setState(this.state);
  }
}
