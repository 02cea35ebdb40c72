/** The MCTS iteration scrubber: a slider from 0 to the iterations backed up so far. Position k shows
 * the run as it stood after k iterations (the events up to iteration k's last `mcts_backup`), the
 * last position shows everything and follows a live run. Replaying events is cheap, so each
 * position is simply a replay of a prefix of the log. */
import type { RunEvent } from '../src/core/trace/schema';
import { h } from './dom';

/** How many leading events make up the run after `k` iterations. 0 keeps only what came before the
 * search grew (the problem); k ≥ the iterations logged keeps every event. */
export function iterationCut(events: readonly RunEvent[], k: number): number {
  if (k <= 0) {
    const grown = events.findIndex((e) => (e.type === 'node_added' && e.parent !== null) || e.type === 'mcts_backup');
    return grown < 0 ? events.length : grown;
  }
  let cut = -1;
  let later = false;
  events.forEach((e, i) => {
    if (e.type !== 'mcts_backup') return;
    if (e.iteration < k) cut = i + 1;
    else later = true;
  });
  return later && cut >= 0 ? cut : events.length;
}

export class Scrubber {
  private readonly input: HTMLInputElement;
  private readonly output: HTMLElement;
  private iterations = 0;
  /** Undefined while at the last position: the view follows the run. */
  private position: number | undefined;

  constructor(private readonly el: HTMLElement, private readonly onChange: (k: number | undefined) => void) {
    this.input = h('input', {
      class: 'scrubber-input',
      attrs: { type: 'range', min: '0', step: '1', 'aria-label': 'MCTS iteration' },
    }) as HTMLInputElement;
    this.output = h('output', { class: 'scrubber-value', attrs: { 'aria-live': 'polite' } });
    this.input.addEventListener('input', () => {
      const k = Number(this.input.value);
      this.position = k >= this.iterations ? undefined : k;
      this.showValue();
      this.onChange(this.position);
    });
    el.replaceChildren(h('span', { class: 'scrubber-label', title: 'Replay the search: the tree after each MCTS iteration' }, 'Iteration'), this.input, this.output);
  }

  /** The position shown, undefined for the whole run. */
  get shown(): number | undefined {
    return this.position;
  }

  /** Shows the scrubber for runs with MCTS iterations; a held position stays while the run grows. */
  update(iterations: number | undefined): void {
    this.iterations = iterations ?? 0;
    this.el.hidden = this.iterations === 0;
    this.input.max = String(this.iterations);
    if (this.position !== undefined && this.position >= this.iterations) this.position = undefined;
    this.input.value = String(this.position ?? this.iterations);
    this.showValue();
  }

  reset(): void {
    this.position = undefined;
  }

  private showValue(): void {
    const k = this.position ?? this.iterations;
    this.output.textContent = `${k} / ${this.iterations}`;
    this.input.setAttribute('aria-valuetext', `iteration ${k} of ${this.iterations}`);
  }
}
