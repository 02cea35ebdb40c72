/** Small helpers shared by the unit tests. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GenerateChunk, GenerateDone, GenerateRequest, TokenLogprob } from '../../src/core/model/types';

interface SampleProblem {
  problem: string;
  answer: string;
  unique_id: string;
}

/** The fixture problems (real MATH-500 problems the test server's solver knows). */
export function sampleProblems(): SampleProblem[] {
  return fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'math500-sample.jsonl'), 'utf8')
    .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as SampleProblem);
}

/** A problem the solver knows: f(-2)+f(-1)+f(0) for f(x) = (3x-2)/(x-2), gold 14/3. */
export function problemText(): string {
  const p = sampleProblems().find((x) => x.answer === '\\frac{14}{3}');
  if (!p) throw new Error('test/fixtures/math500-sample.jsonl lacks the f(x) = (3x-2)/(x-2) problem');
  return p.problem;
}

/** A loopback port with nothing listening (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix = 'reasonscope-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Drains a backend stream: the text, every token with its logprobs, and the final `done`. */
export async function collect(stream: AsyncIterable<GenerateChunk>): Promise<{ text: string; tokens: TokenLogprob[]; deltas: number; done?: GenerateDone }> {
  let text = '';
  let deltas = 0;
  const tokens: TokenLogprob[] = [];
  let done: GenerateDone | undefined;
  for await (const chunk of stream) {
    if (chunk.kind === 'done') {
      done = chunk;
      continue;
    }
    deltas++;
    text += chunk.text;
    tokens.push(...(chunk.tokens ?? []));
  }
  return { text, tokens, deltas, done };
}

/** A chat request for the fixture problem the test server's solver knows. */
export function solveRequest(model: string, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { model, messages: [{ role: 'user', content: `Solve step by step.\n\n${problemText()}` }], ...extra };
}
