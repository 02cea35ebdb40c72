import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseRunText } from '../../src/core/trace/parse';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { cli } from '../support/cli';
import { closedPort, tempDir } from '../support/helpers';

const PROBLEM = path.resolve('test/fixtures/problems', fs.readdirSync('test/fixtures/problems').find((f) => f.endsWith('.problem.md')) ?? '');

describe('reasonscope CLI', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 2 });
  });
  after(() => server.close());

  test('solve prints every chain, the vote and where the run is saved', async () => {
    const cwd = tempDir();
    const r = await cli(['solve', PROBLEM, '--host', server.url, '--n', '4', '--seed', '1'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stderr.match(/^chain \d+:/gm) ?? []).length, 4);
    assert.match(r.stdout, /Answers/);
    assert.match(r.stdout, /Majority answer: .+ — (correct|wrong)/);
    const saved = /Run saved to (.+\.run\.jsonl)/.exec(r.stdout)?.[1];
    assert.ok(saved, r.stdout);
    const run = parseRunText(fs.readFileSync(path.resolve(cwd, saved), 'utf8'));
    assert.equal(run.events.at(-1)?.type, 'run_ended');
  });

  test('--json prints one machine-readable line', async () => {
    const out = path.join(tempDir(), 'r.run.jsonl');
    const r = await cli(['solve', '--text', 'What is $6 \\times 7$?', '--host', server.url, '--strategy', 'cot', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { status: string; runFile: string; totals: { requests: number } };
    assert.equal(result.status, 'completed');
    assert.equal(result.runFile, out);
    assert.equal(result.totals.requests, 1);
  });

  test('models lists what the server has', async () => {
    const r = await cli(['models', '--host', server.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /qwen2\.5:1\.5b/);
  });

  test('Ctrl-C saves the partial run and exits 130', async () => {
    const slow = await startTestServer({ seed: 2, tokenLatencyMs: 10 });
    try {
      const out = path.join(tempDir(), 'partial.run.jsonl');
      let sent = false;
      const r = await cli(['solve', PROBLEM, '--host', slow.url, '--n', '4', '--concurrency', '1', '--out', out], {
        onStderr: (s, kill) => {
          if (!sent && /chain 1:/.test(s)) {
            sent = true;
            kill();
          }
        },
      });
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stdout, /Cancelled: the partial run is saved to/);
      const run = parseRunText(fs.readFileSync(out, 'utf8'));
      const ended = run.events.at(-1);
      assert.equal(ended?.type === 'run_ended' && ended.status, 'cancelled');
    } finally {
      await slow.close();
    }
  });
});

test('unreachable Ollama: exit 1 with one line that names the host and the fix', async () => {
  const host = `http://127.0.0.1:${await closedPort()}`;
  const r = await cli(['solve', PROBLEM, '--host', host]);
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], new RegExp(`^reasonscope: Cannot reach Ollama at ${host.replace(/[.]/g, '\\.')}.*ollama serve`));
});

test('usage errors exit 2 and say what is wrong', async () => {
  assert.equal((await cli(['solve'])).code, 2);
  const r = await cli(['solve', 'missing.problem.md']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read missing\.problem\.md: no such file/);
  assert.match((await cli(['solve', '--text', 'x', '--n', 'zero'])).stderr, /--n must be an integer/);
  assert.match((await cli(['frobnicate'])).stderr, /unknown command "frobnicate"/);
});
