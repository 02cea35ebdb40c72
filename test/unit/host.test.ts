import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { normalizeHost, resolveHost } from '../../src/core/model/host';
import { compareVersions, ollamaLogprobSupport } from '../../src/core/model/version';

test('host: flag, then OLLAMA_HOST, then setting, then the default', () => {
  assert.equal(resolveHost({ flag: 'http://a:1', env: 'b:2', setting: 'c:3' }), 'http://a:1');
  assert.equal(resolveHost({ env: 'b:2', setting: 'c:3' }), 'http://b:2');
  assert.equal(resolveHost({ env: '  ', setting: 'c:3' }), 'http://c:3');
  assert.equal(resolveHost({}), 'http://127.0.0.1:11434');
});

test('OLLAMA_HOST spellings become base URLs', () => {
  assert.equal(normalizeHost('0.0.0.0'), 'http://127.0.0.1:11434');
  assert.equal(normalizeHost('localhost:8080'), 'http://localhost:8080');
  assert.equal(normalizeHost('https://ollama.example/'), 'https://ollama.example');
  assert.equal(normalizeHost('http://127.0.0.1:11434/'), 'http://127.0.0.1:11434');
  assert.throws(() => normalizeHost('http://'), /not a valid host/);
});

test('logprobs need Ollama 0.12.11; older versions are named in the reason', () => {
  assert.equal(compareVersions('0.12.11', '0.12.9'), 1);
  assert.equal(compareVersions('v0.13.0-rc1', '0.13.0'), 0);
  assert.equal(ollamaLogprobSupport('0.12.11').supported, true);
  assert.equal(ollamaLogprobSupport('0.0.0').supported, true);
  const old = ollamaLogprobSupport('0.11.4');
  assert.equal(old.supported, false);
  assert.match(old.reason ?? '', /0\.11\.4.*0\.12\.11/);
});
