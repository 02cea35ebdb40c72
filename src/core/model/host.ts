/** Where the model server is: `--host`, else `OLLAMA_HOST`, else the setting, else Ollama's default. */

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

export interface HostSources {
  flag?: string;
  env?: string;
  setting?: string;
}

export function resolveHost(sources: HostSources, fallback = DEFAULT_OLLAMA_HOST): string {
  const raw = [sources.flag, sources.env, sources.setting].find((v) => v !== undefined && v.trim() !== '');
  return raw === undefined ? fallback : normalizeHost(raw);
}

/** Accepts what `OLLAMA_HOST` accepts ("0.0.0.0", "host:port", "https://host") and returns a base URL. */
export function normalizeHost(raw: string): string {
  let value = raw.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = `http://${value}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`"${raw}" is not a valid host; expected something like http://127.0.0.1:11434`);
  }
  // `ollama serve` listening on every interface is reached on loopback by a local client.
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.port === '' && !/:\d+(\/|$)/.test(value.replace(/^[a-z]+:\/\//i, ''))) {
    url.port = url.protocol === 'https:' ? '443' : '11434';
  }
  return url.toString().replace(/\/+$/, '');
}
