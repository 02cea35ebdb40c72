/** Generation slots, like OLLAMA_NUM_PARALLEL: at most `limit` generations run at once and the rest
 * wait in arrival order. */

export interface SlotTicket {
  /** Resolves true when the slot is granted, false if the ticket was released while still waiting. */
  granted: Promise<boolean>;
  /** Frees the slot, or leaves the queue if it was not granted yet. Safe to call more than once. */
  release(): void;
}

export class Slots {
  /** Most generations that ever ran at the same time. */
  maxConcurrent = 0;
  /** How many generations had to wait for a slot. */
  queued = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  acquire(): SlotTicket {
    let state: 'waiting' | 'held' | 'released' = 'waiting';
    let settle: (granted: boolean) => void = () => undefined;
    const granted = new Promise<boolean>((resolve) => (settle = resolve));
    const start = () => {
      state = 'held';
      this.active++;
      this.maxConcurrent = Math.max(this.maxConcurrent, this.active);
      settle(true);
    };
    if (this.active < this.limit) start();
    else {
      this.queued++;
      this.waiting.push(start);
    }
    const release = () => {
      if (state === 'held') {
        this.active--;
        this.waiting.shift()?.();
      } else if (state === 'waiting') {
        this.waiting.splice(this.waiting.indexOf(start), 1);
        settle(false);
      }
      state = 'released';
    };
    return { granted, release };
  }
}
