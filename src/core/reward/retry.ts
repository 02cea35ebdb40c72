/** Scorer requests retry transient failures (503, a dropped connection) with backoff, as generation
 * requests do; anything else, and a cancelled run, passes straight through. */
import { BackendError, CancelledError } from '../model/errors';
import { sleep } from '../search/pool';

export async function withRetries<T>(attempt: () => Promise<T>, signal: AbortSignal, retries = 2): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof BackendError) || !err.transient || n >= retries || signal.aborted) throw err;
      await sleep(250 * 2 ** n, signal).catch(() => {
        throw new CancelledError();
      });
    }
  }
}
