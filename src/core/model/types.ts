/** The engine's view of a text-generation server. Backends (Ollama, OpenAI-compatible) implement
 * `ModelBackend`; nothing outside `src/core/model` knows which wire protocol is in use. */

export interface TokenAlternative {
  token: string;
  logprob: number;
}

/** One generated token with its log-probability and the top alternatives the server returned. */
export interface TokenLogprob extends TokenAlternative {
  top?: TokenAlternative[];
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface SamplingOptions {
  temperature?: number;
  topP?: number;
  seed?: number;
  /** Maximum tokens to generate (Ollama `num_predict`, OpenAI `max_tokens`). */
  maxTokens?: number;
  stop?: string[];
}

export interface GenerateRequest {
  model: string;
  /** The conversation so far (system + user). */
  messages: ChatMessage[];
  /** Assistant text already written: generation continues it rather than starting a new turn. */
  prefix?: string;
  options?: SamplingOptions;
  /** Ask for per-token logprobs; `topLogprobs` alternatives per token (0–20). */
  logprobs?: boolean;
  topLogprobs?: number;
  /** `false` asks a thinking model (qwen3, deepseek-r1) to answer at once, without reasoning first
   * (Ollama's `think`); unset leaves the model's default. */
  think?: boolean;
}

export type StopReason = 'stop' | 'length' | 'cancelled' | 'unknown';

export interface GenerateDelta {
  kind: 'delta';
  text: string;
  tokens?: TokenLogprob[];
}

export interface GenerateDone {
  kind: 'done';
  stopReason: StopReason;
  promptTokens?: number;
  completionTokens?: number;
  /** Server-reported generation time in milliseconds, when the server reports one. */
  durationMs?: number;
}

export type GenerateChunk = GenerateDelta | GenerateDone;

export interface ModelInfo {
  name: string;
  sizeBytes?: number;
  family?: string;
  parameterSize?: string;
  quantization?: string;
}

export interface ModelCapabilities {
  /** e.g. "completion", "tools", "thinking", "vision" as the server names them. */
  capabilities: string[];
  contextLength?: number;
}

export interface ServerInfo {
  version?: string;
  /** Whether the server can return token logprobs; `reason` says why not when it cannot. */
  logprobs: { supported: boolean; reason?: string };
}

export interface PullProgress {
  status: string;
  completed?: number;
  total?: number;
}

export interface ModelBackend {
  readonly kind: 'ollama' | 'openai';
  /** Base URL the backend talks to, for messages and the run header. */
  readonly host: string;
  serverInfo(signal?: AbortSignal): Promise<ServerInfo>;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  showModel(model: string, signal?: AbortSignal): Promise<ModelCapabilities>;
  /** Streams a continuation. Aborting `signal` closes the HTTP stream; the iterator then throws `CancelledError`. */
  generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<GenerateChunk>;
  pull?(model: string, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<void>;
  /** How many requests the server generates at once, when it says (llama.cpp's `total_slots`);
   * undefined when it cannot tell (Ollama keeps `OLLAMA_NUM_PARALLEL` to itself). */
  parallelSlots?(signal?: AbortSignal): Promise<number | undefined>;
}
