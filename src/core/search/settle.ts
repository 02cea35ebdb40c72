/** Waits for every promise, then rethrows the first failure. Unlike `Promise.all`, nothing is still
 * running when it returns: after a cancel, every chain has recorded its partial step first. */
export async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
