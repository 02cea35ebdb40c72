/** Request and response plumbing shared by the test server's endpoints. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses a request body; failures are worded like Go's encoding/json, which Ollama passes on. */
export function parseJson(text: string): ParsedJson {
  if (text.trim() === '') return { ok: false, message: 'missing request body' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    const position = /position (\d+)/.exec(message);
    const char = /Unexpected token '(.)'/.exec(message)?.[1] ?? (position ? text[Number(position[1])] : undefined);
    return { ok: false, message: char === undefined ? 'unexpected EOF' : `invalid character '${char}' looking for beginning of value` };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Writes part of a streamed body, waiting while the client is slow to read. */
export async function writeChunk(res: ServerResponse, text: string): Promise<void> {
  if (res.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Waits `ms` milliseconds, or one turn of the event loop when 0 (so aborts are noticed between tokens). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
