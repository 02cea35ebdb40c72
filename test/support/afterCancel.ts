/** What a test checks on the test server once an analysis it cancelled has returned. */
import { strict as assert } from 'node:assert';
import type { TestServer } from './ollamaServer';

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
