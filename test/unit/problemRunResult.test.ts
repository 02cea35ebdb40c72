import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import type { ProblemRunResult } from '../../src/server/protocol';
import { parseRunText } from '../../src/core/trace/parse';
import type { RunEvent, RunHeader } from '../../src/core/trace/schema';
import { replay, type RunTree } from '../../src/core/trace/tree';
import { pilotOutcome, pilotTarget } from '../../src/extension/problems/pilot';
import { chainCounts, problemRunResult, recordResult, REMEMBERED_RESULTS, withResult } from '../../src/extension/problems/runResult';

function fixture(name: string, edit: (header: RunHeader, events: RunEvent[]) => { header: RunHeader; events: RunEvent[] } = (header, events) => ({ header, events })): RunTree {
  const run = parseRunText(fs.readFileSync(`test/fixtures/runs/${name}.run.jsonl`, 'utf8'));
  const { header, events } = edit(run.header, [...run.events]);
  return replay(header, events);
}

const where = { uri: 'file:///authoring/p/sum.problem.md', runFile: '/authoring/p/.reasonscope/runs/sum-majority.run.jsonl', finishedAt: new Date('2025-06-02T14:08:00Z') };
const STATEMENT = 'If $f(x) = \\frac{3x-2}{x-2}$, what is the value of $f(-2) +f(-1)+f(0)$? Express your answer as a common fraction.';

function resultOf(tree: RunTree): ProblemRunResult {
  assert.ok(tree.ended);
  return problemRunResult(tree, tree.ended, where);
}

describe('problem run result', () => {
  test('a majority run: answered and correct chains from the run\'s own verdicts, the vote\'s winner', () => {
    // 8 chains: 5 × 14/3 (gold), 2 × 11/3, one without a final answer.
    assert.deepEqual(resultOf(fixture('majority-8')), {
      uri: where.uri,
      statement: STATEMENT,
      runFile: where.runFile,
      model: 'qwen2.5:1.5b',
      strategy: 'majority',
      status: 'completed',
      answered: 7,
      correct: 5,
      majority: '\\frac{14}{3}',
      majorityCorrect: true,
      finishedAt: '2025-06-02T14:08:00.000Z',
    });
  });

  test('the majority is the most-voted answer even when the strategy chose another (MCTS)', () => {
    const result = resultOf(fixture('mcts-12'));
    assert.equal(result.strategy, 'mcts');
    assert.deepEqual([result.answered, result.correct, result.majority, result.majorityCorrect], [4, 1, '\\frac{15}{3}', false]);
  });

  test('a tie goes to the answer the run\'s result names; a cancelled run says so', () => {
    const result = resultOf(fixture('best-of-6-cancelled'));
    assert.deepEqual([result.status, result.answered, result.correct, result.majority, result.majorityCorrect], ['cancelled', 2, 1, '\\frac{15}{3}', false]);
  });

  test('without a gold answer nothing is graded: correct and majorityCorrect are absent', () => {
    const tree = fixture('majority-8', (header, events) => ({
      header: { ...header, problem: { ...header.problem, answer: undefined } },
      events: events.map((e) => (e.type === 'answer_extracted' ? { ...e, correct: undefined, reason: undefined } : e)),
    }));
    const result = resultOf(tree);
    assert.equal(result.answered, 7);
    assert.equal(result.majority, '\\frac{14}{3}');
    assert.ok(!('correct' in result) && !('majorityCorrect' in result));
  });

  test('a run with no answer at all has no majority', () => {
    const tree = fixture('majority-8', (header, events) => ({
      header,
      events: events.map((e) => (e.type === 'answer_extracted' ? { ...e, raw: null, normalized: null, correct: false } : e)),
    }));
    const result = resultOf(tree);
    assert.deepEqual([result.answered, result.correct, result.majority], [0, 0, undefined]);
    assert.deepEqual(chainCounts(tree), { answered: 0, correct: 0, noAnswer: 8, failed: 0 });
  });

  test('failed chains are counted apart from chains without an answer', () => {
    const tree = fixture('majority-8', (header, events) => {
      const end = events.findIndex((e) => e.type === 'run_ended');
      events.splice(end, 0, { type: 'sample_failed', t: 6940, sample: 8, message: 'HTTP 500' });
      return { header, events };
    });
    assert.deepEqual(chainCounts(tree), { answered: 7, correct: 5, noAnswer: 1, failed: 1 });
  });
});

