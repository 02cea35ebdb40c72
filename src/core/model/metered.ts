/** Charging a generation's cost to whoever runs it (a run's scheduler, a scorer's slots). */
import type { GenerateChunk } from './types';

export interface Usage {
  requests?: number;
  promptTokens?: number;
  completionTokens?: number;
}

/** A generation's chunks, unchanged, with its cost charged as it streams: the request when the
 * stream starts, each delta's tokens as they arrive (so a token budget can stop a long generation
 * part-way), and at the end whatever the server's own count adds. Every caller that generates goes
 * through this, so totals and budgets mean the same everywhere. */
export async function* metered(chunks: AsyncIterable<GenerateChunk>, meter: { charge(usage: Usage): void }): AsyncGenerator<GenerateChunk> {
  meter.charge({ requests: 1 });
  let counted = 0;
  for await (const chunk of chunks) {
    if (chunk.kind === 'delta') {
      const n = chunk.tokens?.length ?? 1;
      counted += n;
      meter.charge({ completionTokens: n });
    } else {
      meter.charge({ promptTokens: chunk.promptTokens, completionTokens: Math.max(0, (chunk.completionTokens ?? counted) - counted) });
    }
    yield chunk;
  }
}
