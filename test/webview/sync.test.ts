/** The tree and a chain document in step, from the webview's side: selecting a node (click or
 * keyboard) tells the host, which reveals the node's text in an open chain document; the host's
 * "highlight" (the step the document's cursor is in) marks that node, pans it into view without
 * taking focus from the editor, survives live growth, and clears. Run after `npm run build`. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { parseRunText } from '../../src/core/trace/parse';
import type { HostToWebview } from '../../webview/protocol';
import { REPO, SHOTS, assertClean, posted, send, webviewSuite } from './harness';

const run = parseRunText(readFileSync(join(REPO, 'test/fixtures/runs/beam-8x4.run.jsonl'), 'utf8'));
const runId = run.header.runId;
const SIDE_PANEL = { width: 420, height: 700 };
const suite = webviewSuite();

const highlighted = (page: Page) => page.locator('g.node.doc-cursor').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
const highlight = (nodeId: string | null, id = runId): HostToWebview => ({ type: 'highlight', runId: id, nodeId });

/** Whether the node's centre lies inside the tree's drawing area. */
async function onScreen(page: Page, id: string): Promise<boolean> {
  return page.evaluate((nodeId) => {
    const node = document.querySelector(`g.node[data-id="${CSS.escape(nodeId)}"]`)?.getBoundingClientRect();
    const svg = document.getElementById('tree-svg')?.getBoundingClientRect();
    if (!node || !svg) return false;
    const [x, y] = [node.left + node.width / 2, node.top + node.height / 2];
    return x >= svg.left && x <= svg.right && y >= svg.top && y <= svg.bottom;
  }, id);
}

describe('tree ↔ chain document sync', () => {
  test('selecting a node by click or keyboard tells the host which node', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    await send(page, { type: 'run', header: run.header, events: run.events, label: 'beam' });
    const step = run.events.find((e) => e.type === 'node_added' && e.kind === 'step' && e.parent === 'root');
    assert.ok(step?.type === 'node_added');
    await page.locator(`g.node[data-id="${step.id}"]`).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'select', runId, nodeId: step.id });
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const last = (await posted(page)).at(-1);
    assert.equal(last?.type, 'select');
    assert.notEqual(last?.type === 'select' && last.nodeId, step.id, 'the node the keys moved to');
    assert.ok(!(await posted(page)).some((m) => m.type === 'select' && m.nodeId === undefined), 'closing the panel is no selection');
    await assertClean(view);
    await page.context().close();
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    test(`the host's highlight marks the cursor's node, pans to it, keeps it while the run grows, and clears (${theme})`, async () => {
      const view = await suite.open({ theme, ...SIDE_PANEL });
      const { page } = view;
      const half = Math.floor(run.events.length / 2);
      await send(page, { type: 'run', header: run.header, events: run.events.slice(0, half), label: 'beam' });
      const deep = run.events.slice(0, half).filter((e) => e.type === 'node_added').at(-1);
      assert.ok(deep?.type === 'node_added');
      // Zoomed in on the root, the deepest node is off screen.
      await page.mouse.move(30, 200);
      for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -300);
      await page.waitForTimeout(100);
      const focusedBefore = await page.evaluate(() => document.activeElement?.tagName);

      await send(page, highlight(deep.id));
      assert.deepEqual(await highlighted(page), [deep.id]);
      await page.waitForFunction((id) => {
        const node = document.querySelector(`g.node[data-id="${CSS.escape(id)}"]`)?.getBoundingClientRect();
        const svg = document.getElementById('tree-svg')?.getBoundingClientRect();
        return !!node && !!svg && node.left >= svg.left && node.right <= svg.right && node.top >= svg.top && node.bottom <= svg.bottom;
      }, deep.id);
      assert.ok(await onScreen(page, deep.id), 'panned into view');
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), focusedBefore, 'keyboard focus stays where it was');
      assert.equal(await page.locator('#detail').isHidden(), true, 'the cursor does not open the detail panel');
      await page.screenshot({ path: join(SHOTS, `sync-highlight-${theme}.png`) });

      await send(page, { type: 'events', runId, events: run.events.slice(half) });
      assert.deepEqual(await highlighted(page), [deep.id], 'live growth keeps the mark');
      await send(page, highlight(deep.id, 'another-run'));
      assert.deepEqual(await highlighted(page), [deep.id], 'a highlight for another run is ignored');
      await send(page, highlight(null));
      assert.deepEqual(await highlighted(page), []);
      await assertClean(view);
      await page.context().close();
    });
  }
});
