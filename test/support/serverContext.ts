/** The state every endpoint of the test server shares. */
import type { ServerResponse } from 'node:http';
import type { FaultQueue } from './faults';
import type { ModelCatalogue } from './models';
import type { Slots } from './slots';
import type { SolverSettings } from './solver';

export interface ServerStats {
  /** Generations that got a slot and began (a hung request counts too). */
  streamsStarted: number;
  /** Generations that reached their done object. */
  streamsCompleted: number;
  /** Requests the client closed before they were done, while generating, queued or hung. */
  streamsAborted: number;
  /** Most generations running at the same time. */
  readonly maxConcurrent: number;
  /** How many generations had to wait for a slot. */
  readonly queued: number;
}

export interface ServerContext {
  version: string;
  /** Ollama 0.12.11 and newer return token logprobs; older ones ignore the request fields. */
  logprobsSupported: boolean;
  models: ModelCatalogue;
  settings: SolverSettings;
  /** How often the judge and the process reward model see a step's correctness right. */
  judgeAccuracy: number;
  /** Models the vLLM-like /pooling endpoint serves as process reward models. */
  rewardModels: string[];
  tokenLatencyMs: number;
  faults: FaultQueue;
  slots: Slots;
  stats: ServerStats;
  /** The solver seed for a request that gives none: successive requests get successive seeds. */
  nextSeed(): number;
  /** Counts a request the client abandoned and wakes `waitForAbort`. */
  noteAbort(): void;
}

/** One endpoint. `body` is the parsed JSON object for routes that take one, else {}. */
export interface Route {
  method: 'GET' | 'HEAD' | 'POST';
  path: string;
  json: boolean;
  handle(ctx: ServerContext, body: Record<string, unknown>, res: ServerResponse): Promise<void> | void;
}
