/** A generative judge: any model the backend serves rates each step of a chain. For step k it sees
 * the problem, steps 1..k-1 as context and step k, and is asked for one character, "+" (correct) or
 * "-" (wrong). The score is p(+) / (p(+) + p(-)) over the alternatives the server reports for the
 * first generated token (temperature 0, one token, 20 alternatives), so one request per step gives a
 * graded score rather than a yes/no.
 *
 * Servers without token logprobs (Ollama before 0.12.11) get sampled verdicts instead: `samples`
 * one-token replies at temperature 1, the score being the share of "+" among them. That is coarser
 * and costs `samples` requests a step, so the scorer's name and params say so and the run shows it.
 *
 * Scores are cached per (judge model, problem, steps 1..k): chains that share a prefix, as beam and
 * tree searches make them, ask about each shared step once. */
import { createHash } from 'node:crypto';
import { BackendError } from '../model/errors';
import { metered } from '../model/metered';
import type { ChatMessage, GenerateRequest, ModelBackend, TokenAlternative, TokenLogprob } from '../model/types';
import { withRetries } from './retry';
import type { ChainToScore, Scorer, ScorerIO } from './types';

export type VerdictSource = 'logprobs' | 'sampled';

export interface JudgeOptions {
  backend: ModelBackend;
  /** The judge model, installed on the backend's server (it may be the policy model itself). */
  model: string;
  /** Where verdicts come from; `prepareScorer` picks it from the server's logprob support. */
  verdicts?: VerdictSource;
  /** Sampled verdicts per step (default 8). */
  samples?: number;
  /** Told when a verdict could not be read (the step then scores 0.5). */
  onWarning?: (message: string) => void;
}

/** Alternatives asked for at the verdict position (the most Ollama and vLLM return). */
export const JUDGE_TOP_LOGPROBS = 20;
export const DEFAULT_VERDICT_SAMPLES = 8;
/** The score of a step whose verdict could not be read: no evidence either way. */
const UNDECIDED = 0.5;

/** Tokens that count as each verdict, compared after trimming surrounding whitespace (so " +",
 * "+\n" and "\n-" count: tokenizers often fold a leading space or newline into the token).
 * "+": U+002B plus sign, U+FF0B fullwidth plus sign. "-": U+002D hyphen-minus, U+2212 minus sign,
 * U+FF0D fullwidth hyphen-minus, U+2013 en dash. Their probabilities are summed per verdict. */
export const VERDICT_TOKENS = {
  correct: ['+', '\uFF0B'],
  wrong: ['-', '\u2212', '\uFF0D', '\u2013'],
} as const;

export function verdictOf(token: string): '+' | '-' | undefined {
  const core = token.trim();
  if ((VERDICT_TOKENS.correct as readonly string[]).includes(core)) return '+';
  if ((VERDICT_TOKENS.wrong as readonly string[]).includes(core)) return '-';
  return undefined;
}

/** p(+) / (p(+) + p(-)) over a position's alternatives (the reported top list, else the token
 * itself); undefined when neither verdict is among them. */
export function verdictScore(first: TokenLogprob): number | undefined {
  const candidates: TokenAlternative[] = first.top?.length ? first.top : [first];
  let correct = 0;
  let wrong = 0;
  for (const { token, logprob } of candidates) {
    const verdict = verdictOf(token);
    if (verdict === '+') correct += Math.exp(logprob);
    else if (verdict === '-') wrong += Math.exp(logprob);
  }
  return correct + wrong > 0 ? correct / (correct + wrong) : undefined;
}

const SYSTEM = 'You check solutions to math problems one step at a time. You answer with a single character.';

/** The step-verification prompt for the last of `steps`. Its layout is fixed (the test server's
 * judge reads it): the problem in <problem>, each step in <step index="i">, the step to check last. */
export function judgeMessages(problem: string, steps: readonly string[]): ChatMessage[] {
  const k = steps.length;
  const step = (text: string, i: number) => `<step index="${i + 1}">\n${text}\n</step>`;
  const earlier = steps.slice(0, -1).map(step);
  const user = [
    `Problem:\n<problem>\n${problem}\n</problem>`,
    earlier.length ? `Earlier steps of the solution:\n${earlier.join('\n')}` : 'Earlier steps of the solution: none.',
    `Step to check:\n${step(steps[k - 1], k - 1)}`,
    `Is step ${k} correct, given the problem and the earlier steps? Answer "+" if it is correct and "-" if it contains a mistake. Reply with that single character only.`,
  ].join('\n\n');
  return [{ role: 'system', content: SYSTEM }, { role: 'user', content: user }];
}

