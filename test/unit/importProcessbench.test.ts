/** ProcessBench records open as one chain whose steps show the record's label: correct before the
 * first error, the first error itself, unjudged after it; the final answer shows
 * `final_answer_correct`. Checked on the fixture subset, and on all 3,400 records when the full
 * data is next to the repository. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { openTraceSource } from '../../src/core/trace/import';
import type { StepLabel } from '../../src/core/trace/schema';
import { pathTo, replay } from '../../src/core/trace/tree';

interface ProcessBenchRecord {
  id: string;
  generator: string;
  problem: string;
  steps: string[];
  label: number;
  final_answer_correct: boolean;
}

const FIXTURES = path.resolve('test/fixtures/traces/processbench');
const FULL_DATA = path.resolve('..', 'shared', 'data', 'processbench');
const FILES = ['gsm8k.json', 'math.json', 'olympiadbench.json', 'omnimath.json'];

function expectedLabel(record: ProcessBenchRecord, step: number): StepLabel {
  if (record.label < 0 || step < record.label) return 'correct';
  return step === record.label ? 'first-error' : 'after-error';
}

/** Imports every record of `file` and checks it against the record itself; returns how many. */
async function checkFile(file: string): Promise<number> {
  const records = JSON.parse(fs.readFileSync(file, 'utf8')) as ProcessBenchRecord[];
  const source = await openTraceSource(file);
  try {
    assert.equal(source.format, 'processbench');
    assert.deepEqual(source.problems, []);
    assert.equal(source.recordCount, records.length);
    for (const [i, record] of records.entries()) {
      const run = await source.load(i);
      const tree = replay(run.header, run.events);
      const steps = [...tree.nodes.values()].filter((n) => n.kind === 'step');
      const where = `${path.basename(file)} ${record.id}`;
      assert.equal(run.header.problem.id, record.id, where);
      assert.equal(run.header.problem.text, record.problem, where);
      assert.equal(run.header.backend.model, record.generator, where);
      assert.deepEqual(steps.map((s) => s.text), record.steps, `${where}: one node per step, in order`);
      assert.deepEqual(steps.map((s) => s.depth), record.steps.map((_, k) => k + 1), `${where}: the steps form one chain`);
      assert.deepEqual(steps.map((s) => s.label?.label), record.steps.map((_, k) => expectedLabel(record, k)), `${where}: label ${record.label}`);
      assert.ok(steps.every((s) => s.label?.source === 'processbench'));
      const answered = [...tree.nodes.values()].filter((n) => n.answer);
      assert.equal(answered.length, 1, `${where}: one final answer`);
      assert.equal(answered[0].answer?.correct, record.final_answer_correct, `${where}: final_answer_correct`);
      assert.equal(answered[0].answer?.correctFrom, 'ProcessBench final_answer_correct');
      assert.equal(pathTo(tree, answered[0].id).filter((n) => n.kind === 'step').length, record.steps.length, `${where}: the answer ends the chain`);
    }
    return records.length;
  } finally {
    await source.close();
  }
}

describe('ProcessBench import', () => {
  test('every fixture record has its label on the right step and its final-answer verdict', async () => {
    let count = 0;
    for (const file of FILES) count += await checkFile(path.join(FIXTURES, file));
    assert.equal(count, 32);
  });

  test('every record of the four full ProcessBench files (3,400) has its label on the right step',
    { skip: fs.existsSync(FULL_DATA) ? false : `the full ProcessBench data is not at ${path.relative(process.cwd(), FULL_DATA)} (only the fixture subset was checked)` },
    async () => {
      let count = 0;
      for (const file of FILES) count += await checkFile(path.join(FULL_DATA, file));
      assert.equal(count, 3400);
    });

  test('the picker line gives the id, the model, where the first error is and the verdict', async () => {
    const source = await openTraceSource(path.join(FIXTURES, 'gsm8k.json'));
    assert.match(await source.label(4), /^4 · gsm8k-0 · Qwen2-7B-Instruct · first error at step 2 · final answer wrong · Sue lives/);
    assert.match(await source.label(0), /^0 · gsm8k-200 · Qwen2-7B-Instruct · no error · final answer correct/);
    await source.close();
  });

  test('a chain without a boxed answer keeps its verdict on the last step and says why', async () => {
    const source = await openTraceSource(path.join(FIXTURES, 'gsm8k.json'));
    const run = await source.load(6); // gsm8k-3 ends "So, there are 35 students who like to play video games."
    await source.close();
    const tree = replay(run.header, run.events);
    const last = [...tree.nodes.values()].filter((n) => n.kind === 'step').at(-1);
    assert.deepEqual(last?.answer, { raw: null, normalized: null, correct: false, correctFrom: 'ProcessBench final_answer_correct' });
    assert.match(run.warnings.join('\n'), /no final answer found/);
  });
});
