/** Where each generated token lies in its step's text, as ranges. The starts are the analyses' own
 * (`tokenStarts`: tokens found in order past trimmed blank lines and markers), so a highlighted
 * token is the position a critical-token probe cut at; a token whose text is not there (the blank
 * line that ended the step, a token lost to a marker) gets no range. */
import { tokenStarts } from '../../core/analysis/critical';
import type { TokenLogprob } from '../../core/model/types';

/** Token i covers `starts[i]`–`ends[i]` of the text (UTF-16 offsets); -1 when it is not in it. */
export interface TokenSpans {
  starts: Int32Array;
  ends: Int32Array;
}

export function tokenSpans(text: string, tokens: readonly TokenLogprob[]): TokenSpans {
  const found = tokenStarts(text, tokens);
  const starts = new Int32Array(tokens.length).fill(-1);
  const ends = new Int32Array(tokens.length).fill(-1);
  for (let i = 0; i < tokens.length; i++) {
    const { token } = tokens[i];
    const core = token.trim();
    if (!core) continue;
    // The start includes the token's leading space when the text kept it.
    const start = found[i];
    const lead = token.length - token.trimStart().length;
    const at = text.startsWith(core, start) ? start : text.startsWith(core, start + lead) ? start + lead : -1;
    if (at < 0) continue;
    starts[i] = start;
    ends[i] = at + core.length;
  }
  return { starts, ends };
}

/** The token whose range holds `offset`, or -1 (binary search over the placed tokens). */
export function tokenAt(spans: TokenSpans, offset: number): number {
  const { starts, ends } = spans;
  let lo = 0;
  let hi = starts.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    // Unplaced tokens (-1) sit between placed ones; step back to the nearest placed one.
    let probe = mid;
    while (probe >= lo && starts[probe] < 0) probe--;
    if (probe < lo) {
      lo = mid + 1;
      continue;
    }
    if (starts[probe] <= offset) {
      best = probe;
      lo = mid + 1;
    } else hi = probe - 1;
  }
  return best >= 0 && offset < ends[best] ? best : -1;
}
