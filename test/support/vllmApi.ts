/** vLLM's pooling API as it serves a process reward model such as Qwen/Qwen2.5-Math-PRM-7B
 * (vllm/entrypoints/pooling/pooling/protocol.py; the STEP pooler of Qwen2ForProcessRewardModel):
 * POST /pooling with `messages` (which vLLM renders with the model's chat template) or `input`
 * (text, or a list of texts), answered with one [p(wrong), p(right)] pair per `<extra_0>` token.
 * Errors come in vLLM's ErrorResponse shape. With no reward models the endpoint is missing, as on a
 * server that serves none (Ollama answers 404 there). */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, sendText } from './httpIo';
import { asObject, stringField, type JsonObject } from './jsonFields';
import { rawPrompt } from './prompts';
import type { Route, ServerContext } from './serverContext';
import { tokenize } from './tokens';
import { believedCorrect } from './verifier';

/** Qwen2.5-Math-PRM's step tag (token id 151651): the model scores the position of each one. */
export const STEP_TAG = '<extra_0>';

export const vllmRoutes: Route[] = [{ method: 'POST', path: '/pooling', json: true, handle: pooling }];

/** vLLM's ErrorResponse (vllm/entrypoints/openai/engine/protocol.py). */
export function vllmError(message: string, status: number) {
  return { error: { message, type: status === 404 ? 'NotFoundError' : 'BadRequestError', param: null, code: status } };
}

interface Conversation {
  problem: string;
  /** The text whose step tags are scored: the assistant's reply, or the whole input. */
  scored: string;
}

function pooling(ctx: ServerContext, body: JsonObject, res: ServerResponse): void {
  if (ctx.rewardModels.length === 0) return sendText(res, 404, '404 page not found');
  const model = stringField(body, 'model') ?? ctx.rewardModels[0];
  if (!ctx.rewardModels.includes(model)) return sendJson(res, 404, vllmError(`The model \`${model}\` does not exist.`, 404));
  const conversations = readConversations(body);
  if (typeof conversations === 'string') return sendJson(res, 400, vllmError(conversations, 400));
  const settings = { solver: ctx.settings, accuracy: ctx.judgeAccuracy };
  const data = conversations.map(({ problem, scored }, index) => {
    const steps = scored.split(STEP_TAG).slice(0, -1).map((s) => s.trim());
    const pairs = steps.map((_, i) => {
      const p = believedCorrect('prm', problem, steps.slice(0, i + 1), settings);
      return [1 - p, p];
    });
    return { index, object: 'pooling', data: pairs };
  });
  const promptTokens = conversations.reduce((n, c) => n + tokenize(c.problem).length + tokenize(c.scored).length, 0);
  sendJson(res, 200, {
    id: `pool-${randomBytes(16).toString('hex')}`,
    object: 'list',
    created: Math.floor(Date.now() / 1000),
    model,
    data,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens, completion_tokens: 0, prompt_tokens_details: null },
  });
}

/** The conversations of a pooling request, or what is wrong with it. */
function readConversations(body: JsonObject): Conversation[] | string {
  if (Array.isArray(body.messages)) {
    const messages = body.messages.map(asObject);
    if (!messages.every((m) => typeof m?.role === 'string' && typeof m.content === 'string')) return 'messages: each needs a role and a string content';
    const said = (role: string) => messages.filter((m) => m?.role === role).map((m) => m?.content as string);
    return [{ problem: said('user').join('\n\n'), scored: said('assistant').at(-1) ?? '' }];
  }
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(input) || input.length === 0 || !input.every((i) => typeof i === 'string')) return 'Field required: `input` (a string or a list of strings) or `messages`';
  return input.map((text: string) => {
    // A chat-rendered input: the reply follows the last assistant marker.
    const { userText, prefix } = rawPrompt(text);
    return prefix ? { problem: userText, scored: prefix } : { problem: text, scored: text };
  });
}
