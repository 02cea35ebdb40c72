/** Opening a trace: the format is told from the content whatever the file is called, can be named
 * instead, and bad input gives errors that say where — while the good records of a partly broken
 * file still open. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ImportError, openTraceSource, type TraceFormat } from '../../src/core/trace/import';
import { CHECK_BYTES } from '../../src/core/trace/import/records';
import { tempDir } from '../support/helpers';

const FIXTURES = path.resolve('test/fixtures/traces');
const dir = tempDir('reasonscope-detect-');

/** `content` (or a fixture's bytes) under a name that says nothing about the format. */
function disguise(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
const read = (...parts: string[]) => fs.readFileSync(path.join(FIXTURES, ...parts), 'utf8');

async function formatOf(file: string, format?: TraceFormat): Promise<{ format: TraceFormat; count: number }> {
  const source = await openTraceSource(file, { format });
  await source.close();
  return { format: source.format, count: source.recordCount };
}

describe('format detection', () => {
  test('each format is recognised by its content, not its file name', async () => {
    const cases: [string, string, TraceFormat, number][] = [
      ['a.txt', read('processbench', 'math.json'), 'processbench', 8],
      ['b.json', read('prm800k', 'phase-samples.jsonl'), 'prm800k', 2],
      ['c.log', read('r1-chat', 'thought-anchors-chats.jsonl'), 'r1-chat', 3],
      ['d', read('long-cot', 'sky-t1-32b-aime24-sample.jsonl'), 'generic-jsonl', 3],
      ['e.jsonl', read('text', 'r1-trace.txt'), 'text', 1],
      ['f.json', fs.readFileSync('test/fixtures/runs/majority-8.run.jsonl', 'utf8'), 'run', 1],
      ['g.jsonl', '[Back to the index](../README.md)\n\nFirst, $x = 2$, so $\\boxed{4}$.\n', 'text', 1],
    ];
    for (const [name, content, format, count] of cases) {
      assert.deepEqual(await formatOf(disguise(name, content)), { format, count }, name);
    }
  });

  test('a single pretty-printed JSON object is one record', async () => {
    const file = path.join(FIXTURES, 'thought-anchors/deepseek-r1-distill-llama-8b/correct_base_solution/problem_6998/base_solution.json');
    assert.deepEqual(await formatOf(file), { format: 'generic-jsonl', count: 1 });
  });

  test('a damaged first line does not decide the format', async () => {
    const lines = read('prm800k', 'phase-samples.jsonl').split('\n');
    assert.deepEqual(await formatOf(disguise('damaged-first.jsonl', ['{"question": {', ...lines].join('\n'))), { format: 'prm800k', count: 2 });
  });

  test('a named format overrides detection', async () => {
    const chats = path.join(FIXTURES, 'r1-chat', 'thought-anchors-chats.jsonl');
    assert.deepEqual(await formatOf(chats, 'text'), { format: 'text', count: 1 });
    // A record with both `messages` and a problem/solution pair reads as either.
    const both = disguise('both.jsonl', JSON.stringify({ problem: 'What is 1+1?', solution: 'It is $\\boxed{2}$.', messages: [{ role: 'user', content: 'What is 1+1?' }, { role: 'assistant', content: '\\boxed{3}' }] }));
    assert.equal((await formatOf(both)).format, 'r1-chat');
    const source = await openTraceSource(both, { format: 'generic-jsonl' });
    const run = await source.load(0);
    await source.close();
    assert.deepEqual(run.events.filter((e) => e.type === 'node_added' && e.kind === 'answer').map((e) => e.type === 'node_added' && e.text), ['2'], 'the solution, not the chat reply');
  });
});

describe('bad input', () => {
  const generic = read('long-cot', 'sky-t1-32b-aime24-sample.jsonl').trim().split('\n');

  test('a file with some bad lines opens the good ones and lists the others by line', async () => {
    const lines = [generic[0], '{"question": "cut off', generic[1], '', '{"question": "What is 2+2?"}', 'not json at all', generic[2]];
    const source = await openTraceSource(disguise('partly-bad.jsonl', lines.join('\n')));
    try {
      assert.equal(source.format, 'generic-jsonl');
      assert.equal(source.recordCount, 3);
      assert.equal(source.problems.length, 3);
      assert.match(source.problems[0], /^line 2: not JSON \(/);
      assert.match(source.problems[1], /^line 5: no response text \(looked for `response`/);
      assert.match(source.problems[2], /^line 6: not JSON \(/);
      const ids = await Promise.all([0, 1, 2].map(async (i) => (await source.load(i)).header.problem.id));
      assert.deepEqual(ids, ['0', '5', '7']);
    } finally {
      await source.close();
    }
  });

  test('a file too big to check when opened reports a bad record when it is loaded', async () => {
    const line = generic[0];
    const copies = Math.ceil((CHECK_BYTES + 1) / (line.length + 1));
    const file = path.join(dir, 'big.jsonl');
    fs.writeFileSync(file, [line, line, '{"question": "cut', ...Array<string>(copies).fill(line)].join('\n'));
    const source = await openTraceSource(file);
    try {
      assert.equal(source.recordCount, copies + 3, 'every line counts until it is read');
      assert.deepEqual(source.problems, []);
      await assert.rejects(source.load(2), (err: Error) => err instanceof ImportError && /^line 3: not JSON/.test(err.message));
      assert.equal((await source.load(copies + 2)).header.problem.id, '0');
    } finally {
      await source.close();
      fs.rmSync(file);
    }
  });

  test('a truncated JSON array keeps its complete records and names the cut one', async () => {
    const text = read('processbench', 'gsm8k.json');
    const source = await openTraceSource(disguise('cut.json', text.slice(0, Math.floor(text.length * 0.6))));
    try {
      assert.equal(source.format, 'processbench');
      assert.ok(source.recordCount >= 3 && source.recordCount < 8);
      assert.equal(source.problems.length, 1);
      assert.match(source.problems[0], new RegExp(`^record ${source.recordCount} \\(line \\d+\\): the file ends inside this record`));
      await source.load(source.recordCount - 1);
    } finally {
      await source.close();
    }
  });

  test('a record of the wrong shape is named with what is missing', async () => {
    const records = JSON.parse(read('processbench', 'omnimath.json')) as Record<string, unknown>[];
    delete records[2].steps;
    records[3].label = 99;
    const source = await openTraceSource(disguise('shapes.json', JSON.stringify(records, null, 2)));
    assert.deepEqual(source.problems.map((p) => p.replace(/\(line \d+\)/, '(line N)')), [
      'record 2 (line N): no `steps` field',
      'record 3 (line N): `label` 99 is past the last step (the record has 5 steps, counted from 0)',
    ]);
    assert.equal(source.recordCount, 6);
    await source.close();
  });

  test('what cannot be opened at all says why', async () => {
    const refusals: [string, TraceFormat | undefined, RegExp][] = [
      [path.join(dir, 'missing.jsonl'), undefined, /^no such file or folder$/],
      [disguise('unknown.jsonl', '{"x": 1}\n{"y": 2}\n'), undefined, /^not a trace format Reasonscope reads \(line 1: no problem text/],
      [disguise('prose.txt', 'Some notes.'), 'processbench', /^line 1: not JSON; a processbench file holds JSON records/],
      [disguise('first-record-cut.json', read('processbench', 'gsm8k.json').slice(0, 300)), undefined, /^record 0 \(line 2\): the file ends inside this record/],
      [path.join(FIXTURES, 'thought-anchors'), 'processbench', /is a folder; only thought-anchors traces are folders/],
      [path.join(FIXTURES, 'text', 'solution.md'), 'thought-anchors', /thought-anchors traces are folders/],
      [dir, undefined, /no thought-anchors problem folders/],
    ];
    for (const [file, format, message] of refusals) {
      await assert.rejects(openTraceSource(file, { format }), (err: Error) => err instanceof ImportError && message.test(err.message), `${path.basename(file)} as ${format ?? 'detected'}`);
    }
  });

  test('an empty file has no records and says so', async () => {
    const source = await openTraceSource(disguise('empty.md', '\n\n'));
    assert.equal(source.recordCount, 0);
    assert.deepEqual(source.problems, ['line 1: the file is empty']);
    await assert.rejects(source.load(0), /the file is empty/);
  });

  test('asking for a record that is not there names the range', async () => {
    const source = await openTraceSource(path.join(FIXTURES, 'processbench', 'gsm8k.json'));
    await assert.rejects(source.load(8), (err: Error) => err instanceof ImportError && err.message === 'no record 8: gsm8k.json has 8 (0–7)');
    await assert.rejects(source.label(-1), ImportError);
    await source.close();
  });

  test('a thought-anchors folder without problem.json is listed as a problem, the others open', async () => {
    const root = path.join(dir, 'anchors');
    const from = path.join(FIXTURES, 'thought-anchors', 'deepseek-r1-distill-llama-8b');
    fs.cpSync(from, path.join(root, 'm'), { recursive: true });
    fs.rmSync(path.join(root, 'm', 'incorrect_base_solution', 'problem_2189', 'problem.json'));
    fs.writeFileSync(path.join(root, 'm', 'correct_base_solution', 'problem_6998', 'chunks_labeled.json'), '[{"chunk": "Okay"}, {"chunk":');
    const source = await openTraceSource(root);
    assert.deepEqual(source.problems, ['anchors/m/incorrect_base_solution/problem_2189: no problem.json']);
    assert.equal(source.recordCount, 2);
    await assert.rejects(source.load(0), (err: Error) => err instanceof ImportError && /^anchors\/m\/correct_base_solution\/problem_6998\/chunks_labeled\.json: not JSON/.test(err.message));
    assert.equal((await source.load(1)).header.problem.id, 'problem_6998');
  });
});
