/** Every imported run is a valid run file: each line validates against media/run.schema.json (what
 * VS Code checks run files with), every event names a node that exists, and the run survives being
 * written and read back. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { openTraceSource, type ImportedRun } from '../../src/core/trace/import';
import { readRunFile, RunWriter } from '../../src/core/trace/runFile';
import { replay } from '../../src/core/trace/tree';
import { tempDir } from '../support/helpers';

const FIXTURES = path.resolve('test/fixtures/traces');
/** Every trace fixture: the files of each format folder, and the thought-anchors folder as one source. */
const SOURCES = [
  ...['processbench', 'prm800k', 'r1-chat', 'long-cot', 'generic', 'text'].flatMap((folder) =>
    fs.readdirSync(path.join(FIXTURES, folder)).map((name) => path.join(FIXTURES, folder, name))),
  path.join(FIXTURES, 'thought-anchors'),
];
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync('media/run.schema.json', 'utf8')));

function checkRun(run: ImportedRun, where: string): void {
  for (const line of [run.header, ...run.events]) assert.ok(validate(line), `${where}: ${line.type}: ${JSON.stringify(validate.errors)}`);
  assert.equal(run.header.backend.kind, 'imported');
  assert.match(run.header.importedFrom ?? '', /^[a-z0-9-]+:.+#\d+$/, `${where}: importedFrom names format, file and record`);
  const tree = replay(run.header, run.events);
  assert.equal(tree.nodes.size, run.events.filter((e) => e.type === 'node_added').length, `${where}: unique node ids`);
  for (const e of run.events) {
    if ('id' in e && e.id !== undefined) assert.ok(tree.nodes.has(e.id), `${where}: ${e.type} names node ${e.id}, which exists`);
    if (e.type === 'node_added' && e.parent !== null) assert.ok(tree.nodes.has(e.parent), `${where}: ${e.id}'s parent comes first`);
  }
  assert.equal(tree.ended?.status, 'completed');
  assert.deepEqual(tree.warnings, run.warnings, `${where}: warnings travel with the run`);
}

test('every record of every trace fixture is a valid run that replays and round-trips through a run file', async () => {
  const out = tempDir('reasonscope-import-schema-');
  let runs = 0;
  for (const file of SOURCES) {
    const source = await openTraceSource(file);
    try {
      assert.deepEqual(source.problems, [], path.basename(file));
      for (let i = 0; i < source.recordCount; i++) {
        const where = `${path.relative(FIXTURES, file)} #${i}`;
        const run = await source.load(i);
        checkRun(run, where);
        const saved = path.join(out, `${runs++}.run.jsonl`);
        const writer = RunWriter.create(saved, run.header);
        for (const e of run.events) writer.write(e);
        writer.close();
        const reread = await readRunFile(saved);
        assert.deepEqual({ header: reread.header, events: reread.events }, { header: run.header, events: run.events }, where);
      }
    } finally {
      await source.close();
    }
  }
  assert.equal(runs, 32 + 2 + 3 + 3 + 2 + 2 + 3);
});

test('importing the same record twice gives the same run', async () => {
  const file = path.join(FIXTURES, 'prm800k', 'phase-samples.jsonl');
  const [a, b] = await Promise.all([0, 1].map(async () => {
    const source = await openTraceSource(file);
    const run = await source.load(1);
    await source.close();
    return run;
  }));
  assert.deepEqual(a, b);
});
