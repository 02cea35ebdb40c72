/** Token confidence, free from the generation itself: per token its log-probability, the entropy of
 * the distribution the server returned, and the margin between the two likeliest tokens; and the
 * "confidence dips" of a chain, the tokens far less likely than the chain around them, which are
 * where a reader should look first. Pure and allocation-light: the editor's decorations call this on
 * chains of 100k tokens. */
import type { TokenLogprob } from '../model/types';

export interface TokenConfidence {
  logprob: number;
  /** −logprob, in nats: how surprising the written token was. */
  surprisal: number;
  /** Entropy in nats of the returned alternatives (see `entropyOf`); undefined without a `top` list. */
  entropy?: number;
  /** p(likeliest) − p(second likeliest), from the probabilities as reported; undefined with fewer than two. */
  margin?: number;
}

export function tokenConfidence(token: TokenLogprob): TokenConfidence {
  const confidence: TokenConfidence = { logprob: token.logprob, surprisal: surprisalOf(token.logprob) };
  if (token.top?.length) {
    const { entropy, margin } = spread(token);
    confidence.entropy = entropy;
    if (!Number.isNaN(margin)) confidence.margin = margin;
  }
  return confidence;
}

/** The three measures for a whole chain, as parallel arrays (NaN where a measure is undefined). */
export interface ConfidenceProfile {
  surprisal: Float64Array;
  entropy: Float64Array;
  margin: Float64Array;
}

export function confidenceProfile(tokens: readonly TokenLogprob[]): ConfidenceProfile {
  const n = tokens.length;
  const profile = { surprisal: new Float64Array(n), entropy: new Float64Array(n), margin: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const token = tokens[i];
    profile.surprisal[i] = surprisalOf(token.logprob);
    if (token.top?.length) {
      const { entropy, margin } = spread(token);
      profile.entropy[i] = entropy;
      profile.margin[i] = margin;
    } else {
      profile.entropy[i] = Number.NaN;
      profile.margin[i] = Number.NaN;
    }
  }
  return profile;
}

/** A logprob the server could not represent (JSON has no −Infinity, so it arrives as null) counts as
 * maximally surprising rather than breaking the statistics. */
function surprisalOf(logprob: number): number {
  return Number.isFinite(logprob) ? -logprob : Number.POSITIVE_INFINITY;
}

/**
 * Entropy and top-two margin over the alternatives the server returned, with the written token added
 * when the list lacks it (sampling at a high temperature can pick a token outside the top k).
 * Servers return only the top k of the vocabulary, so for the entropy the probabilities are
 * renormalised over what was returned: it is the entropy of the top-k distribution, not of the whole
 * vocabulary's, and comparable between tokens only for equal k (one run asks for one k). The margin is
 * p(likeliest) − p(second likeliest) as reported, not renormalised; NaN with fewer than two.
 * One pass, no allocation: decorations call this for every token of long chains.
 */
function spread(token: TokenLogprob): { entropy: number; margin: number } {
  const top = token.top ?? [];
  let max = Number.NEGATIVE_INFINITY;
  let hasWritten = false;
  for (let k = 0; k < top.length; k++) {
    if (top[k].logprob > max) max = top[k].logprob;
    if (top[k].token === token.token) hasWritten = true;
  }
  const count = top.length + (hasWritten ? 0 : 1);
  if (!hasWritten && token.logprob > max) max = token.logprob;
  if (!Number.isFinite(max)) return { entropy: Number.NaN, margin: Number.NaN };
  // Shifted by the largest logprob so tiny probabilities do not underflow before normalising:
  // H = −Σ pᵢ log pᵢ with pᵢ = wᵢ/z, wᵢ = exp(lᵢ − max), so H = log z − Σ wᵢ(lᵢ − max) / z.
  let z = 0;
  let weighted = 0;
  let first = Number.NEGATIVE_INFINITY;
  let second = Number.NEGATIVE_INFINITY;
  for (let k = 0; k <= top.length; k++) {
    if (k === top.length && hasWritten) break;
    const logprob = k < top.length ? top[k].logprob : token.logprob;
    if (logprob > first) {
      second = first;
      first = logprob;
    } else if (logprob > second) second = logprob;
    if (!Number.isFinite(logprob)) continue;
    const w = Math.exp(logprob - max);
    z += w;
    weighted += w * (logprob - max);
  }
  return { entropy: Math.max(0, Math.log(z) - weighted / z), margin: count < 2 ? Number.NaN : Math.exp(first) - Math.exp(second) };
}

