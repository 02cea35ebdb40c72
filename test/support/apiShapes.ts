/** The JSON shapes of Ollama's API, of the OpenAI completions API and of vLLM's pooling API, written
 * from their documented field lists (ollama/ollama docs/api.md and docs/openapi.yaml, including
 * logprobs from 0.12.11; the OpenAI legacy completions reference as vLLM serves it; vLLM's
 * PoolingRequest/PoolingResponse/ErrorResponse in vllm/entrypoints/pooling/pooling/protocol.py and
 * vllm/entrypoints/openai/engine/protocol.py), and a checker. Objects are closed:
 * a field the documentation does not list is a violation, so a private dialect fails the check.
 * Use it on server replies and on the requests a client sent (`TestServer.requests`). */

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

export interface ObjectShape {
  kind: 'object';
  required: Record<string, Shape>;
  optional: Record<string, Shape>;
}

export interface ArrayShape {
  kind: 'array';
  items: Shape;
}

/** A JSON type, a structured shape, or a list of alternatives. */
export type Shape = JsonType | ObjectShape | ArrayShape | readonly Shape[];

export function object(required: Record<string, Shape>, optional: Record<string, Shape> = {}): ObjectShape {
  return { kind: 'object', required, optional };
}

export function arrayOf(items: Shape): ArrayShape {
  return { kind: 'array', items };
}

/** Violations of `shape` by `value`, each naming the JSON path; empty when it conforms. */
export function checkShape(value: unknown, shape: Shape, path = '$'): string[] {
  if (isAlternatives(shape)) {
    const attempts = shape.map((alternative) => checkShape(value, alternative, path));
    return attempts.some((a) => a.length === 0) ? [] : [`${path}: matches none of its alternatives (${attempts.map((a) => a[0]).join('; ')})`];
  }
  if (typeof shape === 'string') return typeOf(value).includes(shape) ? [] : [`${path}: expected ${shape}, got ${typeOf(value)[0]}`];
  if (shape.kind === 'array') {
    if (!Array.isArray(value)) return [`${path}: expected array, got ${typeOf(value)[0]}`];
    return value.flatMap((item, i) => checkShape(item, shape.items, `${path}[${i}]`));
  }
  if (!typeOf(value).includes('object')) return [`${path}: expected object, got ${typeOf(value)[0]}`];
  const record = value as Record<string, unknown>;
  const problems = Object.entries(shape.required).flatMap(([key, field]) =>
    key in record ? checkShape(record[key], field, `${path}.${key}`) : [`${path}.${key}: missing`],
  );
  for (const [key, field] of Object.entries(record)) {
    if (key in shape.required) continue;
    if (key in shape.optional) problems.push(...checkShape(field, shape.optional[key], `${path}.${key}`));
    else problems.push(`${path}.${key}: not a documented field`);
  }
  return problems;
}

function isAlternatives(shape: Shape): shape is readonly Shape[] {
  return Array.isArray(shape);
}

function typeOf(value: unknown): JsonType[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value as JsonType];
}

const tokenLogprob = object({ token: 'string', logprob: 'number' }, { bytes: arrayOf('integer') });
const logprob = object({ token: 'string', logprob: 'number' }, { bytes: arrayOf('integer'), top_logprobs: arrayOf(tokenLogprob) });
const metrics = {
  total_duration: 'integer',
  load_duration: 'integer',
  prompt_eval_count: 'integer',
  prompt_eval_duration: 'integer',
  eval_count: 'integer',
  eval_duration: 'integer',
} as const;
const modelDetails = object(
  { format: 'string', family: 'string', parameter_size: 'string', quantization_level: 'string' },
  { parent_model: 'string', families: [arrayOf('string'), 'null'] },
);
const message = object({ role: 'string', content: 'string' }, { thinking: 'string', images: [arrayOf('string'), 'null'], tool_calls: arrayOf('object'), tool_name: 'string' });
const options = 'object';

