/** Forced-answer probes: cut a chain at some point, make the model state its final answer there, and
 * read it. Probes along a chain (at each self-correction point and each step's end) give its answer
 * trajectory: what the model would have answered had it stopped at that point.
 *
 * The chain is cut, trailing space dropped, an open thinking section closed (`\n</think>`, or
 * `\n<|end_of_thought|>` for Sky-T1-style traces), and `PROBE_TEXT` appended:
 *
 *     "\n\nThe final answer is $\\boxed{"
 *
 * — the words the engine's own prompt asks chains to end with, so the model continues with the answer
 * and a closing brace. It is generated greedily (temperature 0, a fixed seed, a few tokens) through a
 * scheduler, and the answer is the text up to the brace that closes the box; reading stops there. */
import { matchBrace } from '../answer/latex';
import { metered } from '../model/metered';
import type { GenerateRequest, ModelBackend } from '../model/types';
import { withRetries } from '../reward/retry';
import { solveMessages } from '../search/prompt';
import type { Scheduler } from '../search/scheduler';
import type { TreeNode } from '../trace/tree';

export const PROBE_TEXT = '\n\nThe final answer is $\\boxed{';
/** Tokens a probe may write: an answer and its closing brace fit with room to spare. */
export const DEFAULT_PROBE_TOKENS = 32;
/** Longer than any answer: a model that rambles inside the box has not answered. */
const MAX_ANSWER_CHARS = 200;
const THINKING: readonly [string, string][] = [['<think>', '</think>'], ['<|begin_of_thought|>', '<|end_of_thought|>']];

export interface ProbeSettings {
  model: string;
  /** Default `DEFAULT_PROBE_TOKENS`. */
  maxTokens?: number;
}

/** The assistant text a probe continues: the cut chain, its thinking closed, then `PROBE_TEXT`. */
export function probePrefix(cut: string): string {
  let text = cut.trimEnd();
  for (const [open, close] of THINKING) {
    if (text.lastIndexOf(open) > text.lastIndexOf(close)) text += `\n${close}`;
  }
  return text + PROBE_TEXT;
}

/** The answer in a probe's continuation: the text before the brace that closes the box; null when
 * the box never closes, is empty, or holds more than an answer. */
export function readProbeAnswer(continuation: string): string | null {
  const close = matchBrace(`{${continuation}`, 0);
  if (close < 0) return null;
  const inside = continuation.slice(0, close - 2);
  const answer = inside.trim();
  return answer && answer.length <= MAX_ANSWER_CHARS && !/\n[ \t]*\n/.test(inside) ? answer : null;
}

/** The model's forced answer after `cut` (the chain's text up to the probed point), or null when it
 * wrote none. Throws `CancelledError` when the scheduler stops (budget or cancel). */
export async function probeAnswer(backend: ModelBackend, scheduler: Scheduler, problem: string, cut: string, settings: ProbeSettings): Promise<string | null> {
  const request: GenerateRequest = {
    model: settings.model,
    messages: solveMessages(problem),
    prefix: probePrefix(cut),
    options: { temperature: 0, seed: 0, maxTokens: settings.maxTokens ?? DEFAULT_PROBE_TOKENS },
    logprobs: false,
  };
  return scheduler.run((signal) => withRetries(async () => {
    let text = '';
    for await (const chunk of metered(backend.generate(request, signal), scheduler)) {
      if (chunk.kind === 'done') break;
      text += chunk.text;
      // The answer is complete once its brace closes: leaving the stream frees the server's slot.
      if (readProbeAnswer(text) !== null) break;
    }
    return readProbeAnswer(text);
  }, signal));
}

/** A point of a chain: `offset` into the text of step `id`. */
export interface ChainPoint {
  id: string;
  offset: number;
}

/** The chain's text up to `offset` of step `id`: the steps before it joined by blank lines, as the
 * engine writes chains, then that step's text up to the point. */
export function chainTextUpTo(chain: readonly TreeNode[], point: ChainPoint): string {
  const at = chain.findIndex((s) => s.id === point.id);
  if (at < 0) throw new Error(`${point.id} is not a step of the chain`);
  const head = chain[at].text.slice(0, point.offset);
  return [...chain.slice(0, at).map((s) => s.text), ...(head ? [head] : [])].join('\n\n');
}
