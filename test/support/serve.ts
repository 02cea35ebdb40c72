/** Runs the Ollama-protocol test server as its own process, as `ollama serve` would run:
 *
 *   node --import tsx test/support/serve.ts [--port N] [--latency MS] [--seed S] [--parallel P] [--version V]
 *     [--error-rate R] [--self-correction-rate R] [--judge-accuracy A]
 *
 * Prints exactly one line, {"url":"http://127.0.0.1:PORT"}, once listening; exits on SIGTERM/SIGINT. */
import { parseArgs } from 'node:util';
import { startTestServer, type TestServerOptions } from './ollamaServer';

function numberArg(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const value = values[name];
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      latency: { type: 'string' },
      seed: { type: 'string' },
      parallel: { type: 'string' },
      version: { type: 'string' },
      'error-rate': { type: 'string' },
      'self-correction-rate': { type: 'string' },
      'judge-accuracy': { type: 'string' },
    },
  });
  const options: TestServerOptions = {
    port: numberArg(values, 'port'),
    tokenLatencyMs: numberArg(values, 'latency'),
    seed: numberArg(values, 'seed'),
    parallel: numberArg(values, 'parallel'),
    version: values.version,
    errorRate: numberArg(values, 'error-rate'),
    selfCorrectionRate: numberArg(values, 'self-correction-rate'),
    judgeAccuracy: numberArg(values, 'judge-accuracy'),
  };
  const server = await startTestServer(options);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`test server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
