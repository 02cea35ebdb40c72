/** A process reward model served by vLLM's pooling API (`POST /pooling`), such as
 * Qwen/Qwen2.5-Math-PRM-7B. One request per chain scores all its steps: the chain is sent with a
 * separator token after every step, and the PRM's STEP pooler answers with a pair of probabilities
 * (`data[0].data[i]`) at each separator; one of the pair means "this step is right".
 *
 * Formats of the PRMs we know (anything else gets Qwen's, with a warning, unless a separator is given):
 *
 * | model                                   | separator    | input                                  | "right" |
 * |-----------------------------------------|--------------|----------------------------------------|---------|
 * | Qwen/Qwen2.5-Math-PRM-7B, -72B          | `<extra_0>`  | chat: system, problem, steps + sep     | pair[1] |
 * | Qwen/Qwen2.5-Math-7B-PRM800K            | `<extra_0>`  | same                                   | pair[1] |
 * | peiyi9979/math-shepherd-mistral-7b-prm  | ` ки`        | text: problem, "Step i: …" + sep lines | pair[0] |
 *
 * Qwen's PRMs are chat models: the request carries `messages` and vLLM renders them with the model's
 * own chat template, as its model card does with `apply_chat_template`. Math-Shepherd needs vLLM
 * started with `--pooler-config '{"pooling_type":"STEP","step_tag_id":12902,"returned_token_ids":[648,387]}'`
 * (step tag "ки"; "+" then "-"). */
import { BackendError, statusError, transportError } from '../model/errors';
import { withRetries } from './retry';
import type { ChainToScore, Scorer, ScorerIO } from './types';

export interface PrmFormat {
  /** Text after every step; the PRM scores at each of its tokens. */
  separator: string;
  /** `chat`: system, user (the problem), assistant (the steps); `text`: one input string. */
  input: 'chat' | 'text';
  /** Which of the two probabilities at a separator is p(step is right). */
  positive: 0 | 1;
}

export interface HttpPrmOptions {
  /** The vLLM server, e.g. http://127.0.0.1:8000. */
  url: string;
  /** The model name the server knows (`vllm serve NAME`, or its --served-model-name). */
  model: string;
  /** The step separator, for a PRM not in the table above (Qwen's chat layout, pair[1] = right). */
  separator?: string;
  /** Told once when the model is not a known PRM and Qwen's separator is assumed. */
  onWarning?: (message: string) => void;
}

const QWEN: PrmFormat = { separator: '<extra_0>', input: 'chat', positive: 1 };
const KNOWN_PRMS: { pattern: RegExp; format: PrmFormat }[] = [
  { pattern: /qwen2\.5-math-(prm-(7|72)b|7b-prm800k)/i, format: QWEN },
  { pattern: /math-shepherd/i, format: { separator: ' ки', input: 'text', positive: 0 } },
];
/** The system prompt of Qwen2.5-Math-PRM's model card. */
const QWEN_SYSTEM = 'Please reason step by step, and put your final answer within \\boxed{}.';
const SERVER = 'the PRM server';
const START_VLLM = 'Start vLLM with the process reward model (e.g. `vllm serve Qwen/Qwen2.5-Math-PRM-7B`) and point the PRM URL at it.';

/** The format for `model`: a known PRM's, the given separator's, else Qwen's (`assumed`). */
export function prmFormat(model: string, separator?: string): { format: PrmFormat; assumed: boolean } {
  if (separator) return { format: { ...QWEN, separator }, assumed: false };
  const known = KNOWN_PRMS.find((k) => k.pattern.test(model));
  return { format: known?.format ?? QWEN, assumed: !known };
}

/** The JSON body of the /pooling request that scores `steps`. A separator inside a step's text would
 * add a score, so it is taken out. */
export function poolingRequest(model: string, format: PrmFormat, problem: string, steps: readonly string[]): Record<string, unknown> {
  const clean = steps.map((s) => s.split(format.separator).join('').trim());
  if (format.input === 'text') {
    return { model, input: `${problem} ${clean.map((s, i) => `Step ${i + 1}: ${s}${format.separator}`).join('\n')}` };
  }
  return {
    model,
    messages: [
      { role: 'system', content: QWEN_SYSTEM },
      { role: 'user', content: problem },
      { role: 'assistant', content: clean.map((s) => s + format.separator).join('') },
    ],
  };
}

export function httpPrmScorer(opts: HttpPrmOptions): Scorer {
  const url = opts.url.replace(/\/+$/, '');
  const { format, assumed } = prmFormat(opts.model, opts.separator);
  if (assumed) {
    opts.onWarning?.(`"${opts.model}" is not a process reward model Reasonscope knows; its steps are separated by "${format.separator}" as Qwen2.5-Math-PRM's are. If it expects another separator, set the scorer's separator.`);
  }
  const name = `prm:${opts.model}`;
  return {
    name,
    params: { url, model: opts.model, ...(opts.separator && { separator: opts.separator }) },
    async scoreSteps(chain: ChainToScore, from: number, io: ScorerIO): Promise<number[]> {
      const body = poolingRequest(opts.model, format, chain.problem, chain.steps.map((s) => s.text));
      // The PRM is its own server: its requests count in the run but take no generation slot.
      const reply = await withRetries(() => post(url, opts.model, body, io), io.signal);
      const pairs = stepPairs(reply, chain.steps.length, url, format.separator);
      return pairs.slice(from).map((pair) => pair[format.positive]);
    },
  };
}

