/** The trajectory-tree webview in headless Chromium: the real document, CSP and bundle, fed the
 * fixture run the way the extension feeds it. Run after `npm run build`.
 * Screenshots land in test-output/webview/ for a person to look at. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openTraceSource } from '../../src/core/trace/import';
import { parseRunText } from '../../src/core/trace/parse';
import type { RunEvent } from '../../src/core/trace/schema';
import { answerGroups, pathTo, replay } from '../../src/core/trace/tree';
import type { HostToWebview } from '../../webview/protocol';
import { REPO, SHOTS, assertClean, cspViolations, posted, savedState, send, waitForReady, webviewSuite } from './harness';

const run = parseRunText(readFileSync(join(REPO, 'test/fixtures/runs/majority-8.run.jsonl'), 'utf8'));
const tree = replay(run.header, run.events);
const groups = answerGroups(tree);
const runMessage = (events: RunEvent[]): HostToWebview => ({ type: 'run', header: run.header, events, label: 'majority-8.run.jsonl' });
const SIDE_PANEL = { width: 420, height: 700 };

const suite = webviewSuite();

const count = (page: Page, selector: string) => page.locator(selector).count();
const canvasTransform = (page: Page) => page.locator('g.canvas').getAttribute('transform');
const scaleOf = (transform: string | null) => Number(/scale\(([\d.e-]+)\)/.exec(transform ?? '')?.[1]);

async function zoomIn(page: Page): Promise<void> {
  const box = await page.locator('#tree-svg').boundingBox();
  assert.ok(box, 'the tree is on screen');
  const before = await canvasTransform(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -240);
  await page.waitForFunction((t) => document.querySelector('g.canvas')?.getAttribute('transform') !== t, before);
}

/** The step with the most math among those with token logprobs: what the detail panel exists to show. */
const mathStep = [...tree.nodes.values()]
  .filter((n) => n.kind === 'step' && n.tokens?.length)
  .sort((a, b) => b.text.split('$').length - a.text.split('$').length)[0];

/** 64 chains of 15 steps over 8 answers: the size the view must stay usable at. */
function bigRun(): HostToWebview {
  const events: RunEvent[] = [{ type: 'node_added', t: 0, id: 'root', parent: null, kind: 'root', text: run.header.problem.text }];
  for (let chain = 0; chain < 64; chain++) {
    let parent = 'root';
    for (let step = 1; step <= 15; step++) {
      const id = `c${chain}-${step}`;
      const kind = step === 15 ? 'answer' : 'step';
      events.push({ type: 'node_added', t: chain * 20 + step, id, parent, kind, sample: chain, text: `Step ${step}: $x_{${step}} = ${step * chain}$` });
      parent = id;
    }
    const answer = String(chain % 8);
    events.push({ type: 'answer_extracted', t: chain * 20 + 16, id: parent, raw: answer, normalized: answer, correct: answer === '0' });
  }
  const header = { ...run.header, runId: 'big', strategy: { name: 'majority', params: { n: 64 } } };
  return { type: 'run', header, events, label: '64 × 15' };
}

