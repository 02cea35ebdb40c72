/** Forced-answer probes and the analysis runner. The test server's solver continues any assistant
 * prefix: a prefix ending "The final answer is $\boxed{" gets the answer the solver believes where it
 * would conclude (after a wrong step: the wrong value; after the last reasoning step: the gold one)
 * and nothing where it still has work to do. So a chain recorded from it, with a wrong step and a
 * "Wait" that fixes it, has a known answer trajectory. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { analyzeRun, principalChain, runChains, runReference } from '../../src/core/analysis/analyze';
import { chainTextUpTo, PROBE_TEXT, probePrefix, readProbeAnswer } from '../../src/core/analysis/probe';
import { CancelledError } from '../../src/core/model/errors';
import { OllamaBackend } from '../../src/core/model/ollama';
import { Scheduler } from '../../src/core/search/scheduler';
import { parseRunText } from '../../src/core/trace/parse';
import { RunRecorder } from '../../src/core/trace/recorder';
import type { RunEvent } from '../../src/core/trace/schema';
import { replay } from '../../src/core/trace/tree';
import { startTestServer, type TestServer } from '../support/ollamaServer';

const MODEL = 'qwen2.5:1.5b';
/** Eight chains of the rational-function problem (gold 14/3), recorded from the test server; chain s6
 * writes a wrong value (15/3), says "Wait, that is not right", redoes the step and ends right. */
const RUN = parseRunText(fs.readFileSync('test/fixtures/runs/recorded-majority-8.run.jsonl', 'utf8'));
const open = (events: readonly RunEvent[] = RUN.events) => RunRecorder.resume(RUN.header, events);
const comparable = (recorder: RunRecorder) => JSON.stringify([...recorder.tree.nodes.values()].map((n) => ({ id: n.id, analysis: n.analysis })), (k, v: unknown) => (k === 't' ? undefined : v));

describe('the probe text', () => {
  test('the cut chain loses its trailing space, an open thinking section is closed, and the box is opened', () => {
    assert.equal(PROBE_TEXT, '\n\nThe final answer is $\\boxed{');
    assert.equal(probePrefix('So x = 3.  \n'), `So x = 3.${PROBE_TEXT}`);
    assert.equal(probePrefix('<think>\nSo x = 3.'), `<think>\nSo x = 3.\n</think>${PROBE_TEXT}`);
    assert.equal(probePrefix('<think>a</think>\n\nSo x = 3.'), `<think>a</think>\n\nSo x = 3.${PROBE_TEXT}`);
    assert.equal(probePrefix('<|begin_of_thought|>\n\nHmm.'), `<|begin_of_thought|>\n\nHmm.\n<|end_of_thought|>${PROBE_TEXT}`);
  });

  test('the answer is what stands before the brace that closes the box', () => {
    assert.equal(readProbeAnswer('42}$.'), '42');
    assert.equal(readProbeAnswer('\\frac{1}{2}}$ and more'), '\\frac{1}{2}');
    assert.equal(readProbeAnswer(' (1, 2) }'), '(1, 2)');
    assert.equal(readProbeAnswer('\\frac{1}{2'), null, 'never closed');
    assert.equal(readProbeAnswer('}'), null, 'empty');
    assert.equal(readProbeAnswer(''), null, 'nothing written');
    assert.equal(readProbeAnswer('\n\nNext, we compute $\\frac{3}{4}$ and }'), null, 'a new paragraph is no answer');
  });

  test('a chain is cut at a step and an offset, with the steps before it joined as the engine joins them', () => {
    const chain = principalChain(replay(RUN.header, RUN.events), 's6.answer').steps;
    assert.equal(chainTextUpTo(chain, { id: 's6.2', offset: 4 }), `${chain[0].text}\n\n${chain[1].text}\n\nWait`);
    assert.equal(chainTextUpTo(chain, { id: 's6.1', offset: 0 }), chain[0].text);
    assert.throws(() => chainTextUpTo(chain, { id: 's0.1', offset: 0 }), /not a step of the chain/);
  });
});

