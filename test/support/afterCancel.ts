/** Cancelling an analysis on the test server, and what a test checks there once it has returned. */
import { strict as assert } from 'node:assert';
import type { AnalysisSink } from '../../src/core/analysis/rollouts';
import type { RunEvent } from '../../src/core/trace/schema';
import type { TestServer } from './ollamaServer';

/** A sink that keeps the analysis's events of type `type` and aborts `signal` 30 ms after each, so the
 * cancel lands while the next rollouts are streaming. */
export function cancellingSink<T extends RunEvent['type']>(type: T): { sink: AnalysisSink; signal: AbortSignal; written: Extract<RunEvent, { type: T }>[] } {
  const controller = new AbortController();
  const written: Extract<RunEvent, { type: T }>[] = [];
  const sink = {
    now: () => 0,
    emit(event: RunEvent) {
      if (event.type !== type) return;
      written.push(event as Extract<RunEvent, { type: T }>);
      setTimeout(() => controller.abort(), 30);
    },
  };
  return { sink, signal: controller.signal, written };
}

/** Waits for the cancel to reach the server, then checks that no request comes in for 100 ms
 * (`sentMessage` says what returned) and that every stream the server started has completed or
 * been aborted. */
export async function assertQuietAfterCancel(server: TestServer, sentMessage: string): Promise<void> {
  await server.waitForAbort(2000);
  const requests = server.requests.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(server.requests.length, requests, sentMessage);
  assert.equal(server.stats.streamsStarted, server.stats.streamsCompleted + server.stats.streamsAborted, 'no stream is left running');
}
