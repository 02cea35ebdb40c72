/** The scripted solver's tokenizer and its per-position probability model: what a real server reports
 * as `logprobs`/`top_logprobs`, derived deterministically from the text so equal chains carry equal
 * probabilities however they were produced. */
import { unitFromKey } from './random';

/** One candidate at a generated position, with its probability. */
export interface Candidate {
  token: string;
  p: number;
}

/** A generated token and the distribution it was drawn from: sorted by probability, summing to at
 * most 1 (the rest is the long tail of the vocabulary), and containing `token`. */
export interface TokenDraw {
  token: string;
  distribution: Candidate[];
}

// LaTeX commands and words keep their leading space, newline runs are one token (so a blank line
// between steps is a single "\n\n" token, as in real BPE vocabularies), punctuation is one token.
const TOKEN_PATTERN = / ?\\[A-Za-z]+| ?\\[^A-Za-z\s]| ?[A-Za-z]+| ?\d+|\n+| ?[^\sA-Za-z\d\\]|[\s\S]/g;

export function tokenize(text: string): string[] {
  return text.match(TOKEN_PATTERN) ?? [];
}

/** The long tail a candidate list leaves out is modelled as this many equally likely tokens. */
const TAIL_TOKENS = 50;
/** Temperatures below this are treated as this for reporting, which keeps every logprob finite. */
const MIN_REPORTED_TEMPERATURE = 0.05;

const FILLER_TOKENS = [
  ' the', ',', '.', ' a', ' and', ' of', ' to', ' is', ' we', ' =', ' $', '\n', ' in', ' that', ' this',
  ' so', ' it', ' for', ' with', ' by', ' as', ' be', ' on', ' are',
];

function sum(candidates: readonly Candidate[]): number {
  return candidates.reduce((acc, c) => acc + c.p, 0);
}

function byProbability(a: Candidate, b: Candidate): number {
  return b.p - a.p;
}

/** Reshapes a distribution for `temperature` (p^(1/T), renormalised together with the long tail). */
export function temper(distribution: readonly Candidate[], temperature: number): Candidate[] {
  const t = Math.max(temperature, MIN_REPORTED_TEMPERATURE);
  const tail = Math.max(0, 1 - sum(distribution));
  const powered = distribution.map((c) => ({ token: c.token, p: c.p ** (1 / t) }));
  const tailMass = tail > 0 ? TAIL_TOKENS * (tail / TAIL_TOKENS) ** (1 / t) : 0;
  const z = sum(powered) + tailMass;
  return powered.map((c) => ({ token: c.token, p: c.p / z })).sort(byProbability);
}

/** The `k` most likely candidates; when the list is shorter, tokens from the long tail fill it. */
export function topCandidates(distribution: readonly Candidate[], k: number): Candidate[] {
  const top = distribution.slice(0, k);
  const tailEach = Math.max(0, 1 - sum(distribution)) / TAIL_TOKENS;
  for (const token of FILLER_TOKENS) {
    if (top.length >= k) break;
    if (!top.some((c) => c.token === token)) top.push({ token, p: tailEach });
  }
  return top.sort(byProbability);
}

/** Distribution at a position whose token is not a decision point: `token` is confident (p 0.8–0.99
 * before temperature) and a few plausible alternatives share most of the rest. */
export function ordinaryDistribution(token: string, key: string): Candidate[] {
  const u = unitFromKey(`${key}|${token}`);
  const chosen = /^\n+$/.test(token) ? 0.95 + 0.045 * u : 0.8 + 0.19 * Math.sqrt(u);
  const alternatives = alternativesFor(token, key);
  const shares = [0.6, 0.25, 0.05];
  const spread = 1 - chosen;
  return [
    { token, p: chosen },
    ...alternatives.map((alt, i) => ({ token: alt, p: spread * shares[i] })),
  ].sort(byProbability);
}

/** Probabilities of the first tokens at a decision point, from the weights of the continuations
 * that start with each token. A small share is left to the long tail. */
export function branchDistribution(weights: ReadonlyMap<string, number>): Candidate[] {
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  const explicitShare = 0.99;
  return [...weights].map(([token, w]) => ({ token, p: (explicitShare * w) / total })).sort(byProbability);
}

/** Three tokens a model could plausibly have written instead of `token`. */
function alternativesFor(token: string, key: string): string[] {
  const space = token.startsWith(' ') ? ' ' : '';
  const core = token.slice(space.length);
  const variants: string[] = [];
  if (/^\d+$/.test(core)) {
    const n = Number(core);
    variants.push(`${space}${n + 1}`, `${space}${n === 0 ? 2 : n - 1}`);
  } else if (/^[A-Za-z]+$/.test(core)) {
    const recased = core[0] === core[0].toUpperCase() ? core[0].toLowerCase() + core.slice(1) : core[0].toUpperCase() + core.slice(1);
    variants.push(`${space}${recased}`, space ? core : ` ${core}`);
  } else if (/^\n+$/.test(core)) {
    variants.push(core.length > 1 ? '\n' : '\n\n', ' ');
  }
  const start = Math.floor(unitFromKey(`alt|${key}|${token}`) * FILLER_TOKENS.length);
  for (let i = 0; variants.length < 6 && i < FILLER_TOKENS.length; i++) variants.push(FILLER_TOKENS[(start + i) % FILLER_TOKENS.length]);
  return [...new Set(variants)].filter((v) => v !== token).slice(0, 3);
}

/** Natural log of the probability the chosen token had. */
export function chosenLogprob(draw: TokenDraw): number {
  return Math.log(draw.distribution.find((c) => c.token === draw.token)?.p ?? 1);
}

export function utf8Bytes(token: string): number[] {
  return [...Buffer.from(token, 'utf8')];
}
