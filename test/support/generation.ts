/** Serving one generation, whatever the API: wait for a slot, run the solver (or the judge), apply
 * stop sequences and the token limit, then stream token by token (or answer once), honouring client
 * aborts and injected faults. The API-specific JSON comes from a `GenerationWire`. */
import type { ServerResponse } from 'node:http';
import { DEFAULT_STREAM_ERROR } from './faults';
import { pause, sendJson, writeChunk } from './httpIo';
import type { PromptParts } from './prompts';
import type { ServerContext } from './serverContext';
import { solve } from './solver';
import type { TokenDraw } from './tokens';
import { judgeReply, parseJudgePrompt } from './verifier';

export interface GenerationSpec {
  prompt: PromptParts;
  /** Undefined: the server's counter picks one. */
  seed?: number;
  temperature: number;
  topP?: number;
  /** Most tokens to generate; undefined or <= 0 for no limit. */
  maxTokens?: number;
  stop: string[];
  stream: boolean;
}

export type DoneReason = 'stop' | 'length';

export interface GenerationResult {
  tokens: TokenDraw[];
  doneReason: DoneReason;
  promptTokens: number;
  /** Nanoseconds, as Ollama reports them. */
  timings: { total: number; load: number; promptEval: number; eval: number };
}

/** How one API writes a generation (Ollama chat, Ollama generate, OpenAI completions). */
export interface GenerationWire {
  streamContentType: string;
  /** One streamed token; `offset` is its character offset in the generated text. */
  chunk(token: TokenDraw, offset: number): string;
  /** The end of a stream that completed. */
  done(result: GenerationResult): string;
  /** An error reported inside a stream that already started. */
  streamError(message: string): string;
  /** The whole reply of a non-streaming request. */
  whole(result: GenerationResult): unknown;
  /** The body of an error reply sent before any output. */
  errorBody(message: string, status: number): unknown;
}

/** Modelled prompt processing speed: 20k tokens/s. */
const PROMPT_EVAL_NS_PER_TOKEN = 50_000;

export async function serveGeneration(ctx: ServerContext, res: ServerResponse, spec: GenerationSpec, wire: GenerationWire): Promise<void> {
  const arrived = process.hrtime.bigint();
  const ticket = ctx.slots.acquire();
  let settled = false;
  let aborted = false;
  res.on('close', () => {
    if (settled || res.writableFinished) return;
    aborted = true;
    ctx.noteAbort();
    ticket.release();
  });
  try {
    if (!(await ticket.granted)) return;
    ctx.stats.streamsStarted++;
    const slotted = process.hrtime.bigint();
    const { tokens, doneReason } = limitOutput(reply(ctx, spec), spec.maxTokens, spec.stop);
    const fault = ctx.faults.takeForGeneration();
    const emitted = fault ? tokens.slice(0, fault.afterTokens) : tokens;
    if (spec.stream) res.writeHead(200, { 'content-type': wire.streamContentType });
    let offset = 0;
    for (const token of emitted) {
      await pause(ctx.tokenLatencyMs);
      if (aborted) return;
      if (spec.stream) await writeChunk(res, wire.chunk(token, offset));
      offset += token.token.length;
    }
    if (aborted) return;
    settled = true;
    if (fault?.kind === 'truncate') {
      // Streaming: end without a done object. Not streaming: drop the connection without a reply.
      if (spec.stream) res.end();
      else res.destroy();
      return;
    }
    if (fault?.kind === 'error-mid-stream') {
      const message = fault.message ?? DEFAULT_STREAM_ERROR;
      if (spec.stream) res.end(wire.streamError(message));
      else sendJson(res, 500, wire.errorBody(message, 500));
      return;
    }
    const finished = process.hrtime.bigint();
    const promptEval = Math.max(1, spec.prompt.promptTokens * PROMPT_EVAL_NS_PER_TOKEN);
    const load = Math.max(1, Number(slotted - arrived));
    const evalNs = Math.max(1, Number(finished - slotted));
    const result: GenerationResult = {
      tokens,
      doneReason,
      promptTokens: spec.prompt.promptTokens,
      timings: { total: load + promptEval + evalNs, load, promptEval, eval: evalNs },
    };
    if (spec.stream) res.end(wire.done(result));
    else sendJson(res, 200, wire.whole(result));
    ctx.stats.streamsCompleted++;
  } finally {
    ticket.release();
  }
}

/** The judge's verdict when the prompt is the judge's step-verification question, else the solver's
 * continuation (the judge's prompt holds the problem too, so it is recognised first). */
function reply(ctx: ServerContext, spec: GenerationSpec): TokenDraw[] {
  const seed = spec.seed ?? ctx.nextSeed();
  const question = parseJudgePrompt(spec.prompt.userText);
  if (question) return judgeReply(question, { seed, temperature: spec.temperature }, { solver: ctx.settings, accuracy: ctx.judgeAccuracy });
  return solve({ userText: spec.prompt.userText, prefix: spec.prompt.prefix, seed, temperature: spec.temperature, topP: spec.topP }, ctx.settings).tokens;
}

/** Cuts the output before the first stop sequence (done_reason "stop") and at `maxTokens` tokens
 * (done_reason "length"). */
export function limitOutput(tokens: TokenDraw[], maxTokens: number | undefined, stop: readonly string[]): { tokens: TokenDraw[]; doneReason: DoneReason } {
  const text = tokens.map((t) => t.token).join('');
  const cut = Math.min(...stop.map((s) => text.indexOf(s)).filter((i) => i >= 0), text.length);
  const kept: TokenDraw[] = [];
  let offset = 0;
  for (const draw of tokens) {
    if (offset >= cut) break;
    const piece = draw.token.slice(0, cut - offset);
    kept.push(piece === draw.token ? draw : { token: piece, distribution: draw.distribution.map((c) => (c.token === draw.token ? { ...c, token: piece } : c)) });
    offset += draw.token.length;
  }
  if (maxTokens !== undefined && maxTokens > 0 && kept.length > maxTokens) return { tokens: kept.slice(0, maxTokens), doneReason: 'length' };
  return { tokens: kept, doneReason: 'stop' };
}