describe('trajectory-tree webview', () => {
  for (const theme of ['dark', 'light'] as const) {
    test(`draws the whole run with its answer groups (${theme})`, async () => {
      const view = await suite.open({ theme, ...SIDE_PANEL });
      const { page } = view;
      assert.ok((await posted(page)).some((m) => m.type === 'ready'), 'posts ready on load');
      await send(page, runMessage(run.events));

      assert.equal(await count(page, 'g.node'), tree.nodes.size, 'one drawn node per node in the run');
      const answered = [...tree.nodes.values()].filter((n) => n.kind === 'answer' && n.answer?.normalized != null);
      assert.equal(await count(page, 'g.node.kind-answer'), answered.length, 'one answer leaf per answered chain');
      assert.equal(await count(page, 'g.node.no-answer'), groups.find((g) => g.answer === null)?.votes ?? 0);

      const rows = await page.locator('.legend-row').evaluateAll((els) => els.map((el) => ({
        answer: el.getAttribute('data-answer'),
        votes: Number(el.querySelector('.votes')?.getAttribute('data-votes')),
        winner: el.classList.contains('winner'),
        correct: el.querySelector('.mark-correct') !== null,
        math: el.querySelector('.katex') !== null,
      })));
      assert.equal(rows.length, groups.length, 'one legend row per answer group');
      for (const g of groups) {
        const row = rows.find((r) => r.answer === (g.answer ?? ''));
        assert.ok(row, `legend row for ${g.answer}`);
        assert.equal(row.votes, g.votes, `votes for ${g.answer}`);
        assert.equal(row.correct, g.correct === true, `✓ only on the gold group (${g.answer})`);
        assert.equal(row.math, g.answer !== null, 'answers are typeset');
      }
      assert.equal(rows[0].answer, tree.ended?.result?.answer, 'the winning group comes first');
      assert.ok(rows[0].winner && rows.slice(1).every((r) => !r.winner), 'only the winner is marked');

      // Chains that reach the same answer sit next to each other, the most-voted group on top.
      const leafGroups = await page.locator('g.node.kind-answer, g.node.no-answer').evaluateAll((els) => els
        .map((el) => ({ id: el.getAttribute('data-id') ?? '', y: Number(/,\s*(-?[\d.]+)\)/.exec(el.getAttribute('transform') ?? '')?.[1]) }))
        .sort((a, b) => a.y - b.y)
        .map((leaf) => leaf.id));
      const order = leafGroups.map((id) => tree.nodes.get(id)?.answer?.normalized);
      const blocks = order.filter((g, i) => i === 0 || g !== order[i - 1]);
      assert.deepEqual(blocks, groups.map((g) => g.answer), 'answer groups form contiguous blocks in vote order');

      const header = await page.locator('#run-header').innerText();
      assert.match(header, new RegExp(run.header.backend.model.replace(/[.]/g, '\\.')));
      assert.match(header, /majority · n=8/);
      assert.match(header, /completed/);
      await page.screenshot({ path: join(SHOTS, `tree-${theme}.png`) });
      await assertClean(view);
      await page.context().close();
    });
  }

  test('draws a run recorded by the engine against the test server', async () => {
    const recorded = parseRunText(readFileSync(join(REPO, 'test/fixtures/runs/recorded-majority-8.run.jsonl'), 'utf8'));
    const recordedTree = replay(recorded.header, recorded.events);
    const recordedGroups = answerGroups(recordedTree);
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    await send(page, { type: 'run', header: recorded.header, events: recorded.events, label: 'recorded-majority-8.run.jsonl' });
    assert.equal(await count(page, 'g.node'), recordedTree.nodes.size);
    const votes = await page.locator('.legend-row .votes').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-votes'))));
    assert.deepEqual(votes, recordedGroups.map((g) => g.votes));
    assert.equal(votes.reduce((a, b) => a + b, 0), 8);
    await page.locator(`g.node[data-id="s0.1"]`).click();
    await page.locator('#detail .katex').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'tree-recorded-dark.png') });
    await assertClean(view);
    await page.context().close();
  });

  test('grows live without moving the user’s view, then reports the end of the run', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    const half = Math.floor(run.events.length / 2);
    const first = run.events.slice(0, half);
    const warning: RunEvent = { type: 'warning', t: first[first.length - 1].t, message: 'token logprobs unavailable (Ollama 0.11.0 < 0.12.11)' };
    await send(page, runMessage(first));
    const partial = replay(run.header, first);
    assert.equal(await count(page, 'g.node'), partial.nodes.size);
    assert.match(await page.locator('#run-header .status').innerText(), /running · \d\/8 samples/);

    await zoomIn(page);
    const userView = await canvasTransform(page);
    await send(page, { type: 'events', runId: run.header.runId, events: [warning, ...run.events.slice(half)] });
    assert.equal(await count(page, 'g.node'), tree.nodes.size, 'the tree grew to the whole run');
    assert.equal(await canvasTransform(page), userView, 'zoom and pan are kept');
    assert.match(await page.locator('#run-header .status').innerText(), /completed/);
    assert.match(await page.locator('#run-header .warning').innerText(), /token logprobs unavailable \(Ollama 0\.11\.0 < 0\.12\.11\)/);

    await send(page, { type: 'events', runId: 'another-run', events: [{ type: 'node_added', t: 1, id: 'stray', parent: 'root', kind: 'step', text: 'x' }] });
    assert.equal(await count(page, 'g.node'), tree.nodes.size, 'events of another run are ignored');
    await assertClean(view);
    await page.context().close();
  });

  test('marks pruned branches and failed samples', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    await send(page, runMessage(run.events));
    const [pruned, failed] = [...tree.nodes.values()].filter((n) => n.kind === 'step' && n.depth === 1);
    const t = run.events[run.events.length - 1].t;
    await send(page, { type: 'events', runId: run.header.runId, events: [
      { type: 'node_pruned', t, id: pruned.id, reason: 'score 0.12 below the beam' },
      { type: 'sample_failed', t, sample: failed.sample ?? 0, id: failed.id, message: 'connection reset by peer' },
    ] });
    assert.ok(await page.locator(`g.node.status-pruned[data-id="${pruned.id}"]`).isVisible());
    const branch = [...tree.nodes.values()].filter((n) => pathTo(tree, n.id).some((a) => a.id === pruned.id));
    assert.equal(await count(page, 'path.link.pruned'), branch.length, 'the pruned step and everything below it is dashed');
    assert.equal(await count(page, 'g.node.pruned-branch'), branch.length);
    assert.ok(await page.locator(`g.node.status-error[data-id="${failed.id}"]`).isVisible());
    assert.match(await page.locator('#run-header .failure').innerText(), /failed: connection reset by peer/);
    await page.locator(`g.node[data-id="${pruned.id}"]`).click();
    assert.match(await page.locator('#detail .facts').innerText(), /pruned\s+score 0\.12 below the beam/);
    await assertClean(view);
    await page.context().close();
  });

  test('shows a node’s text with typeset math and facts, and asks to open its chain', async () => {
    assert.ok(mathStep, 'the fixture has a step with math and token logprobs');
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    await send(page, runMessage(run.events));
    const node = page.locator(`g.node[data-id="${mathStep.id}"]`);

    await node.hover();
    await page.locator('#tooltip').waitFor({ state: 'visible' });
    assert.match(await page.locator('#tooltip').innerText(), new RegExp(`Step ${mathStep.depth}`));

    await node.click();
    const detail = page.locator('#detail');
    await detail.waitFor({ state: 'visible' });
    assert.ok(await detail.locator('.node-text .katex').count() > 0, 'math is rendered by KaTeX');
    const plainWords = mathStep.text.replace(/\$[^$]*\$/g, ' ').trim().split(/\s+/).filter((w) => /^[A-Za-z]{3,}$/.test(w));
    const shown = await detail.locator('.node-text').innerText();
    for (const word of plainWords) assert.ok(shown.includes(word), `the text around the math is shown (${word})`);
    const facts = await detail.locator('.facts').innerText();
    assert.match(facts, /mean logprob\s+-\d\.\d{3}/);
    assert.match(facts, new RegExp(`tokens\\s+${mathStep.tokenCount}`));
    assert.equal(await page.locator('g.node.selected').getAttribute('data-id'), mathStep.id);
    assert.equal(await page.locator('path.link.on-path').count(), mathStep.depth, 'the path from the problem is emphasised');
    assert.ok(await page.evaluate(() => [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded')),
      'KaTeX fonts load under the CSP');
    await page.screenshot({ path: join(SHOTS, 'detail-dark.png') });

    await detail.getByRole('button', { name: 'Open chain as document' }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'openPath', runId: run.header.runId, nodeId: mathStep.id });

    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), mathStep.id, 'focus returns to the node');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await detail.waitFor({ state: 'visible' });
    assert.equal(await detail.getAttribute('data-node-id'), tree.nodes.get(mathStep.id)?.children[0], 'arrow keys walk the tree, Enter selects');
    await assertClean(view);
    await page.context().close();
  });

  test('wide view puts the detail panel beside the tree', async () => {
    const view = await suite.open({ theme: 'dark', width: 1200, height: 700 });
    const { page } = view;
    await send(page, runMessage(run.events));
    const winnerLeaf = groups[0].leafIds[0];
    await page.locator(`g.node[data-id="${winnerLeaf}"]`).click();
    const panel = await page.locator('#detail').boundingBox();
    const treeArea = await page.locator('#tree').boundingBox();
    assert.ok(panel && treeArea && panel.x >= treeArea.x + treeArea.width - 1, 'the panel is to the right of the tree');
    await page.screenshot({ path: join(SHOTS, 'tree-wide.png') });
    await assertClean(view);
    await page.context().close();
  });

  test('fits 64 chains of 15 steps into the side panel', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    await send(page, bigRun());
    assert.equal(await count(page, 'g.node'), 64 * 15 + 1);
    assert.equal(await count(page, '.legend-row'), 8);
    const area = await page.locator('#tree-svg').boundingBox();
    assert.ok(area);
    const outside = await page.locator('g.node circle').evaluateAll((els, a) => els.filter((el) => {
      const r = el.getBoundingClientRect();
      return r.left < a.x || r.top < a.y || r.right > a.x + a.width || r.bottom > a.y + a.height;
    }).length, area);
    assert.equal(outside, 0, 'every node is in view after fitting');
    await page.screenshot({ path: join(SHOTS, 'tree-64x15.png') });
    await assertClean(view);
    await page.context().close();
  });

  test('an imported long R1 chain opens at a readable scale, from its root, marked read-only', async () => {
    const source = await openTraceSource(join(REPO, 'test/fixtures/traces/r1-chat/thought-anchors-chats.jsonl'));
    const imported = await source.load(0).finally(() => source.close());
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    await send(page, { type: 'run', header: imported.header, events: imported.events, label: 'thought-anchors-chats.jsonl · record 0' });
    assert.ok(await count(page, 'g.node') > 40, 'the whole chain is drawn');
    const header = await page.locator('#run-header').innerText();
    assert.match(header, /imported · read-only/);
    assert.doesNotMatch(header, /0 tokens|0 ms/, 'no made-up cost for a trace that has none');
    assert.ok(scaleOf(await canvasTransform(page)) >= 0.3, 'not shrunk to a hairline');
    const root = await page.locator('g.node[data-id="root"] circle').boundingBox();
    const area = await page.locator('#tree-svg').boundingBox();
    assert.ok(root && area && root.x >= area.x && root.x < area.x + area.width / 2, 'the chain starts in view, at the left');
    assert.match(await page.locator('.legend-row .mark').getAttribute('title') ?? '', /gold answer/, 'the verdict says it is the gold-answer check');
    await page.screenshot({ path: join(SHOTS, 'tree-imported-r1.png') });
    await assertClean(view);
    await page.context().close();
  });

  test('says what to do when there is nothing to show', async () => {
    const view = await suite.open({ theme: 'light', ...SIDE_PANEL });
    const { page } = view;
    await send(page, runMessage(run.events));
    await send(page, { type: 'empty', message: 'No run yet. Open a problem and run “Reasonscope: Solve”.' });
    assert.equal(await count(page, 'g.node'), 0);
    assert.match(await page.locator('#message').innerText(), /No run yet\. Open a problem and run “Reasonscope: Solve”\./);
    assert.equal(await page.locator('#legend').isVisible(), false);
    await assertClean(view);
    await page.context().close();
  });

  test('restores the selection and zoom when the view is re-created', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    await send(page, runMessage(run.events));
    const chosen = groups[1].leafIds[0];
    await page.locator(`g.node[data-id="${chosen}"]`).click();
    await page.keyboard.press('Escape');
    await page.locator(`g.node[data-id="${chosen}"]`).click();
    await zoomIn(page);
    const zoomed = await canvasTransform(page);
    // The zoom is saved when the gesture ends.
    await page.waitForFunction(({ id, k }) => {
      const state = JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null');
      return state?.runs?.[id]?.transform?.k === k;
    }, { id: run.header.runId, k: scaleOf(zoomed) });
    assert.equal((await savedState(page) as { runs: Record<string, { selected?: string }> }).runs[run.header.runId].selected, chosen);

    await page.reload();
    await waitForReady(page);
    assert.equal(await count(page, 'g.node'), 0, 'a fresh view draws nothing until the host sends the run');
    await send(page, runMessage(run.events));
    assert.equal(await page.locator('g.node.selected').getAttribute('data-id'), chosen);
    assert.equal(await page.locator('#detail').getAttribute('data-node-id'), chosen);
    assert.equal(await canvasTransform(page), zoomed);
    await assertClean(view);
    await page.context().close();
  });

  test('the Content-Security-Policy lets nothing run or connect that the webview did not bring', async () => {
    const { page } = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const outcome = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      const fetched = await fetch('/dist/webview.js').then(() => true, () => false);
      return { injected: (window as unknown as { __injected?: boolean }).__injected === true, fetched };
    });
    assert.deepEqual(outcome, { injected: false, fetched: false });
    const violations = await cspViolations(page);
    assert.ok(violations.some((v) => v.startsWith('script-src')), 'script without the nonce is refused');
    assert.ok(violations.some((v) => v.startsWith('connect-src')), 'network requests are refused');
    await page.context().close();
  });

  test('a run it cannot draw shows an error box and tells the host', async () => {
    const { page } = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const broken = { ...run.header, strategy: undefined } as unknown as typeof run.header;
    await send(page, { type: 'run', header: broken, events: run.events, label: 'broken' });
    await page.locator('#message.message-error').waitFor({ state: 'visible' });
    const error = (await posted(page)).find((m) => m.type === 'error');
    assert.ok(error && error.message.length > 0, 'posts {type: "error"}');
    await page.context().close();
  });
});