async function post(url: string, model: string, body: Record<string, unknown>, io: ScorerIO): Promise<unknown> {
  io.charge({ requests: 1 });
  let response: Response;
  try {
    response = await fetch(`${url}/pooling`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: io.signal });
  } catch (err) {
    throw unreachable(transportError(err, SERVER, url, io.signal));
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw poolingError(response.status, serverMessage(text), url, model);
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new BackendError('server-error', `The PRM server at ${url} answered /pooling with something that is not JSON (${JSON.stringify(text.slice(0, 80))}). Is the PRM URL a vLLM server?`, response.status, model);
  }
  const tokens = (reply as { usage?: { prompt_tokens?: unknown } }).usage?.prompt_tokens;
  if (typeof tokens === 'number') io.charge({ promptTokens: tokens });
  return reply;
}

/** The [p0, p1] pair at each separator, checked: one per step, each a pair of probabilities. */
function stepPairs(reply: unknown, steps: number, url: string, separator: string): number[][] {
  const data = (reply as { data?: { data?: unknown }[] } | null)?.data?.[0]?.data;
  if (!Array.isArray(data)) {
    throw new BackendError('server-error', `The PRM server at ${url} answered /pooling without per-step scores (no data[0].data list). Is it serving a process reward model?`);
  }
  if (data.length !== steps) {
    throw new BackendError('server-error', `The PRM server at ${url} returned ${data.length} step score${data.length === 1 ? '' : 's'} for ${steps} step${steps === 1 ? '' : 's'}. The PRM must score at every "${separator}" (vLLM's STEP pooling): check that the model and separator match, and for a PRM Reasonscope does not know start vLLM with --pooler-config '{"pooling_type":"STEP","step_tag_id":<separator token id>}'.`);
  }
  for (const pair of data) {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((p) => typeof p === 'number' && p >= 0 && p <= 1)) {
      throw new BackendError('server-error', `The PRM server at ${url} returned ${JSON.stringify(pair)} for a step, not a pair of probabilities. Serve the PRM with its default pooler (softmax over two labels).`);
    }
  }
  return data as number[][];
}

/** vLLM's error message (`{"error": {"message"}}`, older `{"message"}`, FastAPI `{"detail"}`), else the text. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const message = typeof body.error === 'object' ? body.error?.message : body.error ?? body.message ?? body.detail;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text itself says it
  }
  return text.trim().slice(0, 200);
}

function poolingError(status: number, message: string, url: string, model: string): BackendError {
  if (status === 404 && /model .* does not exist/i.test(message)) {
    return new BackendError('model-not-found', `The PRM server at ${url} does not serve "${model}" (${message}). Use the name it lists at ${url}/v1/models.`, status, model);
  }
  if (status === 404 || /does not support (the )?pooling/i.test(message)) {
    return new BackendError('unsupported', `${url} does not serve vLLM's pooling API for a process reward model (POST /pooling answered ${status}${message ? `: ${message}` : ''}). ${START_VLLM}`, status, model);
  }
  return statusError(status, message, SERVER, url, model);
}

function unreachable(error: BackendError): BackendError {
  return error.code === 'unreachable' ? new BackendError('unreachable', `${error.message} ${START_VLLM}`) : error;
}

/** Checks before a run that the server answers and serves `model` (vLLM lists it at /v1/models). */
export async function checkPrmServer(opts: Pick<HttpPrmOptions, 'url' | 'model'>, signal?: AbortSignal): Promise<void> {
  const url = opts.url.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${url}/v1/models`, { signal });
  } catch (err) {
    throw unreachable(transportError(err, SERVER, url, signal));
  }
  const text = await response.text().catch(() => '');
  let served: string[] | undefined;
  try {
    served = ((JSON.parse(text) as { data?: { id?: unknown }[] }).data ?? []).map((m) => String(m.id));
  } catch {
    // not a model list: said below
  }
  if (!response.ok || !served) {
    throw new BackendError('unsupported', `${url} does not list its models as vLLM does (GET /v1/models answered ${response.status}). ${START_VLLM}`, response.status, opts.model);
  }
  if (!served.includes(opts.model)) {
    throw new BackendError('model-not-found', `The PRM server at ${url} does not serve "${opts.model}"; it serves ${served.map((m) => `"${m}"`).join(', ') || 'no model'}. Set the PRM model to the name it serves.`, 404, opts.model);
  }
}
