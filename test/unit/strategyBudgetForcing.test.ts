/** Budget forcing: the allowance schedule, then runs on the test server — each trigger branches
 * from the step where the model tried to finish, beside the answer it had; the continuations get
 * the growing allowances; the last answer wins; reruns, resumed and cancelled runs behave. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { SpecInput } from '../../src/core/search/run';
import { allowances } from '../../src/core/search/strategies/budgetForcing';
import { ROOT_ID, type RunEvent } from '../../src/core/trace/schema';
import { replay, type RunTree, type TreeNode } from '../../src/core/trace/tree';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { resumeCut, runCancelledSearch, runSearch, shape } from '../support/searchRun';


function spec(params: Record<string, unknown> = {}, sampling: SpecInput['sampling'] = {}): SpecInput {
  return {
    strategy: 'budget-forcing', params, model: 'qwen2.5:1.5b', sampling: { seed: 8, maxTokens: 400, ...sampling },
    concurrency: 1, logprobs: true, topLogprobs: 3,
  };
}



/** The steps of lane `lane`, in order. */
const lane = (tree: RunTree, name: string): TreeNode[] => [...tree.nodes.values()].filter((n) => n.kind === 'step' && n.id.startsWith(`${name}.`));

interface ChatBody { messages: { role: string; content: string }[]; options?: { num_predict?: number } }
const chats = (server: TestServer, from: number) => server.requests.slice(from).filter((r) => r.path === '/api/chat').map((r) => r.body as ChatBody);

test('each forced round may write initialTokens · growth^k tokens', () => {
  assert.deepEqual(allowances(256, 2, 4), [256, 512, 1024, 2048]);
  assert.deepEqual(allowances(100, 1.5, 3), [100, 150, 225]);
  assert.deepEqual(allowances(7, 1, 2), [7, 7]);
  assert.deepEqual(allowances(512, 2, 0), []);
});

describe('budget forcing against the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 6, errorRate: 0.5 });
  });
  after(() => server.close());

  test('every trigger branches from the step where the model tried to finish, beside the answer it had there', async () => {
    const from = server.requests.length;
    const { ended, tree } = await runSearch(server, spec({ maxWaits: 3, triggers: 'Wait, / Let me double-check.', initialTokens: 64, growth: 2 }));
    assert.equal(ended.status, 'completed');
    const triggers = ['Wait,', 'Let me double-check.', 'Wait,'];
    for (let k = 1; k <= 3; k++) {
      const before = lane(tree, `b${k - 1}`).at(-1)!;
      const injected = tree.nodes.get(`b${k}.0`)!;
      assert.equal(injected.parent, before.id, `round ${k} continues the chain's last step`);
      assert.deepEqual(injected.tags, ['injected']);
      assert.ok(injected.text.startsWith(triggers[k - 1]), `round ${k} starts with "${triggers[k - 1]}"`);
      assert.deepEqual(before.children.map((c) => tree.nodes.get(c)!.kind).sort(), ['answer', 'step'], 'the earlier answer is a sibling of the continuation');
      assert.equal(tree.nodes.get(`b${k - 1}.answer`)?.parent, before.id);
    }
    assert.equal(ended.result?.selected, 'b3.answer', 'the last answer wins');
    assert.equal(Object.values(ended.result?.votes ?? {}).reduce((a, b) => a + b, 0), 4, 'every intermediate answer is in the tree');
    const requests = chats(server, from);
    assert.equal(requests.length, 4);
    assert.equal(requests[0].options?.num_predict, 400, 'the first attempt has the run\'s own limit');
    requests.slice(1).forEach((body, i) => {
      assert.equal(body.options?.num_predict, [64, 128, 256][i], `round ${i + 1}'s allowance`);
      const prefill = body.messages.at(-1)!;
      assert.equal(prefill.role, 'assistant');
      assert.ok(prefill.content.endsWith(`\n\n${triggers[i]}`), 'the trigger is written after the chain for the model to continue');
    });
  });

  test('a round that uses up its allowance is not forced again, and the last answer found stands', async () => {
    const { ended, tree } = await runSearch(server, spec({ maxWaits: 3, initialTokens: 3, growth: 2 }));
    const cut = lane(tree, 'b1');
    assert.equal(cut.at(-1)?.stopReason, 'length');
    assert.equal(tree.nodes.get('b1.answer'), undefined);
    assert.equal(lane(tree, 'b2').length, 0);
    assert.equal(ended.result?.selected, 'b0.answer');
  });

  test('with no waits it is one plain chain', async () => {
    const { ended, tree } = await runSearch(server, spec({ maxWaits: 0 }));
    assert.deepEqual(tree.nodes.get(ROOT_ID)?.children, ['b0.0']);
    assert.ok([...tree.nodes.values()].every((n) => !n.tags?.includes('injected')));
    assert.equal(ended.result?.selected, 'b0.answer');
  });

  test('the same seed gives the same tree', async () => {
    const params = { maxWaits: 2 };
    const a = await runSearch(server, spec(params, { temperature: 0.9 }));
    const b = await runSearch(server, spec(params, { temperature: 0.9 }));
    assert.deepEqual(shape(b.tree), shape(a.tree));
  });

  test('a run cut off between rounds resumes to the tree of the uninterrupted run', async () => {
    const input = spec({ maxWaits: 3, triggers: 'Hmm, / Wait, / Let me double-check.' }, { temperature: 0.9 });
    const full = await runSearch(server, input);
    const lines = fs.readFileSync(full.outFile, 'utf8').split('\n').filter(Boolean);
    const events = lines.slice(1).map((l) => JSON.parse(l) as RunEvent);
    for (const nth of [1, 2, 3]) {
      let seen = 0;
      const count = events.findIndex((e) => e.type === 'answer_extracted' && ++seen === nth) + 1;
      const { ended, logged: again } = await resumeCut(server, full.outFile, count);
      assert.deepEqual(shape(replay(again.header, again.events)), shape(full.tree), `cut after ${count} events`);
      assert.equal(ended.result?.selected, full.ended.result?.selected);
    }
  });
});

test('cancelling during a forced round stops the run and leaves nothing running', async () => {
  const server = await startTestServer({ seed: 6, tokenLatencyMs: 2 });
  try {
    const { tree } = await runCancelledSearch(server, spec({ maxWaits: 3 }), (e) => e.type === 'node_added' && e.id === 'b1.0');
    assert.ok(tree.nodes.has('b0.answer'));
    assert.equal(lane(tree, 'b2').length, 0, 'no round after the cancel');
  } finally {
    await server.close();
  }
});
