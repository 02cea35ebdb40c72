import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { openTraceSource } from '../../src/core/trace/import';
import { tempDir } from '../support/helpers';

test('a trace written with Windows line ends splits into the same steps, with plain \\n in every node', async () => {
  const dir = tempDir();
  const text = 'First we add.\n\nThen we divide: 6/2 = 3.\n\nThe answer is $\\boxed{3}$.';
  const runs = [];
  for (const [name, body] of [['unix.txt', text], ['windows.txt', text.replace(/\n/g, '\r\n')]]) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, body);
    const source = await openTraceSource(file);
    runs.push(await source.load(0).finally(() => source.close()));
  }
  const texts = runs.map((r) => r.events.flatMap((e) => (e.type === 'node_added' ? [e.text] : [])));
  assert.deepEqual(texts[1].slice(1), texts[0].slice(1), 'the same steps and answer');
  assert.ok(texts[1].length >= 4, 'problem, three steps and the answer');
  assert.ok(texts[1].every((t) => !t.includes('\r')));
});
