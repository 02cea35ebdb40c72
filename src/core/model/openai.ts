/** OpenAI-compatible backend (vLLM, llama.cpp `llama-server`, LM Studio, Ollama's /v1) over the
 * legacy `/v1/completions` endpoint, the one that returns token logprobs and continues raw text. */
import { BackendError, CancelledError, statusError, transportError } from './errors';
import type {
  ChatMessage,
  GenerateChunk,
  GenerateRequest,
  ModelBackend,
  ModelCapabilities,
  ModelInfo,
  ServerInfo,
  StopReason,
  TokenLogprob,
} from './types';

const NAME = 'the OpenAI-compatible server';

/** How chat messages become one completion prompt. `chatml` fits Qwen-family models (the usual
 * choice for math reasoning); `plain` is a "Problem:/Solution:" transcript for base models. */
export type PromptFormat = 'chatml' | 'plain';

export function renderPrompt(messages: ChatMessage[], prefix: string, format: PromptFormat): string {
  if (format === 'chatml') {
    const turns = messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('');
    return `${turns}<|im_start|>assistant\n${prefix}`;
  }
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const user = messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n\n');
  return [...system, `Problem: ${user}`, `Solution:\n${prefix}`].join('\n\n');
}

interface CompletionChoice {
  text?: string;
  finish_reason?: string | null;
  logprobs?: {
    tokens?: string[];
    token_logprobs?: (number | null)[];
    top_logprobs?: (Record<string, number> | null)[] | null;
  } | null;
}

interface CompletionChunk {
  choices?: CompletionChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  error?: { message?: string } | string;
}

export class OpenAICompatibleBackend implements ModelBackend {
  readonly kind = 'openai' as const;

  constructor(readonly host: string, private readonly format: PromptFormat = 'chatml', private readonly apiKey?: string) {}

  private async request(path: string, init: RequestInit, signal: AbortSignal | undefined, model?: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.host}${path}`, {
        ...init,
        signal,
        headers: {
          'content-type': 'application/json',
          ...(this.apiKey && { authorization: `Bearer ${this.apiKey}` }),
        },
      });
    } catch (err) {
      throw transportError(err, NAME, this.host, signal);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw statusError(response.status, errorMessage(text), NAME, this.host, model);
    }
    return response;
  }

  async serverInfo(): Promise<ServerInfo> {
    // The legacy completions API returns logprobs on every server this backend targets.
    return { logprobs: { supported: true } };
  }

  async parallelSlots(signal?: AbortSignal): Promise<number | undefined> {
    // llama-server reports its slots on /props; vLLM and LM Studio have no such endpoint.
    try {
      const response = await this.request('/props', { method: 'GET' }, signal);
      const slots = ((await response.json()) as { total_slots?: unknown }).total_slots;
      return typeof slots === 'number' && Number.isInteger(slots) && slots > 0 ? slots : undefined;
    } catch {
      return undefined;
    }
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const response = await this.request('/v1/models', { method: 'GET' }, signal);
    const body = (await response.json()) as { data?: { id: string }[] };
    return (body.data ?? []).map((m) => ({ name: m.id }));
  }

  async showModel(model: string, signal?: AbortSignal): Promise<ModelCapabilities> {
    const models = await this.listModels(signal);
    if (!models.some((m) => m.name === model)) throw statusError(404, `model ${model} not found`, NAME, this.host, model);
    return { capabilities: ['completion'] };
  }

  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<GenerateChunk> {
    if (signal?.aborted) throw new CancelledError();
    const o = request.options ?? {};
    const body = {
      model: request.model,
      prompt: renderPrompt(request.messages, request.prefix ?? '', this.format),
      stream: true,
      stream_options: { include_usage: true },
      ...(o.temperature !== undefined && { temperature: o.temperature }),
      ...(o.topP !== undefined && { top_p: o.topP }),
      ...(o.seed !== undefined && { seed: o.seed }),
      ...(o.maxTokens !== undefined && { max_tokens: o.maxTokens }),
      ...(o.stop?.length && { stop: o.stop }),
      ...(request.logprobs && { logprobs: Math.max(1, request.topLogprobs ?? 1) }),
    };
    // Our own controller, so the stream is closed in `finally` however the consumer stops.
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let stopReason: StopReason | undefined;
    let usage: CompletionChunk['usage'];
    try {
      const response = await this.request('/v1/completions', { method: 'POST', body: JSON.stringify(body) }, controller.signal, request.model);
      for await (const data of sseData(response)) {
        if (data === '[DONE]') break;
        const chunk = parseChunk(data);
        if (chunk.error) {
          const message = typeof chunk.error === 'string' ? chunk.error : chunk.error.message ?? 'unknown error';
          throw new BackendError('stream-error', `${NAME} reported an error mid-generation: ${message}`, undefined, request.model);
        }
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const tokens = toTokens(choice.logprobs, request.logprobs ? request.topLogprobs ?? 0 : 0);
        if (choice.text || tokens) yield { kind: 'delta', text: choice.text ?? '', tokens };
        if (choice.finish_reason) stopReason = choice.finish_reason === 'stop' || choice.finish_reason === 'length' ? choice.finish_reason : 'unknown';
      }
    } catch (err) {
      if (signal?.aborted) throw new CancelledError();
      throw transportError(err, NAME, this.host, controller.signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
    if (signal?.aborted) throw new CancelledError();
    if (!stopReason) {
      throw new BackendError('stream-truncated', `${NAME} at ${this.host} ended the response before it was done.`, undefined, request.model);
    }
    yield { kind: 'done', stopReason, promptTokens: usage?.prompt_tokens, completionTokens: usage?.completion_tokens };
  }
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    if (typeof body.error === 'string') return body.error;
    return body.error?.message ?? body.message ?? text;
  } catch {
    return text.slice(0, 200);
  }
}

function parseChunk(data: string): CompletionChunk {
  try {
    return JSON.parse(data) as CompletionChunk;
  } catch {
    throw new BackendError('stream-error', `${NAME} sent a malformed stream event: ${data.slice(0, 80)}`);
  }
}

/** Yields the `data:` payloads of a server-sent-event stream. */
async function* sseData(response: Response): AsyncIterable<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) yield data;
    }
  }
}

function toTokens(logprobs: CompletionChoice['logprobs'], topK: number): TokenLogprob[] | undefined {
  if (!logprobs?.tokens?.length) return undefined;
  return logprobs.tokens.map((token, i) => {
    const t: TokenLogprob = { token, logprob: logprobs.token_logprobs?.[i] ?? 0 };
    const top = logprobs.top_logprobs?.[i];
    if (top && topK > 0) {
      t.top = Object.entries(top).map(([tok, lp]) => ({ token: tok, logprob: lp })).sort((a, b) => b.logprob - a.logprob).slice(0, topK);
    }
    return t;
  });
}
