/** Ollama backend on the official `ollama` client. Continuations use chat prefill: the assistant
 * prefix is sent as a final assistant message and Ollama renders it with the model's own template
 * (see ARCHITECTURE.md for why not raw mode). */
import { Ollama, type ChatRequest, type ChatResponse, type Logprob } from 'ollama';
import {
  BackendError,
  CancelledError,
  statusError,
  transportError,
} from './errors';
import { ollamaLogprobSupport } from './version';
import type {
  GenerateChunk,
  GenerateRequest,
  ModelBackend,
  ModelCapabilities,
  ModelInfo,
  PullProgress,
  ServerInfo,
  StopReason,
  TokenLogprob,
} from './types';

const NAME = 'Ollama';

export class OllamaBackend implements ModelBackend {
  readonly kind = 'ollama' as const;

  constructor(readonly host: string) {}

  /** A client whose every fetch honours `signal`, so aborting closes the socket, not just the loop. */
  private client(signal?: AbortSignal): Ollama {
    return new Ollama({
      host: this.host,
      fetch: (input, init) => fetch(input, { ...init, signal: signal && init?.signal ? AbortSignal.any([signal, init.signal]) : (signal ?? init?.signal) }),
    });
  }

  private async call<T>(model: string | undefined, signal: AbortSignal | undefined, fn: (c: Ollama) => Promise<T>): Promise<T> {
    try {
      return await fn(this.client(signal));
    } catch (err) {
      throw this.mapError(err, model, signal);
    }
  }

  private mapError(err: unknown, model: string | undefined, signal?: AbortSignal): BackendError {
    if (err instanceof BackendError) return err;
    if (err instanceof Error && err.name === 'ResponseError') {
      const { status_code: status, error } = err as Error & { status_code: number; error: string };
      return statusError(status, error, NAME, this.host, model);
    }
    return transportError(err, NAME, this.host, signal);
  }

  async serverInfo(signal?: AbortSignal): Promise<ServerInfo> {
    const { version } = await this.call(undefined, signal, (c) => c.version());
    return { version, logprobs: ollamaLogprobSupport(version) };
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const { models } = await this.call(undefined, signal, (c) => c.list());
    return models.map((m) => ({
      name: m.name,
      sizeBytes: m.size,
      family: m.details?.family,
      parameterSize: m.details?.parameter_size,
      quantization: m.details?.quantization_level,
    }));
  }

  async showModel(model: string, signal?: AbortSignal): Promise<ModelCapabilities> {
    const info = await this.call(model, signal, (c) => c.show({ model }));
    const modelInfo = (info.model_info ?? {}) as unknown as Record<string, unknown>;
    const ctxKey = Object.keys(modelInfo).find((k) => k.endsWith('.context_length'));
    return {
      capabilities: info.capabilities ?? [],
      contextLength: ctxKey ? Number(modelInfo[ctxKey]) : undefined,
    };
  }

  async pull(model: string, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    await this.call(model, signal, async (c) => {
      const stream = await c.pull({ model, stream: true });
      try {
        for await (const p of stream) onProgress({ status: p.status, completed: p.completed, total: p.total });
      } finally {
        stream.abort();
      }
    });
  }

  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<GenerateChunk> {
    if (signal?.aborted) throw new CancelledError();
    const messages = request.messages.map((m) => ({ role: m.role, content: m.content }));
    if (request.prefix) messages.push({ role: 'assistant', content: request.prefix });
    const o = request.options ?? {};
    const body: ChatRequest & { stream: true } = {
      model: request.model,
      messages,
      stream: true,
      options: {
        ...(o.temperature !== undefined && { temperature: o.temperature }),
        ...(o.topP !== undefined && { top_p: o.topP }),
        ...(o.seed !== undefined && { seed: o.seed }),
        ...(o.maxTokens !== undefined && { num_predict: o.maxTokens }),
        ...(o.stop?.length && { stop: o.stop }),
      },
      ...(request.logprobs && { logprobs: true, top_logprobs: request.topLogprobs ?? 0 }),
      ...(request.think !== undefined && { think: request.think }),
    };
    let stream: AsyncIterable<ChatResponse> & { abort(): void } | undefined;
    let finished = false;
    let thinking = false;
    try {
      stream = await this.client(signal).chat(body);
      for await (const part of stream) {
        // Thinking models stream their reasoning separately; keep it in the chain, marked as such.
        const reasoning = part.message?.thinking ?? '';
        let text = '';
        if (reasoning) text += (thinking ? '' : '<think>') + reasoning;
        if (reasoning) thinking = true;
        const content = part.message?.content ?? '';
        if (content && thinking) {
          text += '</think>\n\n';
          thinking = false;
        }
        text += content;
        if (text || part.logprobs?.length) yield { kind: 'delta', text, tokens: part.logprobs?.map(toTokenLogprob) };
        if (part.done) {
          finished = true;
          yield {
            kind: 'done',
            stopReason: toStopReason(part.done_reason),
            promptTokens: part.prompt_eval_count,
            completionTokens: part.eval_count,
            durationMs: part.eval_duration ? part.eval_duration / 1e6 : undefined,
          };
          return;
        }
      }
    } catch (err) {
      // ollama-js throws plain Errors for a stream that ends without `done` and for an
      // {"error": …} line inside a 200 stream.
      if (stream && err instanceof Error && err.constructor === Error && !signal?.aborted) {
        if (/did not receive done/i.test(err.message)) throw truncated(this.host, request.model);
        throw new BackendError('stream-error', `${NAME} reported an error mid-generation: ${err.message}`, undefined, request.model);
      }
      throw this.mapError(err, request.model, signal);
    } finally {
      stream?.abort();
    }
    if (!finished) throw signal?.aborted ? new CancelledError() : truncated(this.host, request.model);
  }
}

function truncated(host: string, model: string): BackendError {
  return new BackendError('stream-truncated', `${NAME} at ${host} ended the response before it was done (did the server restart?).`, undefined, model);
}

function toTokenLogprob(lp: Logprob): TokenLogprob {
  const token: TokenLogprob = { token: lp.token, logprob: lp.logprob };
  if (lp.top_logprobs?.length) token.top = lp.top_logprobs.map((t) => ({ token: t.token, logprob: t.logprob }));
  return token;
}

function toStopReason(reason: string | undefined): StopReason {
  return reason === 'stop' || reason === 'length' ? reason : 'unknown';
}
