/** Cuts a streaming generation into steps at blank lines as the text arrives, carrying each
 * token's logprobs to the step its first visible character falls in. */
import type { TokenLogprob } from '../model/types';

export interface CutStep {
  text: string;
  tokens: TokenLogprob[];
}

const BOUNDARY = /\n[ \t]*\n+/;

export class StepStream {
  private pending = '';
  private tokens: { token: TokenLogprob; start: number }[] = [];
  private tokenOffset = 0;

  /** Adds streamed text (and the tokens that make it up); returns the steps completed by it. */
  push(text: string, tokens?: TokenLogprob[]): CutStep[] {
    if (tokens) {
      // Token offsets are tracked by token text so they stay right even if a delta batches several.
      let offset = Math.max(this.tokenOffset, this.pending.length);
      for (const token of tokens) {
        // A token like "\n\nThen" belongs to the step its first visible character starts.
        const lead = token.token.trim() ? token.token.length - token.token.trimStart().length : 0;
        this.tokens.push({ token, start: offset + lead });
        offset += token.token.length;
      }
      this.tokenOffset = offset;
    }
    this.pending += text;
    const steps: CutStep[] = [];
    for (let m = BOUNDARY.exec(this.pending); m; m = BOUNDARY.exec(this.pending)) {
      const cut = m.index + m[0].length;
      const step = this.take(m.index, cut);
      if (step.text) steps.push(step);
    }
    return steps;
  }

  /** The text after the last boundary (the step being written), emptied. */
  flush(): CutStep | undefined {
    const step = this.take(this.pending.length, this.pending.length);
    return step.text ? step : undefined;
  }

  /** Text received but not yet part of a completed step. */
  get partial(): string {
    return this.pending;
  }

  private take(end: number, cut: number): CutStep {
    const text = this.pending.slice(0, end).trim();
    const tokens = this.tokens.filter((t) => t.start < cut).map((t) => t.token);
    this.tokens = this.tokens.filter((t) => t.start >= cut).map((t) => ({ token: t.token, start: t.start - cut }));
    this.tokenOffset = Math.max(0, this.tokenOffset - cut);
    this.pending = this.pending.slice(cut);
    return { text, tokens };
  }
}
