import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseDataset } from '../../src/core/problem/dataset';
import { problemStem, readProblem } from '../../src/extension/problems/read';

const SET = fs.readFileSync(path.resolve(__dirname, '../fixtures/authoring/set.jsonl'), 'utf8');

test('a record of a problem set is read as the dataset reader reads it: statement decoded and trimmed, answer, id', () => {
  const { records } = parseDataset(SET);
  assert.ok(records.length >= 2);
  for (const { line, record } of records) {
    assert.deepEqual(readProblem(SET, { fileName: 'set.jsonl', line }), { id: record.unique_id, answer: record.answer, text: record.problem.trim() });
  }
  assert.deepEqual(readProblem('{"question": " What is $1+1$?\\n", "gt": 2, "idx": 7}\r\n', { fileName: 'gsm.jsonl', line: 1 }), { id: '7', answer: '2', text: 'What is $1+1$?' });
  assert.deepEqual(readProblem('{"problem": "What is $2+2$?", "answer": " "}\n', { fileName: 'set.jsonl', line: 1 }), { text: 'What is $2+2$?' }, 'an empty answer is no answer, as in a problem file');
  assert.deepEqual(readProblem('{"problem": "What is $1+1$?"}', { fileName: 'q.jsonl', line: 1 }), { text: 'What is $1+1$?' });
});

test('no problem there: the message says why', () => {
  const set = '{"problem": "a"}\n\n{"problem": "b"\n{"problem": "  ", "answer": "1"}\n';
  assert.throws(() => readProblem(set, { fileName: 'set.jsonl', line: 2 }), /line 2 holds no record: put the cursor on a record/);
  assert.throws(() => readProblem(set, { fileName: 'set.jsonl', line: 3 }), /line 3: Not JSON/);
  assert.throws(() => readProblem(set, { fileName: 'set.jsonl', line: 4 }), /line 4 has no "problem" text/);
  assert.throws(() => readProblem('{"steps": ["a"], "problem": "b"}\n', { fileName: 'trace.jsonl', line: 1 }), /not a problem set/);
  // A problem file is read whole, as before.
  assert.deepEqual(readProblem('---\nanswer: 3\n---\nWhat is $1+2$?\n', { fileName: 'sum.problem.md' }), { answer: '3', level: undefined, subject: undefined, source: undefined, tags: undefined, id: undefined, text: 'What is $1+2$?' });
});

test('run file names: the record id made path-safe as convert names files, else <set>-line<N>', () => {
  assert.equal(problemStem({ fileName: 'set.jsonl', line: 2 }, 'test/algebra/2584.json'), 'algebra-2584');
  assert.equal(problemStem({ fileName: 'set.jsonl', line: 2 }, 'a b/c?'), 'a-b-c');
  assert.equal(problemStem({ fileName: 'My Set.JSONL', line: 12 }), 'My Set-line12');
  assert.equal(problemStem({ fileName: 'set.jsonl', line: 3 }, '///'), 'set-line3');
  assert.equal(problemStem({ fileName: 'sum.problem.md' }, 'ignored'), 'sum.problem');
});
