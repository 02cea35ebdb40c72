/** Faults a test can make the server commit, in the order they were injected. */
import { STATUS_CODES } from 'node:http';

export type Fault =
  /** Reply with this status and {"error": message} to `times` requests (default 1), only those whose path starts with `path` when given. */
  | { kind: 'status'; status: number; message?: string; times?: number; path?: string }
  /** Stream `afterTokens` tokens, then an {"error": …} line, then end. */
  | { kind: 'error-mid-stream'; afterTokens: number; message?: string; times?: number }
  /** Stream `afterTokens` tokens, then end the response without a done object. */
  | { kind: 'truncate'; afterTokens: number; times?: number }
  /** Accept the request and never answer (until the client gives up). */
  | { kind: 'hang'; times?: number };

export type ArrivalFault = Extract<Fault, { kind: 'status' | 'hang' }>;
export type StreamFault = Extract<Fault, { kind: 'error-mid-stream' | 'truncate' }>;

/** What a real Ollama says for these statuses (503 is its queue-full error). */
const OLLAMA_MESSAGES: Record<number, string> = {
  500: 'an error was encountered while running the model',
  503: 'server busy, please try again.  maximum pending requests exceeded',
};

export const DEFAULT_STREAM_ERROR =
  'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details';

export function statusMessage(fault: Extract<Fault, { kind: 'status' }>): string {
  return fault.message ?? OLLAMA_MESSAGES[fault.status] ?? (STATUS_CODES[fault.status] ?? 'error').toLowerCase();
}

export class FaultQueue {
  private readonly pending: { fault: Fault; remaining: number }[] = [];

  add(fault: Fault): void {
    this.pending.push({ fault, remaining: fault.times ?? 1 });
  }

  /** The first fault that applies as a request arrives: a status for its path, or a hang. */
  takeOnArrival(path: string): ArrivalFault | undefined {
    return this.take((f): f is ArrivalFault => f.kind === 'hang' || (f.kind === 'status' && path.startsWith(f.path ?? '')));
  }

  /** The first fault that applies once a generation is under way. */
  takeForGeneration(): StreamFault | undefined {
    return this.take((f): f is StreamFault => f.kind === 'error-mid-stream' || f.kind === 'truncate');
  }

  private take<T extends Fault>(applies: (fault: Fault) => fault is T): T | undefined {
    const entry = this.pending.find((e) => e.remaining > 0 && applies(e.fault));
    if (!entry) return undefined;
    entry.remaining--;
    return entry.fault as T;
  }
}
