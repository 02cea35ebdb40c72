/** An HTTP server on 127.0.0.1 that speaks Ollama's wire format (and its OpenAI-compatible
 * /v1/completions), driven by a seeded scripted solver over real MATH-500 problems, with a step judge
 * behind the judge's prompt and a vLLM-like process reward model on /pooling. It is the test fixture
 * and benchmark harness of every test; the product never falls back to it.
 *
 * Endpoints: GET / · GET /api/version · GET /api/tags · POST /api/show · POST /api/pull ·
 * POST /api/chat · POST /api/generate · GET /v1/models · POST /v1/completions · POST /pooling. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultQueue, statusMessage, type Fault } from './faults';
import { parseJson, readBody, sendJson, sendText } from './httpIo';
import { asObject } from './jsonFields';
import { ModelCatalogue } from './models';
import { ollamaError, ollamaRoutes } from './ollamaApi';
import { openaiError, openaiRoutes } from './openaiApi';
import type { Route, ServerContext, ServerStats } from './serverContext';
import { Slots } from './slots';
import { vllmError, vllmRoutes } from './vllmApi';

export type { Fault } from './faults';

export interface TestServerOptions {
  /** Solver seed used when a request gives none (default 1); later seedless requests use the next ones. */
  seed?: number;
  /** Probability a chain takes a wrong step at temperature 1 on a level-3 problem (default 0.3);
   * rises with temperature and level. */
  errorRate?: number;
  /** Probability a wrong step is followed by "Wait, …" and fixed (default 0.35). */
  selfCorrectionRate?: number;
  /** How often the judge (a model answering the judge's step-verification prompt) and the /pooling
   * process reward model see a step's correctness as it is (default 0.85). */
  judgeAccuracy?: number;
  /** Process reward models served on /pooling and listed by /v1/models (default
   * ['Qwen/Qwen2.5-Math-PRM-7B']); none: /pooling answers 404, as a server without one does. */
  rewardModels?: string[];
  /** Delay per streamed token (default 0). */
  tokenLatencyMs?: number;
  /** Like OLLAMA_NUM_PARALLEL: generation requests beyond this wait in a queue (default 4). */
  parallel?: number;
  /** Reported by /api/version (default '0.12.11'); below 0.12.11 logprobs are ignored, like a real old Ollama. */
  version?: string;
  /** Installed models (default ['qwen2.5:1.5b', 'llama3.2:1b']). */
  models?: string[];
  /** Models /api/pull can fetch (default ['qwen2.5:0.5b']); anything else fails as the real registry does. */
  pullable?: string[];
  faults?: Fault[];
  /** Port to listen on (default 0: any free port). */
  port?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The parsed JSON body, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface TestServer {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  stats: ServerStats;
  injectFault(fault: Fault): void;
  /** Resolves when a request has been abandoned by its client (connection closed before done); each
   * abort satisfies one call, including aborts that happened before the call. */
  waitForAbort(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const LOGPROBS_SINCE = '0.12.11';
const ROUTES: Route[] = [...ollamaRoutes, ...openaiRoutes, ...vllmRoutes];

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const faults = new FaultQueue();
  for (const fault of options.faults ?? []) faults.add(fault);
  const slots = new Slots(Math.max(1, options.parallel ?? 4));
  const version = options.version ?? LOGPROBS_SINCE;
  const requests: RecordedRequest[] = [];
  const abortWaiters: (() => void)[] = [];
  let abortsClaimed = 0;
  let seed = options.seed ?? 1;
  const stats: ServerStats = {
    streamsStarted: 0,
    streamsCompleted: 0,
    streamsAborted: 0,
    get maxConcurrent() {
      return slots.maxConcurrent;
    },
    get queued() {
      return slots.queued;
    },
  };
  const ctx: ServerContext = {
    version,
    logprobsSupported: supportsLogprobs(version),
    models: new ModelCatalogue(options.models ?? ['qwen2.5:1.5b', 'llama3.2:1b'], options.pullable ?? ['qwen2.5:0.5b']),
    settings: { errorRate: options.errorRate ?? 0.3, selfCorrectionRate: options.selfCorrectionRate ?? 0.35 },
    judgeAccuracy: options.judgeAccuracy ?? 0.85,
    rewardModels: options.rewardModels ?? ['Qwen/Qwen2.5-Math-PRM-7B'],
    tokenLatencyMs: options.tokenLatencyMs ?? 0,
    faults,
    slots,
    stats,
    nextSeed: () => seed++,
    noteAbort: () => {
      stats.streamsAborted++;
      const waiter = abortWaiters.shift();
      if (waiter) {
        abortsClaimed++;
        waiter();
      }
    },
  };

  const server = createServer((req, res) => {
    handle(ctx, requests, req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, ollamaError(err instanceof Error ? err.message : String(err)));
    });
  });
  await listen(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stats,
    injectFault: (fault) => faults.add(fault),
    waitForAbort: (timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        if (stats.streamsAborted > abortsClaimed) {
          abortsClaimed++;
          resolve();
          return;
        }
        const waiter = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          abortWaiters.splice(abortWaiters.indexOf(waiter), 1);
          reject(new Error(`no client abort within ${timeoutMs} ms`));
        }, timeoutMs);
        abortWaiters.push(waiter);
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function handle(ctx: ServerContext, requests: RecordedRequest[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const raw = await readBody(req);
  const parsed = parseJson(raw);
  requests.push({ method, path, body: parsed.ok ? parsed.value : raw === '' ? undefined : raw, at: Date.now() });

  const errorBody = (message: string, status: number) => {
    if (path === '/pooling') return vllmError(message, status);
    return path.startsWith('/v1/') ? openaiError(message, status) : ollamaError(message);
  };
  const fault = ctx.faults.takeOnArrival(path);
  if (fault?.kind === 'hang') {
    ctx.stats.streamsStarted++;
    res.on('close', () => ctx.noteAbort());
    return;
  }
  if (fault) return sendJson(res, fault.status, errorBody(statusMessage(fault), fault.status));

  const atPath = ROUTES.filter((r) => r.path === path);
  if (atPath.length === 0) return sendText(res, 404, '404 page not found');
  const route = atPath.find((r) => r.method === method || (method === 'HEAD' && r.method === 'GET'));
  if (!route) return sendText(res, 405, '405 method not allowed');
  if (!route.json) return route.handle(ctx, {}, res);
  if (!parsed.ok) return sendJson(res, 400, errorBody(parsed.message, 400));
  const body = asObject(parsed.value);
  if (!body) return sendJson(res, 400, errorBody('json: cannot unmarshal non-object into Go value of type api request', 400));
  await route.handle(ctx, body, res);
}

/** Ollama returns logprobs from 0.12.11; a source build reports 0.0.0 and has them too. */
function supportsLogprobs(version: string): boolean {
  if (version === '0.0.0') return true;
  const parse = (v: string) => v.replace(/^v/, '').split(/[.-]/).slice(0, 3).map((p) => Number.parseInt(p, 10) || 0);
  const [have, need] = [parse(version), parse(LOGPROBS_SINCE)];
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) > need[i];
  }
  return true;
}
