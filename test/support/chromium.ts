/** The headless Chromium every browser test drives: Debian's package, never a downloaded one. */
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a machine whose only network is loopback: no background traffic, no GPU, no sandbox (root). */
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function assertChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not at ${chromiumPath}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH; .ci/run does this for you`);
  }
}
