/** The OpenAI-compatible endpoints Ollama (and vLLM, llama.cpp) serve: GET /v1/models and the legacy
 * POST /v1/completions with `logprobs: k` in the completions format (tokens, token_logprobs,
 * top_logprobs as {token: logprob}, text_offset), streamed as server-sent events. */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { serveGeneration, type GenerationResult, type GenerationWire } from './generation';
import { sendJson } from './httpIo';
import { numberField, stopField, stringField, asObject, type JsonObject } from './jsonFields';
import { completionPrompt } from './prompts';
import type { Route, ServerContext } from './serverContext';
import { chosenLogprob, topCandidates, type TokenDraw } from './tokens';

/** OpenAI's default sampling temperature (Ollama's compatibility layer uses it too). */
const DEFAULT_TEMPERATURE = 1;
const MAX_LOGPROBS = 20;
/** When the reward models were "loaded": fixed, so listings are reproducible. */
const REWARD_MODELS_LOADED_AT = '2025-06-02T09:30:00.000Z';

export const openaiRoutes: Route[] = [
  { method: 'GET', path: '/v1/models', json: false, handle: models },
  { method: 'POST', path: '/v1/completions', json: true, handle: completions },
];

/** OpenAI's error body, with the types Ollama's compatibility layer uses. */
export function openaiError(message: string, status: number) {
  const type = status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error';
  return { error: { message, type, param: null, code: null } };
}

/** The installed models, then the process reward models /pooling serves. */
function models(ctx: ServerContext, _body: JsonObject, res: ServerResponse): void {
  const created = (at: string) => Math.floor(Date.parse(at) / 1000);
  sendJson(res, 200, {
    object: 'list',
    data: [
      ...ctx.models.list().map((m) => ({ id: m.name, object: 'model', created: created(m.modifiedAt), owned_by: 'library' })),
      ...ctx.rewardModels.map((id) => ({ id, object: 'model', created: created(REWARD_MODELS_LOADED_AT), owned_by: 'vllm' })),
    ],
  });
}

async function completions(ctx: ServerContext, body: JsonObject, res: ServerResponse): Promise<void> {
  const model = stringField(body, 'model');
  if (!model) return sendJson(res, 400, openaiError('model is required', 400));
  const prompt = Array.isArray(body.prompt) && body.prompt.length === 1 ? body.prompt[0] : body.prompt;
  if (typeof prompt !== 'string') return sendJson(res, 400, openaiError('prompt must be a string', 400));
  const logprobs = body.logprobs ?? undefined;
  if (logprobs !== undefined && (typeof logprobs !== 'number' || !Number.isInteger(logprobs) || logprobs < 0 || logprobs > MAX_LOGPROBS)) {
    return sendJson(res, 400, openaiError(`logprobs must be an integer between 0 and ${MAX_LOGPROBS}`, 400));
  }
  if (!ctx.models.find(model)) return sendJson(res, 404, openaiError(`model '${model}' not found`, 404));
  const stream = body.stream === true;
  const includeUsage = asObject(body.stream_options)?.include_usage === true;
  const spec = {
    prompt: completionPrompt(prompt),
    seed: numberField(body, 'seed'),
    temperature: numberField(body, 'temperature') ?? DEFAULT_TEMPERATURE,
    topP: numberField(body, 'top_p'),
    maxTokens: numberField(body, 'max_tokens'),
    stop: stopField(body, 'stop'),
    stream,
  };
  const topLogprobs = ctx.logprobsSupported && typeof logprobs === 'number' ? logprobs : undefined;
  await serveGeneration(ctx, res, spec, completionsWire(model, topLogprobs, includeUsage));
}

/** The completions `logprobs` object for `tokens` starting at character `offset`. The sampled token
 * is always among a position's top_logprobs, as vLLM reports it. */
function legacyLogprobs(tokens: TokenDraw[], offset: number, k: number) {
  const textOffset: number[] = [];
  let at = offset;
  for (const t of tokens) {
    textOffset.push(at);
    at += t.token.length;
  }
  return {
    tokens: tokens.map((t) => t.token),
    token_logprobs: tokens.map(chosenLogprob),
    top_logprobs: tokens.map((t) => ({
      ...Object.fromEntries(topCandidates(t.distribution, k).map((c) => [c.token, Math.log(c.p)])),
      [t.token]: chosenLogprob(t),
    })),
    text_offset: textOffset,
  };
}

function completionsWire(model: string, topLogprobs: number | undefined, includeUsage: boolean): GenerationWire {
  const id = `cmpl-${randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const envelope = { id, object: 'text_completion', created, model, system_fingerprint: 'fp_ollama' };
  const event = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
  const logprobs = (tokens: TokenDraw[], offset: number) => (topLogprobs === undefined ? null : legacyLogprobs(tokens, offset, topLogprobs));
  const usage = (r: GenerationResult) => ({ prompt_tokens: r.promptTokens, completion_tokens: r.tokens.length, total_tokens: r.promptTokens + r.tokens.length });
  return {
    streamContentType: 'text/event-stream',
    chunk: (token, offset) => event({ ...envelope, choices: [{ text: token.token, index: 0, logprobs: logprobs([token], offset), finish_reason: null }] }),
    done: (r) =>
      event({ ...envelope, choices: [{ text: '', index: 0, logprobs: null, finish_reason: r.doneReason }] }) +
      (includeUsage ? event({ ...envelope, choices: [], usage: usage(r) }) : '') +
      'data: [DONE]\n\n',
    streamError: (message) => event(openaiError(message, 500)),
    whole: (r) => ({
      ...envelope,
      choices: [{ text: r.tokens.map((t) => t.token).join(''), index: 0, logprobs: logprobs(r.tokens, 0), finish_reason: r.doneReason }],
      usage: usage(r),
    }),
    errorBody: (message, status) => openaiError(message, status),
  };
}
