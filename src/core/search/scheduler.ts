/** One scheduler for every strategy: at most `concurrency` requests in flight (the server's parallel
 * slots; more would only queue there, out of our control), first come first served, and budgets on
 * tokens, requests and wall time. Running out of budget or a user cancel aborts the in-flight
 * streams through one signal, so strategies need no budget logic of their own. */

export interface Budget {
  /** Generated tokens, over the whole run. */
  maxTokens?: number;
  maxRequests?: number;
  maxWallMs?: number;
}

export interface Totals {
  promptTokens: number;
  completionTokens: number;
  requests: number;
}

/** Why the scheduler stopped taking work, when it did. */
export type StopCause = { kind: 'cancelled' } | { kind: 'budget'; message: string };

import { CancelledError } from '../model/errors';
import type { Usage } from '../model/metered';

export class Scheduler {
  readonly totals: Totals = { promptTokens: 0, completionTokens: 0, requests: 0 };
  private readonly controller = new AbortController();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cause: StopCause | undefined;

  constructor(readonly concurrency: number, private readonly budget: Budget = {}, outer?: AbortSignal, spentMs = 0) {
    if (outer?.aborted) this.stop({ kind: 'cancelled' });
    outer?.addEventListener('abort', () => this.stop({ kind: 'cancelled' }), { once: true });
    if (budget.maxWallMs !== undefined) {
      const left = Math.max(0, budget.maxWallMs - spentMs);
      this.timer = setTimeout(() => this.stop({ kind: 'budget', message: `wall-time budget of ${budget.maxWallMs} ms reached` }), left);
      this.timer.unref?.();
    }
  }

  /** Aborts when the user cancels or the token or time budget runs out. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): StopCause | undefined {
    return this.cause;
  }

  /** Runs `task` in a free slot (one request after another in it, retries included). */
  async run<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      if (this.signal.aborted) throw new CancelledError();
      return await task(this.signal);
    } finally {
      this.release();
    }
  }

  /** Counts a request as it is sent, and tokens as a generation reports them. Past the token budget
   * everything stops at once; past the request budget no request is sent (this one throws
   * `CancelledError`) but those in flight finish. */
  charge(usage: Usage): void {
    if (usage.requests && this.budget.maxRequests !== undefined && this.totals.requests + usage.requests > this.budget.maxRequests) {
      this.stop({ kind: 'budget', message: `request budget of ${this.budget.maxRequests} reached` }, false);
    }
    if (this.cause && usage.requests) throw new CancelledError();
    this.totals.requests += usage.requests ?? 0;
    this.totals.promptTokens += usage.promptTokens ?? 0;
    this.totals.completionTokens += usage.completionTokens ?? 0;
    const { maxTokens } = this.budget;
    if (maxTokens !== undefined && this.totals.completionTokens >= maxTokens) {
      this.stop({ kind: 'budget', message: `token budget of ${maxTokens} reached` });
    }
  }

  /** Frees the timer; call when the run is over. */
  dispose(): void {
    clearTimeout(this.timer);
  }

  /** Stops taking work; with `abortInFlight`, also aborts the streams in flight. */
  private stop(cause: StopCause, abortInFlight = true): void {
    if (!this.cause) this.cause = cause;
    if (abortInFlight) this.controller.abort(this.cause);
    for (const wake of this.waiting.splice(0)) wake();
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency || this.cause) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => {
      this.running++;
      resolve();
    }));
  }

  private release(): void {
    this.running--;
    if (this.running < this.concurrency) this.waiting.shift()?.();
  }
}