describe('remembered results', () => {
  const result = (uri: string, runFile = `${uri}.run.jsonl`): ProblemRunResult => ({ ...resultOf(fixture('majority-8')), uri, runFile });

  test('newest first; a problem\'s new result replaces its old one', () => {
    let all = withResult([], result('a'));
    all = withResult(all, result('b'));
    all = withResult(all, result('a', 'a2.run.jsonl'));
    assert.deepEqual(all.map((r) => [r.uri, r.runFile]), [['a', 'a2.run.jsonl'], ['b', 'b.run.jsonl']]);
  });

  test('the records of a problem set are remembered apart, by line; a problem file by its uri alone', () => {
    let all = withResult([], result('set'));
    all = withResult(all, { ...result('set', 'l2.run.jsonl'), line: 2 });
    all = withResult(all, { ...result('set', 'l3.run.jsonl'), line: 3 });
    all = withResult(all, { ...result('set', 'l2b.run.jsonl'), line: 2 });
    assert.deepEqual(all.map((r) => [r.line, r.runFile]), [[2, 'l2b.run.jsonl'], [3, 'l3.run.jsonl'], [undefined, 'set.run.jsonl']]);
    assert.equal(problemRunResult(fixture('majority-8'), fixture('majority-8').ended!, { ...where, line: 7 }).line, 7);
    assert.ok(!('line' in resultOf(fixture('majority-8'))), 'a problem file\'s result has no line');
  });

  test('Open Last Run at the cursor: the record\'s run follows it by statement when lines moved, as its lens does', () => {
    const run = (line: number, statement: string) => ({ ...result('set', `l${line}.run.jsonl`), line, statement });
    const results = [run(1, 'What is $1+1$?'), run(2, 'What is $2+2$?')];
    const before = '{"problem": "What is $1+1$?"}\n{"problem": "What is $2+2$?"}\n';
    assert.equal(recordResult(before, 'set.jsonl', 2, results)?.runFile, 'l2.run.jsonl');
    // A record inserted at the top: the runs are on lines 2 and 3 now, and the new line 1 has none.
    const moved = `{"problem": "New"}\n${before}`;
    assert.deepEqual([1, 2, 3].map((line) => recordResult(moved, 'set.jsonl', line, results)?.runFile), [undefined, 'l1.run.jsonl', 'l2.run.jsonl']);
    // The record itself edited: its run stays on its line (the server shows it as changed).
    assert.equal(recordResult('{"problem": "What is $1+1$?"}\n{"problem": "What is $2+3$?"}\n', 'set.jsonl', 2, results)?.runFile, 'l2.run.jsonl');
    assert.equal(recordResult(before, 'set.jsonl', 3, results), undefined);
  });

  test(`capped at ${REMEMBERED_RESULTS}: the oldest problems are forgotten`, () => {
    let all: ProblemRunResult[] = [];
    for (let i = 0; i < REMEMBERED_RESULTS + 5; i++) all = withResult(all, result(`p${i}`));
    assert.equal(all.length, REMEMBERED_RESULTS);
    assert.equal(all[0].uri, `p${REMEMBERED_RESULTS + 4}`);
    assert.equal(all.at(-1)?.uri, 'p5');
  });
});

describe('difficulty pilot outcome', () => {
  const date = new Date(2025, 5, 2, 23, 30);

  test('the pass rate is over the chains that answered; the others are named, not counted', () => {
    const outcome = pilotOutcome(chainCounts(fixture('majority-8')), 'qwen2.5:1.5b', date);
    assert.equal(outcome.estimate?.bin, 'easy');
    assert.deepEqual([outcome.estimate?.correct, outcome.estimate?.total], [5, 7]);
    assert.equal(outcome.message, 'Estimated difficulty: easy for qwen2.5:1.5b (5/7 correct, 95% CI 36–92%); not counted: 1 chain without a final answer.');
    assert.ok(outcome.estimate);
    assert.equal(outcome.comment, 'qwen2.5:1.5b: 5/7 correct, pilot of 2025-06-02');
  });

  test('the brief\'s example, with failures and missing answers in the plural', () => {
    const outcome = pilotOutcome({ answered: 8, correct: 2, noAnswer: 2, failed: 3 }, 'qwen2.5:1.5b', date);
    assert.equal(outcome.message, 'Estimated difficulty: hard for qwen2.5:1.5b (2/8 correct, 95% CI 7–59%); not counted: 3 chains failed, 2 chains without a final answer.');
  });

  test('all chains answered: nothing to mention', () => {
    const outcome = pilotOutcome(chainCounts(fixture('recorded-majority-8')), 'qwen2.5:1.5b', date);
    assert.equal(outcome.message, 'Estimated difficulty: easy for qwen2.5:1.5b (7/8 correct, 95% CI 53–98%).');
  });

  test('no answered chain or nothing to grade against: no estimate', () => {
    const none = pilotOutcome({ answered: 0, correct: 0, noAnswer: 6, failed: 2 }, 'm', date);
    assert.equal(none.estimate, undefined);
    assert.equal(none.message, 'no chain of the pilot gave a final answer (2 chains failed, 6 chains without a final answer); no difficulty estimated.');
    assert.equal(pilotOutcome({ answered: 4, noAnswer: 0, failed: 0 }, 'm', date).estimate, undefined);
  });
});

