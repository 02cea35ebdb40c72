/** Branch here, Resample from here and Inject "Wait" here against the test server: each appends a
 * new lane to the run file, leaving what was logged as it was, and the file replays into the same
 * tree plus the branch — hanging from the right node, graded and grouped like the run's own answers;
 * lane names never collide, even for branches started together; the same branch is written again by
 * a deterministic server; imported and unfinished runs are refused. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gradeAnswer } from '../../src/core/answer/grade';
import { OllamaBackend } from '../../src/core/model/ollama';
import { branchRun, nextBranchLane, type BranchResult } from '../../src/core/search/branch';
import { readRunFile } from '../../src/core/trace/runFile';
import type { RunEvent } from '../../src/core/trace/schema';
import { replay, type RunTree } from '../../src/core/trace/tree';
import { tempDir } from '../support/helpers';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { runSearch, shape } from '../support/searchRun';

describe('branching a logged run against the test server', () => {
  let server: TestServer;
  let original: string;
  let originalText: string;
  let originalTree: RunTree;

  before(async () => {
    server = await startTestServer({ seed: 6, errorRate: 0.5 });
    const run = await runSearch(server, { strategy: 'majority', params: { n: 2 }, model: 'qwen2.5:1.5b', sampling: { seed: 4, temperature: 0.8, maxTokens: 400 }, logprobs: true, topLogprobs: 3 });
    original = run.outFile;
    originalText = fs.readFileSync(original, 'utf8');
    originalTree = replay(run.logged.header, run.logged.events);
  });
  after(() => server.close());

  /** A fresh copy of the recorded run, so each test branches its own file. */
  const copy = (): string => {
    const file = path.join(tempDir(), 'run.run.jsonl');
    fs.copyFileSync(original, file);
    return file;
  };
  const backend = () => new OllamaBackend(server.url);

  test('Branch here: a new lane after the step, appended; the file replays into the same tree plus the branch', async () => {
    const file = copy();
    const live: RunEvent[] = [];
    let shownBefore = 0;
    const result = await branchRun(file, { kind: 'branch', nodeId: 's0.1' }, {
      backend: backend(),
      onReady: (recorder) => {
        shownBefore = recorder.events.length;
        recorder.onEvent((e) => live.push(e));
      },
    });
    const after = fs.readFileSync(file, 'utf8');
    assert.ok(after.startsWith(originalText), 'what the run had logged stays as it was');
    const logged = await readRunFile(file);
    assert.equal(shownBefore, originalTree.eventCount, 'the view gets the run as logged before the branch grows');
    assert.deepEqual(logged.events.slice(shownBefore), live, 'every appended event reached the live view');
    const tree = replay(logged.header, logged.events);
    const before = new Set(shape(originalTree));
    assert.deepEqual(shape(tree).filter((s) => !before.has(s)).map((s) => JSON.parse(s)[0]).sort(), [...result.ids, result.answer, 's0.1'].sort(),
      'only the branch is new (and its parent gains a child)');
    assert.equal(result.lane, 'branch1');
    assert.equal(result.parent, 's0.1');
    assert.equal(tree.nodes.get('branch1.0')?.parent, 's0.1');
    assert.ok(result.answer, 'the branch went on to a final answer');
    const leaf = tree.nodes.get(result.answer);
    assert.equal(leaf?.parent, result.ids.at(-1));
    const groups = [...originalTree.nodes.values()].flatMap((n) => (n.answer?.normalized ? [n.answer.normalized] : []));
    const same = groups.find((g) => gradeAnswer(g, leaf?.answer?.raw ?? '').equal);
    assert.equal(leaf?.answer?.normalized, same ?? leaf?.answer?.normalized, 'an answer the run already has joins its group, under its label');
    assert.equal(typeof leaf?.answer?.correct, 'boolean', 'graded against the gold answer like the run\'s own');
    assert.equal(tree.ended?.status, originalTree.ended?.status, 'the run\'s own result stands');
  });

  test('Resample from here writes the step again from the steps before it; Inject "Wait" continues after it with the trigger', async () => {
    const file = copy();
    const resample = await branchRun(file, { kind: 'resample', nodeId: 's1.1' }, { backend: backend() });
    const wait = await branchRun(file, { kind: 'wait', nodeId: 's1.1' }, { backend: backend() });
    const logged = await readRunFile(file);
    const tree = replay(logged.header, logged.events);
    assert.equal(resample.lane, 'resample1');
    assert.equal(tree.nodes.get('resample1.0')?.parent, 's1.0', 'the resampled step hangs beside the original');
    assert.equal(wait.lane, 'wait2', 'lane numbers count across kinds');
    const injected = tree.nodes.get('wait2.0');
    assert.equal(injected?.parent, 's1.1');
    assert.ok(injected?.text.startsWith('Wait,'), injected?.text);
    assert.deepEqual(injected?.tags, ['injected']);
    const chat = server.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as { messages: { role: string; content: string }[] };
    const steps = ['s1.0', 's1.1'].map((id) => tree.nodes.get(id)?.text);
    assert.equal(chat.messages.at(-1)?.content, `${steps.join('\n\n')}\n\nWait,`, 'the model continues the chain up to the step, then the trigger');
  });

  test('branches started together on one file run one after the other, under different lanes', async () => {
    const file = copy();
    const results = await Promise.all([0, 1, 2].map(() => branchRun(file, { kind: 'branch', nodeId: 's0.0' }, { backend: backend() })));
    assert.deepEqual(results.map((r) => r.lane), ['branch1', 'branch2', 'branch3']);
    const logged = await readRunFile(file);
    const tree = replay(logged.header, logged.events);
    const ids = results.flatMap((r: BranchResult) => r.ids);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.ok(tree.nodes.has(id));
    assert.equal(logged.tornTail, false);
  });

  test('the same branch of the same log is written again by a deterministic server', async () => {
    const [a, b] = [copy(), copy()];
    const ra = await branchRun(a, { kind: 'branch', nodeId: 's0.0' }, { backend: backend() });
    const rb = await branchRun(b, { kind: 'branch', nodeId: 's0.0' }, { backend: backend() });
    const text = async (file: string, r: BranchResult) => {
      const logged = await readRunFile(file);
      const tree = replay(logged.header, logged.events);
      return r.ids.map((id) => tree.nodes.get(id)?.text);
    };
    assert.deepEqual(await text(a, ra), await text(b, rb));
  });

  test('lane names never collide with lanes the log has', () => {
    assert.equal(nextBranchLane(['root', 's0.0', 's1.3', 'b2.1.0.0'], 'branch'), 'branch1');
    assert.equal(nextBranchLane(['branch1.0', 'wait7.2', 'resample3.answer'], 'resample'), 'resample8');
  });

  test('imported traces and runs that have not ended are refused, the file untouched', async () => {
    const unfinished = copy();
    const cut = originalText.split('\n').filter((l) => l && !l.includes('"run_ended"')).join('\n') + '\n';
    fs.writeFileSync(unfinished, cut);
    await assert.rejects(branchRun(unfinished, { kind: 'branch', nodeId: 's0.0' }, { backend: backend() }), /has not ended/);
    assert.equal(fs.readFileSync(unfinished, 'utf8'), cut);
    const imported = copy();
    const lines = originalText.split('\n');
    const header = JSON.parse(lines[0]);
    fs.writeFileSync(imported, [JSON.stringify({ ...header, importedFrom: 'processbench', backend: { ...header.backend, kind: 'imported' } }), ...lines.slice(1)].join('\n'));
    await assert.rejects(branchRun(imported, { kind: 'branch', nodeId: 's0.0' }, { backend: backend() }), /read-only/);
    await assert.rejects(branchRun(copy(), { kind: 'branch', nodeId: 's0.answer' }, { backend: backend() }), /an answer; branch at a step/);
  });
});