export const ollamaShapes = {
  error: object({ error: 'string' }),
  version: object({ version: 'string' }),
  tags: object({
    models: arrayOf(
      object(
        { name: 'string', model: 'string', modified_at: 'string', size: 'integer', digest: 'string', details: modelDetails },
        { remote_model: 'string', remote_host: 'string' },
      ),
    ),
  }),
  show: object(
    { details: modelDetails, model_info: 'object', capabilities: arrayOf('string') },
    {
      license: 'string', modelfile: 'string', parameters: 'string', template: 'string', system: 'string', modified_at: 'string',
      messages: arrayOf(message), projector_info: 'object', tensors: 'array', remote_model: 'string', remote_host: 'string',
    },
  ),
  pullProgress: object({ status: 'string' }, { digest: 'string', total: 'integer', completed: 'integer' }),
  chatChunk: object({ model: 'string', created_at: 'string', message, done: 'boolean' }, { logprobs: arrayOf(logprob) }),
  chatDone: object({ model: 'string', created_at: 'string', message, done: 'boolean', done_reason: 'string', ...metrics }, { logprobs: arrayOf(logprob) }),
  generateChunk: object({ model: 'string', created_at: 'string', response: 'string', done: 'boolean' }, { thinking: 'string', logprobs: arrayOf(logprob) }),
  generateDone: object(
    { model: 'string', created_at: 'string', response: 'string', done: 'boolean', done_reason: 'string', ...metrics },
    { context: arrayOf('integer'), thinking: 'string', logprobs: arrayOf(logprob) },
  ),
  chatRequest: object(
    { model: 'string' },
    {
      messages: arrayOf(message), stream: 'boolean', format: ['string', 'object'], options, keep_alive: ['string', 'number'],
      tools: 'array', think: ['boolean', 'string'], logprobs: 'boolean', top_logprobs: 'integer',
    },
  ),
  generateRequest: object(
    { model: 'string' },
    {
      prompt: 'string', suffix: 'string', images: arrayOf('string'), format: ['string', 'object'], system: 'string', template: 'string',
      context: arrayOf('integer'), stream: 'boolean', raw: 'boolean', keep_alive: ['string', 'number'], options, think: ['boolean', 'string'],
      logprobs: 'boolean', top_logprobs: 'integer',
    },
  ),
  /** `name` is the deprecated spelling of `model`; the official JS client still sends it. */
  pullRequest: object({}, { model: 'string', name: 'string', insecure: 'boolean', stream: 'boolean' }),
  showRequest: object({}, { model: 'string', name: 'string', verbose: 'boolean', system: 'string', template: 'string', options }),
} satisfies Record<string, Shape>;

const legacyLogprobs = object({
  tokens: arrayOf('string'),
  token_logprobs: arrayOf('number'),
  top_logprobs: arrayOf('object'),
  text_offset: arrayOf('integer'),
});
const completionChoice = object({ text: 'string', index: 'integer', logprobs: [legacyLogprobs, 'null'], finish_reason: ['string', 'null'] });
const usage = object({ prompt_tokens: 'integer', completion_tokens: 'integer', total_tokens: 'integer' });
const completionEnvelope = { id: 'string', object: 'string', created: 'integer', model: 'string', choices: arrayOf(completionChoice) } as const;

export const openaiShapes = {
  error: object({ error: object({ message: 'string', type: 'string' }, { param: ['string', 'null'], code: ['string', 'null'] }) }),
  models: object({ object: 'string', data: arrayOf(object({ id: 'string', object: 'string', created: 'integer', owned_by: 'string' })) }),
  completion: object({ ...completionEnvelope, usage }, { system_fingerprint: 'string' }),
  completionChunk: object(completionEnvelope, { system_fingerprint: 'string', usage }),
} satisfies Record<string, Shape>;

/** Fields every vLLM pooling request may carry (PoolingBasicRequestMixin, EmbedRequestMixin,
 * ClassifyRequestMixin), besides its input. */
const poolingCommon = {
  model: ['string', 'null'], user: ['string', 'null'], truncate_prompt_tokens: ['integer', 'null'], padding: ['string', 'null'],
  truncation_side: ['string', 'null'], request_id: 'string', priority: 'integer', mm_processor_kwargs: ['object', 'null'],
  cache_salt: ['string', 'null'], task: ['string', 'null'], encoding_format: 'string', embed_dtype: 'string', endianness: 'string',
  dimensions: ['integer', 'null'], use_activation: ['boolean', 'null'], add_special_tokens: 'boolean',
} as const;
const chatMessage = object({ role: 'string' }, { content: ['string', 'array', 'null'], name: 'string' });

export const vllmShapes = {
  /** ErrorResponse: `code` is the HTTP status. */
  error: object({ error: object({ message: 'string', type: 'string', code: 'integer' }, { param: ['string', 'null'] }) }),
  poolingCompletionRequest: object({ input: ['string', arrayOf('string'), arrayOf('integer'), arrayOf(arrayOf('integer'))] }, poolingCommon),
  poolingChatRequest: object(
    { messages: arrayOf(chatMessage) },
    {
      ...poolingCommon, add_generation_prompt: 'boolean', continue_final_message: 'boolean', chat_template: ['string', 'null'],
      chat_template_kwargs: ['object', 'null'], media_io_kwargs: ['object', 'null'],
    },
  ),
  /** `data[i].data`: a vector, one per pooled token (the STEP pooler: one pair per step tag), or base64. */
  poolingResponse: object({
    id: 'string',
    object: 'string',
    created: 'integer',
    model: 'string',
    data: arrayOf(object({ index: 'integer', object: 'string', data: [arrayOf(arrayOf('number')), arrayOf('number'), 'string'] })),
    usage: object(
      { prompt_tokens: 'integer', total_tokens: 'integer' },
      { completion_tokens: ['integer', 'null'], prompt_tokens_details: [object({}, { cached_tokens: ['integer', 'null'] }), 'null'] },
    ),
  }),
} satisfies Record<string, Shape>;
