/** Typed backend errors. Each message says what happened and what the user can do about it. */

export type BackendErrorCode =
  | 'unreachable'
  | 'model-not-found'
  | 'bad-request'
  | 'server-error'
  | 'overloaded'
  | 'stream-error'
  | 'stream-truncated'
  | 'unsupported'
  | 'cancelled';

export class BackendError extends Error {
  constructor(
    readonly code: BackendErrorCode,
    message: string,
    readonly status?: number,
    readonly model?: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }

  /** Transient errors are worth a retry with backoff (the scheduler decides). */
  get transient(): boolean {
    return this.code === 'overloaded' || this.code === 'unreachable' || this.code === 'stream-truncated';
  }
}

export class CancelledError extends BackendError {
  constructor(message = 'Cancelled.') {
    super('cancelled', message);
    this.name = 'CancelledError';
  }
}

export function isCancelled(err: unknown): boolean {
  return err instanceof CancelledError || (err instanceof Error && err.name === 'AbortError');
}

function causeCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Maps a transport-level failure (fetch rejected, socket dropped, abort) to a BackendError. */
export function transportError(err: unknown, serverName: string, host: string, signal?: AbortSignal): BackendError {
  if (err instanceof BackendError) return err;
  if (signal?.aborted || (err instanceof Error && err.name === 'AbortError')) return new CancelledError();
  const code = causeCode(err);
  // Where to change the host differs per surface (flag, setting); each surface adds its own pointer.
  const hint = serverName === 'Ollama' ? `Is \`ollama serve\` running at ${host}?` : `Is the server running at ${host}?`;
  switch (code) {
    case 'ECONNREFUSED':
      return new BackendError('unreachable', `Cannot reach ${serverName} at ${host} (connection refused). ${hint}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new BackendError('unreachable', `Cannot resolve the host of ${host}. ${hint}`);
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new BackendError('unreachable', `Connecting to ${serverName} at ${host} timed out. ${hint}`);
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return new BackendError('stream-truncated', `${serverName} at ${host} closed the connection mid-response (did it restart or crash?).`);
  }
  const message = err instanceof Error ? err.message : String(err);
  if (message === 'fetch failed') return new BackendError('unreachable', `Cannot reach ${serverName} at ${host}. ${hint}`);
  if (message === 'terminated') return new BackendError('stream-truncated', `${serverName} at ${host} closed the connection mid-response.`);
  return new BackendError('server-error', `${serverName} at ${host}: ${message}`);
}

/** Maps an HTTP error status and the server's own message to a BackendError. */
export function statusError(status: number, serverMessage: string, serverName: string, host: string, model?: string): BackendError {
  const said = serverMessage ? `: ${serverMessage}` : '';
  if (status === 404 && model && /not found|does not exist|no such model/i.test(serverMessage)) {
    const fix = serverName === 'Ollama'
      ? `Pull it with \`ollama pull ${model}\` (or "Reasonscope: Pull Model"), or pick an installed model.`
      : 'Pick a model the server serves.';
    return new BackendError('model-not-found', `Model "${model}" is not available on ${serverName} at ${host}. ${fix}`, status, model);
  }
  if (status === 503 || status === 429) {
    return new BackendError('overloaded', `${serverName} at ${host} is busy (${status}${said}). Lower the concurrency or retry later.`, status, model);
  }
  if (status >= 400 && status < 500) {
    return new BackendError('bad-request', `${serverName} at ${host} rejected the request (${status}${said}).`, status, model);
  }
  return new BackendError('server-error', `${serverName} at ${host} failed (${status}${said}). Its log may say more.`, status, model);
}
