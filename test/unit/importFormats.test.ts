/** Each importer on real traces (test/fixtures/traces): what a user sees in the tree — the chain of
 * steps, labels and tags on them, alternatives, the final answer and where its verdict comes from. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { openTraceSource, type ImportedRun } from '../../src/core/trace/import';
import { parseRunText } from '../../src/core/trace/parse';
import { replay, type RunTree, type TreeNode } from '../../src/core/trace/tree';
import { tempDir } from '../support/helpers';

const FIXTURES = path.resolve('test/fixtures/traces');
const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);

async function importRecord(file: string, index = 0): Promise<{ run: ImportedRun; tree: RunTree }> {
  const source = await openTraceSource(file);
  try {
    const run = await source.load(index);
    return { run, tree: replay(run.header, run.events) };
  } finally {
    await source.close();
  }
}

const nodes = (tree: RunTree) => [...tree.nodes.values()];
/** The steps of chain `sample`, in order. */
const chain = (tree: RunTree, sample = 0) => nodes(tree).filter((n) => n.kind === 'step' && n.sample === sample);
const answerOf = (tree: RunTree, sample = 0): TreeNode['answer'] => nodes(tree).find((n) => n.sample === sample && n.answer)?.answer;

describe('PRM800K', () => {
  const file = fixture('prm800k', 'phase-samples.jsonl');

  test('the chosen completions form the chain; rated alternatives branch off, pruned, with their ratings', async () => {
    const { tree } = await importRecord(file, 0);
    assert.deepEqual(chain(tree).map((n) => [n.label?.label, n.label?.rating]), [['neutral', 0], ['neutral', 0]]);
    const alternatives = nodes(tree).filter((n) => n.status === 'pruned');
    assert.equal(alternatives.length, 5, 'all five completions rated at the step where labeling stopped');
    assert.ok(alternatives.every((n) => n.parent === 's0.1' && n.sample === undefined));
    assert.deepEqual(alternatives.map((n) => n.label?.rating), [-1, 0, -1, 0, 0]);
    assert.match(alternatives[0].text, /2\^9\\cdot 5\^4/, 'the pre-generated step the labeler rated -1');
    assert.equal(tree.header.problem.answer, '40,\\!000');
  });

  test('a labeler-written step is marked as such and counts as correct; "# Answer" is the final answer', async () => {
    const { tree } = await importRecord(file, 1);
    const steps = chain(tree);
    assert.equal(steps.length, 4);
    assert.deepEqual(steps[1].tags, ['human-written']);
    assert.deepEqual(steps[1].label, { label: 'correct', source: 'prm800k', rating: undefined });
    assert.deepEqual(nodes(tree).filter((n) => n.status === 'pruned').map((n) => [n.parent, n.label?.label, n.tags]), [
      ['s0.0', 'incorrect', undefined], ['s0.0', 'incorrect', undefined], ['s0.1', 'incorrect', ['flagged']],
    ]);
    assert.deepEqual(answerOf(tree), { raw: '1260', normalized: '1260', rule: 'answer-block', correct: true, correctFrom: 'PRM800K finish_reason "solution"' });
  });
});

describe('R1-style chats', () => {
  const file = fixture('r1-chat', 'thought-anchors-chats.jsonl');

  test('the thinking becomes tagged paragraph steps, the visible solution follows, the answer is checked against gold', async () => {
    const { tree } = await importRecord(file, 0);
    const steps = chain(tree);
    const thinking = steps.filter((s) => s.tags?.includes('thinking'));
    assert.ok(thinking.length > 20 && thinking.length < steps.length, 'thinking steps, then solution steps');
    assert.ok(steps.indexOf(thinking.at(-1) as TreeNode) < steps.findIndex((s) => !s.tags), 'the solution comes after the thinking');
    assert.match(steps[0].text, /^Okay, so I have this problem/);
    assert.deepEqual(answerOf(tree), { raw: '2865', normalized: '2865', rule: 'boxed', correct: true, reason: 'identical after normalisation' }, 'graded against the gold answer, not by the source');
  });

  test('messages with <think>, reasoning_content apart, and ShareGPT conversations all read', async () => {
    const withTags = await importRecord(file, 0);
    const apart = await importRecord(file, 2);
    assert.deepEqual(chain(apart.tree).map((n) => [n.text, n.tags]), chain(withTags.tree).map((n) => [n.text, n.tags]),
      'the same trace gives the same steps however the thinking is delivered');
    const shareGpt = await importRecord(file, 1);
    assert.equal(shareGpt.tree.header.problem.answer, '588');
    assert.ok(chain(shareGpt.tree).some((s) => s.tags?.includes('thinking')), 'a reply that only closes </think> still has its thinking');
    assert.equal(answerOf(shareGpt.tree)?.correct, false, '282240 is not the gold 588');
  });

  test('a wall of thinking without blank lines is cut into sentences', async () => {
    const [first] = fs.readFileSync(file, 'utf8').split('\n');
    const record = JSON.parse(first) as { messages: { role: string; content: string }[] };
    const reply = record.messages[1];
    reply.content = reply.content.replace(/\s*\n\s*/g, ' ').replace('</think>', '\n</think>\n\n');
    const wall = path.join(tempDir(), 'wall.jsonl');
    fs.writeFileSync(wall, JSON.stringify(record));
    const { tree } = await importRecord(wall);
    const thinking = chain(tree).filter((s) => s.tags?.includes('thinking'));
    assert.ok(thinking.length > 40, `one step per sentence (${thinking.length})`);
    assert.ok(thinking.every((s) => s.text.length < 600 && !/[.!?] [A-Z]/.test(s.text.slice(0, -1))), 'no step holds two sentences');
    assert.equal(answerOf(tree)?.raw, '2865');
  });
});

