/** Picks the backend for a configuration. */
import { OllamaBackend } from './ollama';
import { OpenAICompatibleBackend, type PromptFormat } from './openai';
import type { ModelBackend } from './types';

export interface BackendConfig {
  kind: 'ollama' | 'openai';
  host: string;
  promptFormat?: PromptFormat;
  apiKey?: string;
}

export function createBackend(config: BackendConfig): ModelBackend {
  return config.kind === 'openai'
    ? new OpenAICompatibleBackend(config.host, config.promptFormat, config.apiKey)
    : new OllamaBackend(config.host);
}
