/** One scenario in its own code-server and browser: failure screenshots, the activation check and
 * teardown happen here, so every scenario gets them and none can forget them. */
import { join } from 'node:path';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { e2eOutputDir } from './paths';
import type { Stopwatch } from './stopwatch';
import { Workbench, activationFailures } from './workbench';

export async function withWorkbench(
  label: string,
  options: Omit<CodeServerOptions, 'label'>,
  clock: Stopwatch,
  body: (workbench: Workbench, server: CodeServer) => Promise<void>,
): Promise<void> {
  const server = await clock.time(`${label}: code-server up`, () => startCodeServer({ label, ...options }));
  let workbench: Workbench | undefined;
  let failure: Error | undefined;
  try {
    workbench = await clock.time(`${label}: workbench open`, () => Workbench.open(server));
    const opened = workbench;
    await clock.time(`${label}: scenario`, () => body(opened, server));
  } catch (error) {
    failure = error as Error;
    await workbench?.screenshot(join(e2eOutputDir, `failure-${label}.png`)).catch(() => undefined);
  } finally {
    await workbench?.close();
    await server.stop();
  }
  // A throwing activate() still shows its commands and may open its views: only the log tells.
  const activation = activationFailures(server.extensionHostLog());
  if (failure || activation.length > 0) {
    const lines = [failure?.message, ...activation.map((line) => `extension host: ${line}`), `(evidence: ${server.runDir})`];
    throw new Error(lines.filter(Boolean).join('\n'), { cause: failure });
  }
}
