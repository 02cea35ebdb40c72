import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { formatProblemFile, parseDataset, problemFileName, problemToRecord, recordToProblem } from '../../src/core/problem/dataset';
import { parseProblemFile } from '../../src/core/problem/problemFile';
import { tempDir } from '../support/helpers';

const MATH500 = 'media/samples/math500.jsonl';

test('the shipped MATH-500 reads as 500 complete records', () => {
  const { records, problems } = parseDataset(fs.readFileSync(MATH500, 'utf8'));
  assert.deepEqual(problems, []);
  assert.equal(records.length, 500);
  assert.ok(records.every((r) => r.record.answer && r.record.unique_id && r.record.level && r.record.subject));
  assert.equal(new Set(records.map((r) => problemFileName(recordToProblem(r.record), 0))).size, 500, 'file names are unique');
});

test('every MATH-500 record survives record -> problem file -> record', () => {
  for (const { record } of parseDataset(fs.readFileSync(MATH500, 'utf8')).records) {
    const back = parseProblemFile(formatProblemFile(recordToProblem(record, 'MATH-500')));
    assert.equal(back.text, record.problem.trim());
    assert.equal(back.answer, record.answer, `answer of ${record.unique_id}`);
    assert.equal(back.level, record.level);
    assert.equal(back.id, record.unique_id);
    assert.deepEqual(problemToRecord(back), { problem: record.problem.trim(), answer: record.answer, subject: record.subject, level: record.level, unique_id: record.unique_id, source: 'MATH-500' });
  }
});

test('bad lines are reported by line number and the good ones kept', () => {
  const text = ['{"problem":"What is $1+1$?","answer":"2"}', '{oops', '{"answer":"3"}', '', '{"question":"Compute $2^3$.","gt":"8","level":"Level 2"}'].join('\n');
  const { records, problems } = parseDataset(text);
  assert.deepEqual(problems, ['line 2: not JSON', 'line 3: no `problem` (or `question`) text']);
  assert.deepEqual(records.map((r) => [r.line, r.record.answer, r.record.level]), [[1, '2', undefined], [5, '8', 2]]);
});

test('reasonscope convert: JSONL -> problem files -> JSONL gives the same records', () => {
  const dir = tempDir();
  const tsx = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', tsx, path.resolve('src/cli/main.ts'), 'convert', ...args], { encoding: 'utf8', cwd: dir });
  const toFiles = cli(path.resolve(MATH500), 'problems');
  assert.equal(toFiles.status, 0, toFiles.stderr);
  assert.match(toFiles.stdout, /Wrote 500 problem files/);
  assert.equal(fs.readdirSync(path.join(dir, 'problems')).length, 500);
  const back = cli('problems', 'again.jsonl');
  assert.equal(back.status, 0, back.stderr);
  const original = parseDataset(fs.readFileSync(MATH500, 'utf8')).records.map((r) => r.record.unique_id).sort();
  const again = parseDataset(fs.readFileSync(path.join(dir, 'again.jsonl'), 'utf8')).records;
  assert.deepEqual(again.map((r) => r.record.unique_id).sort(), original);
  assert.equal(cli('problems', 'again.jsonl').status, 2, 'refuses to overwrite without --force');
});
