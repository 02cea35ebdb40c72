/** Starting language-server clients in a test file: each one is killed after the file's tests, so a
 * failed assertion never leaves a server process behind. */
import { after } from 'node:test';
import { LspClient, type StartOptions } from './lspClient';

export function lspClientStarter(): (options?: StartOptions) => Promise<LspClient> {
  const clients: LspClient[] = [];
  after(() => clients.forEach((c) => c.kill()));
  return async (options = {}) => {
    const client = await LspClient.start(options);
    clients.push(client);
    return client;
  };
}