export interface ConfidenceDip {
  /** Index of the token in the chain's token list. */
  index: number;
  surprisal: number;
  /** The median surprisal of the tokens just before it: what "usual" is at that point of the chain. */
  baseline: number;
  /** surprisal − baseline: how far the token stands out, the ranking key. */
  excess: number;
}

export interface DipOptions {
  /** Tokens before a position that make its baseline (default 64). */
  window?: number;
  /** Least excess over the baseline, in nats (default 2: about 7× less likely than usual). */
  minExcess?: number;
  /** Least surprisal, in nats (default ln 2: the token had under even odds). A token the model was
   * sure of is no dip however steady the text around it. */
  minSurprisal?: number;
  /** Dips closer than this many tokens are one place to look: only the strongest is kept (default 3). */
  spacing?: number;
  /** Most dips returned (default: all). */
  limit?: number;
}

/**
 * Positions of a chain worth a look, strongest first: tokens whose surprisal stands well above the
 * running median of the `window` tokens before them. A running median rather than the chain's mean,
 * because chains are uneven (formula boilerplate is near-certain, prose is not) and one very surprising
 * token would drag a mean. Linear in the chain with a sorted window (O(n·window) moves at worst).
 */
export function confidenceDips(tokens: readonly TokenLogprob[], opts: DipOptions = {}): ConfidenceDip[] {
  const window = Math.max(1, opts.window ?? 64);
  const minExcess = opts.minExcess ?? 2;
  const minSurprisal = opts.minSurprisal ?? Math.LN2;
  const spacing = opts.spacing ?? 3;
  const surprisal = new Float64Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) surprisal[i] = surprisalOf(tokens[i].logprob);
  const sorted = new Float64Array(window);
  let size = 0;
  const candidates: ConfidenceDip[] = [];
  for (let i = 0; i < surprisal.length; i++) {
    const s = surprisal[i];
    if (size > 0 && s >= minSurprisal) {
      const baseline = size % 2 ? sorted[size >> 1] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2;
      const excess = s - baseline;
      if (excess >= minExcess) candidates.push({ index: i, surprisal: s, baseline, excess });
    }
    // Slide the window: drop the token leaving it, insert this one in order.
    if (size === window) remove(sorted, size--, surprisal[i - window]);
    insert(sorted, size++, s);
  }
  const kept = strongestApart(candidates, spacing);
  kept.sort((a, b) => b.excess - a.excess || a.index - b.index);
  return opts.limit === undefined ? kept : kept.slice(0, opts.limit);
}

/** Of candidates in token order, the strongest of each cluster whose members are closer than `spacing`. */
function strongestApart(candidates: ConfidenceDip[], spacing: number): ConfidenceDip[] {
  const kept: ConfidenceDip[] = [];
  for (const dip of candidates) {
    const last = kept.at(-1);
    if (last && dip.index - last.index < spacing) {
      if (dip.excess > last.excess) kept[kept.length - 1] = dip;
    } else kept.push(dip);
  }
  return kept;
}

/** First index in sorted[0, size) whose value is ≥ x. */
function lowerBound(sorted: Float64Array, size: number, x: number): number {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insert(sorted: Float64Array, size: number, x: number): void {
  const at = lowerBound(sorted, size, x);
  sorted.copyWithin(at + 1, at, size);
  sorted[at] = x;
}

function remove(sorted: Float64Array, size: number, x: number): void {
  const at = lowerBound(sorted, size, x);
  sorted.copyWithin(at, at + 1, size);
}
