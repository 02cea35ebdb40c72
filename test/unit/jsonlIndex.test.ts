/** The byte-offset record index: record N of a JSONL file (or element N of a JSON array) is what a
 * full parse would give, wherever the read chunks happen to split the file. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { ImportError } from '../../src/core/trace/import';
import { indexJsonArray } from '../../src/core/trace/import/jsonArrayIndex';
import { indexJsonLines, type RecordIndex } from '../../src/core/trace/jsonlIndex';
import { tempDir } from '../support/helpers';

const dir = tempDir('reasonscope-index-');
let files = 0;
function write(content: string | Buffer): string {
  const file = path.join(dir, `f${files++}`);
  fs.writeFileSync(file, content);
  return file;
}

async function texts(index: RecordIndex): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < index.count; i++) out.push(await index.text(i));
  return out;
}

/** Lines as a JSONL writer might produce them: any text, blank lines, CRLF endings, multi-byte characters. */
const line = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')), fc.constantFrom('', ' ', '\r', '{"a":1}\r'));

test('record N is the Nth non-blank line, with its line number, whatever the chunk size', async () => {
  await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.integer({ min: 1, max: 64 }), async (lines, trailingNewline, chunkBytes) => {
    const file = write(lines.join('\n') + (trailingNewline ? '\n' : ''));
    const index = await indexJsonLines(file, { chunkBytes });
    try {
      const expected = lines.map((l, i) => ({ text: l.replace(/^\uFEFF/, '').trim(), line: i + 1 })).filter((_, i) => lines[i] !== '' && lines[i] !== '\r');
      assert.deepEqual(await texts(index), expected.map((e) => e.text));
      assert.deepEqual(expected.map((_, i) => index.span(i).line), expected.map((e) => e.line));
      assert.deepEqual(expected.map((_, i) => index.locate(i)), expected.map((e) => `line ${e.line}`));
    } finally {
      await index.close();
    }
  }), { numRuns: 200 });
});

test('an empty JSONL file has no records, and asking for one names the count', async () => {
  const index = await indexJsonLines(write(''));
  assert.equal(index.count, 0);
  assert.throws(() => index.span(0), /no record 0; the file has 0/);
  await index.close();
});

test('indexing stops when its signal is aborted', async () => {
  const file = write('{"a":1}\n'.repeat(1000));
  await assert.rejects(indexJsonLines(file, { chunkBytes: 64, signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('the elements of any JSON array are found, however it is laid out and read', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 12 }), fc.constantFrom(undefined, 1, 2, '\t'), fc.integer({ min: 1, max: 48 }), async (values, indent, chunkBytes) => {
    const file = write(JSON.stringify(values, null, indent));
    const { index, problems } = await indexJsonArray(file, { chunkBytes });
    try {
      assert.deepEqual(problems, []);
      assert.deepEqual((await texts(index)).map((t) => JSON.parse(t)), JSON.parse(JSON.stringify(values)));
    } finally {
      await index.close();
    }
  }), { numRuns: 200 });
});

test('array elements carry the line they start on', async () => {
  const { index } = await indexJsonArray(write('[\n  {"a": "x,]}"},\n  [1,\n 2],\n\n  "s\\"]"\n]\n'));
  assert.deepEqual(await texts(index), ['{"a": "x,]}"}', '[1,\n 2]', '"s\\"]"']);
  assert.deepEqual([0, 1, 2].map((i) => index.locate(i)), ['record 0 (line 2)', 'record 1 (line 3)', 'record 2 (line 6)']);
  await index.close();
});

test('a truncated array keeps every complete element and names the cut one', async () => {
  const values = [{ id: 'a', steps: ['x'] }, { id: 'b', steps: ['y, z'] }, { id: 'c', steps: [] }];
  const text = JSON.stringify(values, null, 2);
  await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: text.length - 1 }), async (cut) => {
    const { index, problems } = await indexJsonArray(write(text.slice(0, cut)));
    try {
      const complete = (await texts(index)).map((t) => JSON.parse(t) as unknown);
      assert.deepEqual(complete, values.slice(0, complete.length), 'the elements before the cut are intact');
      assert.equal(problems.length, 1);
      assert.match(problems[0], /^(record \d+ \(line \d+\): the file ends inside this record|line \d+: the file ends before the closing "]")/);
    } finally {
      await index.close();
    }
  }));
});

test('stray commas and text after the array are reported, the elements still read', async () => {
  const { index, problems } = await indexJsonArray(write('[1,,2,]\nextra'));
  assert.deepEqual(await texts(index), ['1', '2']);
  assert.deepEqual(problems, [
    'record 1 (line 1): empty element (a stray comma at byte 3)',
    'record 2 (line 1): empty element (a stray comma at byte 6)',
    'line 2: text after the closing "]" of the array is ignored',
  ]);
  await index.close();
});

test('a file that is not an array is refused with where it went wrong', async () => {
  await assert.rejects(indexJsonArray(write('\n\n{"a": 1}')), (err: Error) => err instanceof ImportError && /^line 3: expected "\["/.test(err.message));
  await assert.rejects(indexJsonArray(write('  ')), (err: Error) => err instanceof ImportError && /empty/.test(err.message));
});

test('a byte-order mark before the data is skipped', async () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const lines = await indexJsonLines(write(Buffer.concat([bom, Buffer.from('{"a":1}\n{"b":2}\n')])));
  assert.deepEqual(await texts(lines), ['{"a":1}', '{"b":2}']);
  await lines.close();
  const { index } = await indexJsonArray(write(Buffer.concat([bom, Buffer.from('[{"a":1}]')])));
  assert.deepEqual(await texts(index), ['{"a":1}']);
  await index.close();
});