describe('writing a pilot\'s difficulty after the file changed', () => {
  const piloted = { text: 'What is $1+2$?', answer: '3' };
  const file = { fileName: 'sum.problem.md' };
  const record = { fileName: 'set.jsonl', line: 2 };
  const stale = (target: { line?: number } | { stale: string }) => ('stale' in target ? target.stale : '');

  test('edits elsewhere (other keys, layout, a difficulty already there) still fit', () => {
    assert.deepEqual(pilotTarget('---\nanswer: 3\n---\nWhat is $1+2$?\n', file, piloted), {});
    assert.deepEqual(pilotTarget('---\r\nanswer: "3"\r\nlevel: 1\r\ndifficulty: easy\r\n---\r\n\r\nWhat is $1+2$?\r\n', file, piloted), {});
    // A record: other records and keys may change; its statement is compared decoded.
    assert.deepEqual(pilotTarget('{"problem": "Other"}\r\n{"problem": "What is $1+2$?", "answer": "3", "difficulty": "easy"}\r\n', record, piloted), { line: 2 });
    assert.deepEqual(pilotTarget('{"problem": "Changed"}\n{"answer": "3", "problem": "What is \\u00241+2$?"}\n', record, piloted), { line: 2 });
  });

  test('a record moved by lines inserted or deleted above it is written where it is now', () => {
    assert.deepEqual(pilotTarget('{"problem": "x"}\n{"problem": "new"}\n{"problem": "What is $1+2$?", "answer": "3"}\n', record, piloted), { line: 3 });
    assert.deepEqual(pilotTarget('{"problem": "What is $1+2$?", "answer": "3"}\n{"problem": "x"}\n', record, piloted), { line: 1 });
    // Its own line first, even when the set repeats the problem elsewhere.
    assert.deepEqual(pilotTarget('{"problem": "What is $1+2$?", "answer": "3"}\n{"problem": "What is $1+2$?", "answer": "3"}\n', record, piloted), { line: 2 });
  });

  test('a changed statement or answer does not: the chains saw the old one', () => {
    assert.match(stale(pilotTarget('---\nanswer: 3\n---\nWhat is $1+3$?\n', file, piloted)), /statement changed/);
    assert.match(stale(pilotTarget('---\nanswer: 4\n---\nWhat is $1+2$?\n', file, piloted)), /answer changed/);
    assert.match(stale(pilotTarget('---\nanswer: [\n---\nWhat is $1+2$?\n', file, piloted)), /no longer reads/);
    assert.match(stale(pilotTarget('{"problem": "x"}\n{"problem": "What is $1+3$?", "answer": "3"}\n', record, piloted)), /statement changed/);
    assert.match(stale(pilotTarget('{"problem": "x"}\n{"problem": "What is $1+2$?", "answer": 4}\n', record, piloted)), /answer changed/);
    assert.match(stale(pilotTarget('{"problem": "x"}\n{"problem": "What is $1+2$?", "answer": "3"\n', record, piloted)), /line 2 no longer reads as a problem record, and no other record holds the piloted statement/);
  });

  test('moved to where several records hold it: not written, and the message names their lines', () => {
    const twice = '{"problem": "x"}\n{"problem": "y"}\n{"problem": "What is $1+2$?", "answer": "3"}\n{"problem": "What is $1+2$?", "answer": "3"}\n';
    assert.equal(stale(pilotTarget(twice, record, piloted)), 'the piloted problem is on 2 lines (3, 4), so which record it was is unclear');
  });
});
