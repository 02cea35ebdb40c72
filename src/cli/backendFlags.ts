/** `--host` / `--backend` handling shared by every command that talks to a model server. */
import { createBackend } from '../core/model';
import { resolveHost } from '../core/model/host';
import type { ModelBackend } from '../core/model/types';
import { UsageError } from './args';

export const backendOptions = {
  host: { type: 'string' },
  backend: { type: 'string' },
  'prompt-format': { type: 'string' },
} as const;

export function backendFromFlags(values: { host?: string; backend?: string; 'prompt-format'?: string }): ModelBackend {
  const kind = values.backend ?? 'ollama';
  if (kind !== 'ollama' && kind !== 'openai') throw new UsageError(`--backend must be "ollama" or "openai", got "${kind}"`);
  if (kind === 'openai') {
    if (!values.host) throw new UsageError('--backend openai needs --host (the server base URL, e.g. http://127.0.0.1:8000)');
    const format = values['prompt-format'] ?? 'chatml';
    if (format !== 'chatml' && format !== 'plain') throw new UsageError(`--prompt-format must be "chatml" or "plain", got "${format}"`);
    return createBackend({ kind, host: resolveHost({ flag: values.host }), promptFormat: format, apiKey: process.env.OPENAI_API_KEY });
  }
  return createBackend({ kind, host: resolveHost({ flag: values.host, env: process.env.OLLAMA_HOST }) });
}
