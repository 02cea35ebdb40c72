/** Analysis events replay onto their nodes, a repeated analysis replaces rather than doubles, and the
 * published JSON Schema accepts them. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { parseRunText } from '../../src/core/trace/parse';
import type { RunEvent, RunHeader } from '../../src/core/trace/schema';
import { replay } from '../../src/core/trace/tree';

const header: RunHeader = {
  type: 'header', schema: 1, runId: 'r', createdAt: '2026-11-29T00:00:00.000Z', problem: { text: 'p', answer: '3' },
  backend: { kind: 'ollama', host: 'http://127.0.0.1:11434', model: 'm', logprobs: true, options: { seed: 1 } },
  strategy: { name: 'cot', params: {} }, versions: { reasonscope: '0.1.0' },
};
const reference = { kind: 'gold' as const, answer: '3' };
const events: RunEvent[] = [
  { type: 'node_added', t: 0, id: 'root', parent: null, kind: 'root', text: 'p' },
  { type: 'node_added', t: 1, id: 's0.0', parent: 'root', kind: 'step', text: 'So x = 4. Wait, that is wrong: x = 3.', tokens: [{ token: 'So', logprob: -0.1 }, { token: ' x', logprob: -2.5, top: [{ token: ' y', logprob: -0.3 }] }] },
  { type: 'token_probed', t: 2, id: 's0.0', index: 1, token: ' x', reference, original: { rollouts: 8, correct: 2 }, alternatives: [{ token: ' y', rollouts: 8, correct: 7 }], criticality: -0.625, interval: [-0.95, -0.2], stopped: 'decided' },
  { type: 'self_correction', t: 3, id: 's0.0', start: 10, end: 15, marker: 'Wait', kind: 'correction', effect: 'fixed', before: '4', after: '3', reference },
  { type: 'self_correction', t: 4, id: 's0.0', start: 10, end: 15, marker: 'Wait', kind: 'correction', effect: 'fixed', before: '4', after: '3', reference },
  { type: 'answer_probed', t: 5, id: 's0.0', offset: 10, answer: '4', correct: false },
  { type: 'answer_probed', t: 6, id: 's0.0', offset: 37, answer: '3', correct: true },
  { type: 'step_importance', t: 7, id: 's0.0', reference, before: { rollouts: 10, correct: 4 }, after: { rollouts: 10, correct: 9 }, importance: 0.5 },
  { type: 'token_probed', t: 8, id: 's0.0', index: 1, token: ' x', reference, original: { rollouts: 16, correct: 3 }, alternatives: [{ token: ' y', rollouts: 16, correct: 14 }], criticality: -0.6875, interval: [-0.9, -0.4], stopped: 'decided' },
];

test('analysis events land on their node; analysing again replaces, never doubles', () => {
  const tree = replay(header, events);
  const analysis = tree.nodes.get('s0.0')?.analysis;
  assert.ok(analysis);
  assert.equal(analysis.tokens.length, 1);
  assert.equal(analysis.tokens[0].original.rollouts, 16, 'the later probe of a position wins');
  assert.equal(analysis.selfCorrections.length, 1);
  assert.deepEqual(analysis.probes.map((p) => p.answer), ['4', '3']);
  assert.equal(analysis.importance?.importance, 0.5);
  assert.equal(tree.nodes.get('root')?.analysis, undefined, 'nodes without analyses carry none');
});

test('the run reader and the published JSON Schema accept every analysis event', () => {
  const text = [header, ...events].map((e) => JSON.stringify(e)).join('\n') + '\n';
  assert.equal(parseRunText(text).events.length, events.length);
  const schema = JSON.parse(fs.readFileSync('media/run.schema.json', 'utf8')) as object;
  const validate = new Ajv2020({ strict: false }).compile(schema);
  for (const event of events) assert.ok(validate(event), `${event.type}: ${JSON.stringify(validate.errors)}`);
});