describe('probing a run on the test server', () => {
  let server: TestServer;
  let backend: OllamaBackend;
  before(async () => {
    server = await startTestServer();
    backend = new OllamaBackend(server.url);
  });
  after(() => server.close());

  test('the trajectory of the self-correcting chain: the wrong value before "Wait", the gold answer once the step is redone', async () => {
    const recorder = open();
    const report = await analyzeRun(recorder, { probe: { backend, scheduler: new Scheduler(2), model: MODEL } });
    const steps = principalChain(recorder.tree, 's6.answer').steps;
    const trajectory = steps.map((s) => s.analysis?.probes.map((p) => [p.offset === s.text.length ? 'end' : p.offset, p.answer, p.correct]));
    assert.deepEqual(trajectory, [
      [['end', null, undefined]], // one step in: the solver goes on working
      [['end', '\\frac{15}{3}', false]], // after the wrong step: it would answer wrong
      [['end', null, undefined]], // "Wait, that is not right…": redoing the step
      [['end', '\\frac{14}{3}', true]], // step redone: the gold answer
      [['end', null, undefined]], // a finished chain adds nothing
    ]);
    const [point] = steps[2].analysis?.selfCorrections ?? [];
    assert.deepEqual({ ...point, t: 0 }, {
      type: 'self_correction', t: 0, id: 's6.2', start: 0, end: 4, marker: 'Wait', kind: 'correction', effect: 'fixed',
      before: '\\frac{15}{3}', after: '\\frac{14}{3}', reference: { kind: 'gold', answer: '\\frac{14}{3}' },
    });
    assert.equal(report.probes.positions, 26);
    assert.equal(report.written, 26 + 1);
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(fs.readFileSync('media/run.schema.json', 'utf8')) as object);
    for (const event of recorder.events.slice(RUN.events.length)) assert.ok(validate(event), `${JSON.stringify(event)}: ${JSON.stringify(validate.errors)}`);

    const probes = server.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as { messages: { role: string; content: string }[]; options: Record<string, number> });
    assert.equal(probes.length, 26);
    for (const body of probes) {
      assert.ok(body.messages.at(-1)?.content.endsWith(PROBE_TEXT), 'the assistant prefix ends with the probe text');
      assert.deepEqual(body.options, { temperature: 0, seed: 0, num_predict: 32 });
    }
  });

  test('analysing again asks nothing, writes nothing and leaves the tree as it was; logged probes serve an analysis without a model', async () => {
    const recorder = open();
    await analyzeRun(recorder, { probe: { backend, scheduler: new Scheduler(2), model: MODEL } });
    const tree = comparable(recorder);
    const asked = server.requests.length;
    const again = await analyzeRun(recorder, { probe: { backend, scheduler: new Scheduler(2), model: MODEL } });
    assert.equal(again.written, 0);
    assert.equal(server.requests.length, asked);
    assert.equal(comparable(recorder), tree);

    const reopened = open(recorder.events);
    assert.equal((await analyzeRun(reopened)).written, 0, 'the probe-based effects stand without a model');
    assert.equal(comparable(reopened), tree);
  });

  test('a request budget stops the probes it cannot pay for, without failing the analysis', async () => {
    const recorder = open();
    const report = await analyzeRun(recorder, { probe: { backend, scheduler: new Scheduler(1, { maxRequests: 3 }), model: MODEL } });
    assert.equal(recorder.events.filter((e) => e.type === 'answer_probed').length, 3);
    assert.match(report.probes.stoppedBy ?? '', /request budget of 3/);
    assert.equal(report.selfCorrections, 1, 'the self-corrections are still found from the text');
  });

  test('a cancel stops the analysis with CancelledError', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(analyzeRun(open(), { probe: { backend, scheduler: new Scheduler(2, {}, controller.signal), model: MODEL } }), CancelledError);
  });
});

describe('the runner without a model', () => {
  test('every step is analysed once, on the principal chain through it; the effect reads the text', async () => {
    const recorder = open();
    const report = await analyzeRun(recorder);
    assert.deepEqual(report.reference, { kind: 'gold', answer: '\\frac{14}{3}' });
    assert.equal(report.selfCorrections, 1);
    const [point] = recorder.tree.nodes.get('s6.2')?.analysis?.selfCorrections ?? [];
    assert.deepEqual([point.kind, point.effect, point.before, point.after], ['correction', 'fixed', '\\frac{15}{3}', '\\frac{14}{3}']);
    assert.equal(runChains(recorder.tree).length, 8);
    assert.equal((await analyzeRun(recorder)).written, 0);
  });

  test('without a gold answer the reference is the majority of two or more answered chains, named as such', async () => {
    const header = { ...RUN.header, problem: { ...RUN.header.problem, answer: undefined } };
    const recorder = RunRecorder.resume(header, RUN.events);
    assert.deepEqual(runReference(recorder.tree), { kind: 'majority', answer: '\\frac{14}{3}' });
    await analyzeRun(recorder);
    assert.deepEqual(recorder.tree.nodes.get('s6.2')?.analysis?.selfCorrections[0].reference, { kind: 'majority', answer: '\\frac{14}{3}' });
    const oneChain = RUN.events.filter((e) => !('id' in e) || e.id === 'root' || Boolean(e.id?.startsWith('s6')));
    assert.equal(runReference(replay(header, oneChain)), undefined, 'one chain agreeing with itself is no reference');
  });

  test('the principal chain follows the strategy\'s choice', () => {
    const events: RunEvent[] = [...RUN.events, { type: 'node_selected', t: 1, id: 's6.answer' }];
    assert.equal(principalChain(replay(RUN.header, events)).leaf.id, 's6.answer');
    assert.equal(principalChain(replay(RUN.header, RUN.events), 's3.1').leaf.id, 's3.answer');
    assert.throws(() => principalChain(replay(RUN.header, RUN.events), 'nope'), /no node nope/);
  });
});
