/** A per-comparison time limit that long-running steps check cooperatively. */

export class TimeLimitExceeded extends Error {
  constructor(readonly limitMs: number) {
    super(`timed out after ${limitMs} ms`);
    this.name = 'TimeLimitExceeded';
  }
}

export class Deadline {
  private readonly end: number;

  constructor(readonly limitMs: number, private readonly now: () => number = () => performance.now()) {
    this.end = now() + limitMs;
  }

  /** Throws `TimeLimitExceeded` once the limit has passed. */
  check(): void {
    if (this.now() >= this.end) throw new TimeLimitExceeded(this.limitMs);
  }
}
