/** Typed messages between the extension and the trajectory-tree webview. Both sides import this
 * file; the webview never talks to a model server, it only renders the run events it is sent. */
import type { RunEvent, RunHeader } from '../src/core/trace/schema';

export type HostToWebview =
  /** Replace whatever is shown with this run (its events so far). */
  | { type: 'run'; header: RunHeader; events: RunEvent[]; label: string }
  /** More events of the run being shown (live growth). */
  | { type: 'events'; runId: string; events: RunEvent[] }
  /** Nothing to show; `message` says how to get something. */
  | { type: 'empty'; message: string }
  /** Mark the node whose text the cursor is in, in a chain document of this run (null: none). */
  | { type: 'highlight'; runId: string; nodeId: string | null };

export type WebviewToHost =
  /** Sent once the script has loaded; the host replies with the current run. */
  | { type: 'ready' }
  /** The user asked to open a node's chain (root → node) as a text document. */
  | { type: 'openPath'; runId: string; nodeId: string }
  /** The user selected a node (click or keyboard): an open chain document shows its text. */
  | { type: 'select'; runId: string; nodeId: string }
  | { type: 'error'; message: string };