export function judgeScorerName(model: string, verdicts: VerdictSource): string {
  return verdicts === 'sampled' ? `judge:${model} (sampled verdicts)` : `judge:${model}`;
}

export function judgeScorer(opts: JudgeOptions): Scorer {
  return new JudgeScorer(opts);
}

class JudgeScorer implements Scorer {
  readonly name: string;
  readonly params: Record<string, string | number>;
  private readonly verdicts: VerdictSource;
  private readonly samples: number;
  private readonly cache = new Map<string, Promise<number>>();

  constructor(private readonly opts: JudgeOptions) {
    this.verdicts = opts.verdicts ?? 'logprobs';
    this.samples = opts.samples ?? DEFAULT_VERDICT_SAMPLES;
    if (!Number.isInteger(this.samples) || this.samples < 1) throw new Error(`the judge's verdict samples must be a whole number of at least 1, got ${opts.samples}`);
    this.name = judgeScorerName(opts.model, this.verdicts);
    this.params = this.verdicts === 'sampled'
      ? { model: opts.model, verdicts: 'sampled', samples: this.samples }
      : { model: opts.model, verdicts: 'logprobs' };
  }

  /** Each step is one question (or `samples` of them), asked concurrently in the run's slots. */
  async scoreSteps(chain: ChainToScore, from: number, io: ScorerIO): Promise<number[]> {
    return Promise.all(chain.steps.slice(from).map((_, i) => this.scoreStep(chain, from + i, io)));
  }

  private scoreStep(chain: ChainToScore, k: number, io: ScorerIO): Promise<number> {
    const steps = chain.steps.slice(0, k + 1).map((s) => s.text);
    const key = createHash('sha256').update(JSON.stringify([this.opts.model, chain.problem, steps])).digest('hex');
    let score = this.cache.get(key);
    if (!score) {
      score = this.judge(chain.problem, steps, chain.steps[k].id, io);
      this.cache.set(key, score);
      // A failed question is asked again next time rather than remembered.
      score.catch(() => this.cache.delete(key));
    }
    return score;
  }

  private async judge(problem: string, steps: string[], stepId: string, io: ScorerIO): Promise<number> {
    // A thinking model would spend its one token on reasoning: ask for the verdict at once.
    const request: GenerateRequest = { model: this.opts.model, messages: judgeMessages(problem, steps), think: false };
    if (this.verdicts === 'sampled') {
      const replies = await Promise.all(Array.from({ length: this.samples }, (_, seed) =>
        this.ask({ ...request, options: { temperature: 1, maxTokens: 1, seed } }, io)));
      const votes = replies.map((r) => verdictOf(r.text)).filter((v) => v !== undefined);
      if (votes.length === 0) return this.undecided(io, `none of its ${this.samples} sampled replies for step ${stepId} was "+" or "-" (the first: ${JSON.stringify(replies[0]?.text ?? '')})`);
      return votes.filter((v) => v === '+').length / votes.length;
    }
    const reply = await this.ask({ ...request, options: { temperature: 0, maxTokens: 1, seed: 0 }, logprobs: true, topLogprobs: JUDGE_TOP_LOGPROBS }, io);
    if (!reply.first) {
      throw new BackendError('unsupported', `${this.name}: the server at ${this.opts.backend.host} returned no token logprobs for the verdict, so p(+) cannot be read. Update the server (Ollama 0.12.11 or newer), or score with sampled verdicts.`, undefined, this.opts.model);
    }
    const score = verdictScore(reply.first);
    if (score === undefined) {
      const listed = reply.first.top?.length ?? 1;
      return this.undecided(io, `neither "+" nor "-" was among the ${listed} most likely first tokens for step ${stepId} (it wrote ${JSON.stringify(reply.first.token)})`);
    }
    return score;
  }

  private undecided(io: ScorerIO, why: string): number {
    const message = `${this.name}: ${why}; the step scores ${UNDECIDED}.`;
    if (io.warn) io.warn(message);
    else this.opts.onWarning?.(message);
    return UNDECIDED;
  }

  /** One request in a slot of the run, counted with its tokens; transient failures are retried. */
  private ask(request: GenerateRequest, io: ScorerIO): Promise<{ text: string; first?: TokenLogprob }> {
    return withRetries(() => io.run(async (signal) => {
      let text = '';
      let first: TokenLogprob | undefined;
      for await (const chunk of metered(this.opts.backend.generate(request, signal), io)) {
        if (chunk.kind === 'delta') {
          text += chunk.text;
          first ??= chunk.tokens?.[0];
        }
      }
      return { text, first };
    }), io.signal);
  }
}