describe('thought-anchors folders', () => {
  test('a folder of problem folders lists each solution, a problem\'s correct and incorrect ones together', async () => {
    const source = await openTraceSource(fixture('thought-anchors'));
    assert.equal(source.format, 'thought-anchors');
    const labels = await Promise.all([0, 1, 2].map((i) => source.label(i)));
    await source.close();
    assert.deepEqual(labels.map((l) => l.split(' · ').slice(0, 3).join(' · ')), [
      '0 · problem_2189 · incorrect solution', '1 · problem_6998 · correct solution', '2 · problem_6998 · incorrect solution',
    ]);
    assert.match(labels[1], /64 chunks · answer 2865 ✓/);
  });

  test('chunks become steps with their function tags and importance scores; the verdict is is_correct', async () => {
    const folder = fixture('thought-anchors', 'deepseek-r1-distill-llama-8b', 'correct_base_solution', 'problem_6998');
    const chunks = JSON.parse(fs.readFileSync(path.join(folder, 'chunks_labeled.json'), 'utf8')) as { chunk: string; function_tags: string[]; resampling_importance_accuracy: number; counterfactual_importance_accuracy: number }[];
    const { tree } = await importRecord(folder);
    const steps = chain(tree);
    assert.deepEqual(steps.map((s) => s.text), chunks.map((c) => c.chunk));
    assert.deepEqual(steps.map((s) => s.tags), chunks.map((c) => c.function_tags));
    assert.deepEqual(steps.map((s) => s.scores['importance.resampling']), chunks.map((c) => c.resampling_importance_accuracy));
    assert.deepEqual(steps.map((s) => s.scores['importance.counterfactual']), chunks.map((c) => c.counterfactual_importance_accuracy));
    assert.equal(tree.header.backend.model, 'deepseek-r1-distill-llama-8b');
    assert.deepEqual(answerOf(tree), { raw: '2865', normalized: '2865', correct: true, correctFrom: 'thought-anchors base_solution.json is_correct' });
  });
});

describe('generic JSONL', () => {
  test('Sky-T1 long traces: thinking sections, the record\'s own answer and score', async () => {
    const file = fixture('long-cot', 'sky-t1-32b-aime24-sample.jsonl');
    const complete = await importRecord(file, 0);
    assert.ok(chain(complete.tree).some((s) => s.tags?.includes('thinking')) && chain(complete.tree).some((s) => !s.tags));
    assert.deepEqual(answerOf(complete.tree), { raw: '204', normalized: '204', correct: true, correctFrom: 'the record\'s score field' });
    const cut = await importRecord(file, 1);
    assert.match(cut.run.warnings.join('\n'), /thinking section never closes/);
    assert.ok(chain(cut.tree).every((s) => s.tags?.includes('thinking')), 'a trace cut off mid-thought is all thinking');
    assert.equal(answerOf(cut.tree)?.correct, false);
    assert.equal(cut.tree.header.problem.answer, '104');
  });

  test('a record with 8 responses is 8 chains with their answers, verdicts and reward scores', async () => {
    const file = fixture('generic', 'qwen2.5-math-7b-math-cot-sample.jsonl');
    const record = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[1]) as { pred_score: [number][] };
    const { tree, run } = await importRecord(file, 1);
    assert.equal(run.header.strategy.params.n, 8);
    const leaves = nodes(tree).filter((n) => n.kind === 'answer');
    assert.equal(leaves.length, 8);
    assert.ok(leaves.every((n) => n.answer?.normalized === '\\frac{1}{9}' && n.answer.correct === true));
    assert.deepEqual(leaves.map((n) => n.scores['record.pred_score']), record.pred_score.map(([score]) => score));
    assert.deepEqual(tree.ended?.result, { answer: '\\frac{1}{9}', votes: { '\\frac{1}{9}': 8 }, correct: true });
  });

  test('MATH-500 rows ({problem, solution, answer}) open with the solution checked against the answer', async () => {
    const source = await openTraceSource(path.resolve('test/fixtures/math500-sample.jsonl'));
    assert.equal(source.format, 'generic-jsonl');
    assert.equal(source.recordCount, 12);
    for (let i = 0; i < source.recordCount; i++) {
      const run = await source.load(i);
      assert.equal(replay(run.header, run.events).ended?.result?.correct, true, `record ${i}: the reference solution matches its answer`);
    }
    await source.close();
  });
});

describe('text and run files', () => {
  test('Markdown: "# Problem" is the problem, paragraphs are steps, headings stay with their paragraph', async () => {
    const { tree } = await importRecord(fixture('text', 'solution.md'));
    assert.match(tree.header.problem.text, /^A regular hexagon can be divided/);
    assert.match(chain(tree)[0].text, /^## Solution\n\nThe side length/);
    assert.equal(answerOf(tree)?.raw, '42');
  });

  test('a plain-text R1 trace: "Problem:" line, then <think> steps and the answer', async () => {
    const { tree, run } = await importRecord(fixture('text', 'r1-trace.txt'));
    assert.match(tree.header.problem.text, /^A mother purchases 5 blue plates/);
    assert.ok(chain(tree)[0].tags?.includes('thinking'));
    assert.equal(answerOf(tree)?.raw, '282240');
    assert.deepEqual(run.warnings, []);
  });

  test('a run file opens as itself, unchanged', async () => {
    const file = path.resolve('test/fixtures/runs/majority-8.run.jsonl');
    const { run } = await importRecord(file);
    const parsed = parseRunText(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(run, { header: parsed.header, events: parsed.events, warnings: [] });
  });
});
