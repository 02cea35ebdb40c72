/** Fans every run event out to the run file and to live listeners (CLI progress, webview), and
 * keeps the replayed tree current so listeners can read it. */
import type { RunWriter } from './runFile';
import type { RunEvent, RunHeader } from './schema';
import { applyEvent, emptyTree, type RunTree } from './tree';

export type RunListener = (event: RunEvent, tree: RunTree) => void;

export class RunRecorder {
  readonly tree: RunTree;
  /** Every event so far, for views that join mid-run. */
  readonly events: RunEvent[] = [];
  private readonly listeners: RunListener[] = [];
  private started = Date.now();

  constructor(readonly header: RunHeader, private writer?: RunWriter) {
    this.tree = emptyTree(header);
  }

  /** A recorder that continues a logged run: its events are replayed (not written again) and the
   * clock goes on from the last one. */
  static resume(header: RunHeader, logged: readonly RunEvent[], writer?: RunWriter): RunRecorder {
    const recorder = new RunRecorder(header, writer);
    for (const event of logged) {
      recorder.events.push(event);
      applyEvent(recorder.tree, event);
    }
    recorder.started = Date.now() - (logged.at(-1)?.t ?? 0);
    return recorder;
  }

  /** Milliseconds since the run started, the `t` of every event. */
  now(): number {
    return Date.now() - this.started;
  }

  onEvent(listener: RunListener): void {
    this.listeners.push(listener);
  }

  /** Closes the run file; events emitted afterwards only reach listeners. */
  close(): void {
    this.writer?.close();
    this.writer = undefined;
  }

  emit(event: RunEvent): void {
    this.writer?.write(event);
    this.events.push(event);
    applyEvent(this.tree, event);
    for (const listener of this.listeners) listener(event, this.tree);
  }
}
