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
