/** Finds the processes a test started, so teardown can prove it left nothing running. Every child
 * inherits an environment marker, which also catches processes that left the process group. */
import { readdirSync, readFileSync } from 'node:fs';

export const RUN_MARKER_VARIABLE = 'REASONSCOPE_E2E_RUN';

/** Pids (other than ours) whose environment carries `REASONSCOPE_E2E_RUN=<marker>`. Linux only. */
export function markedProcesses(marker: string): number[] {
  const needle = `\0${RUN_MARKER_VARIABLE}=${marker}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    // A zombie's environ reads as empty, so exited-but-unreaped children do not count.
    if (`\0${environ}`.includes(needle)) pids.push(pid);
  }
  return pids;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}

export async function waitUntil(condition: () => boolean, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return condition();
}
