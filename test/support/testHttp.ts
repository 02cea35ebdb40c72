/** Small HTTP helpers for tests that talk to the test server without a client library. */

export function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** The objects of an NDJSON body. */
export async function ndjson(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The `data:` payloads of a server-sent-event body. */
export async function sseData(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .map((event) => event.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length)).join('\n'))
    .filter((data) => data !== '');
}
