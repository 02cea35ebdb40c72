/** The trajectory tree on search runs (step beam search, MCTS) in headless Chromium: step scores as
 * colour with the scorer in the key, pruned branches dashed with their reason, the selected path
 * emphasised, MCTS visits as node size and the iteration scrubber. Run after `npm run build`.
 * Screenshots land in test-output/webview/ for a person to look at. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { parseRunText } from '../../src/core/trace/parse';
import type { RunEvent } from '../../src/core/trace/schema';
import { pathTo, replay } from '../../src/core/trace/tree';
import type { HostToWebview } from '../../webview/protocol';
import { REPO, SHOTS, assertClean, send, webviewSuite, type ThemeName } from './harness';

const load = (name: string) => parseRunText(readFileSync(join(REPO, 'test/fixtures/runs', name), 'utf8'));
const beam = load('beam-8x4.run.jsonl');
const mcts = load('mcts-12.run.jsonl');
const beamTree = replay(beam.header, beam.events);
const mctsTree = replay(mcts.header, mcts.events);
const SIDE_PANEL = { width: 420, height: 760 };

const runMessage = (run: typeof beam, events: RunEvent[] = run.events, label = 'search'): HostToWebview =>
  ({ type: 'run', header: run.header, events, label });

const suite = webviewSuite();

const drawnIds = (page: Page) => page.locator('g.node').evaluateAll((els) => els.map((el) => el.getAttribute('data-id') ?? '').sort());

/** Relative luminance (WCAG) of each scored node's painted fill, and of the page background. */
async function fills(page: Page): Promise<{ background: number; nodes: Record<string, number> }> {
  const painted = await page.evaluate(() => {
    const colors = [getComputedStyle(document.body).backgroundColor,
      ...[...document.querySelectorAll('g.node.scored circle')].map((el) => getComputedStyle(el).fill)];
    const ids = [...document.querySelectorAll('g.node.scored')].map((el) => el.getAttribute('data-id') ?? '');
    // A canvas resolves any CSS colour (color-mix, oklab…) to sRGB pixels.
    const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
    const rgb = colors.map((css) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data].slice(0, 3);
    });
    return { ids, rgb };
  });
  const [background, ...nodes] = painted.rgb.map(luminance);
  return { background, nodes: Object.fromEntries(painted.ids.map((id, i) => [id, nodes[i]])) };
}

function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

describe('trajectory tree: search runs', () => {
  for (const theme of ['dark', 'light', 'high-contrast'] as ThemeName[]) {
    test(`beam search: scores as colour, pruned branches dashed, the selected path emphasised (${theme})`, async () => {
      const view = await suite.open({ theme, ...SIDE_PANEL });
      const { page } = view;
      await send(page, runMessage(beam, beam.events, 'beam-8x4.run.jsonl'));
      assert.equal(await page.locator('g.node').count(), beamTree.nodes.size);

      // Every scored step is coloured by its score; the higher the score, the more it stands out.
      const scored = [...beamTree.nodes.values()].filter((n) => n.kind === 'step' && n.scores.confidence !== undefined);
      const { background, nodes } = await fills(page);
      assert.deepEqual(Object.keys(nodes).sort(), scored.map((n) => n.id).sort(), 'exactly the scored steps are coloured');
      const byScore = [...scored].sort((a, b) => a.scores.confidence - b.scores.confidence);
      const low = byScore[0];
      const high = byScore[byScore.length - 1];
      assert.ok(contrast(nodes[high.id], background) > 2 * contrast(nodes[low.id], background),
        `the best step (${high.scores.confidence}) stands out from the background more than the worst (${low.scores.confidence})`);
      for (let i = 1; i < byScore.length; i++) {
        assert.ok(contrast(nodes[byScore[i].id], background) >= contrast(nodes[byScore[i - 1].id], background) - 1e-9, 'contrast grows with the score');
      }

      const key = await page.locator('#key').innerText();
      assert.match(key, /confidence/, 'the key names the scorer');
      assert.match(key, new RegExp(`${low.scores.confidence.toFixed(2)}\\s*${high.scores.confidence.toFixed(2)}`), 'and the range of its scores');
      assert.match(key, /chains by last step/, 'and how chains aggregate');
      assert.match(key, /pruned/);
      assert.match(key, /selected/);

      // Pruned nodes: dashed, dimmed, and the reason on hover.
      const pruned = [...beamTree.nodes.values()].filter((n) => n.status === 'pruned');
      assert.ok(pruned.length > 0, 'the fixture prunes');
      for (const node of pruned) {
        const style = await page.locator(`g.node[data-id="${node.id}"]`).evaluate((el) => ({
          dash: getComputedStyle(el.querySelector('circle') as Element).strokeDasharray,
          opacity: Number(getComputedStyle(el).opacity),
        }));
        assert.notEqual(style.dash, 'none', `${node.id} is dashed`);
        assert.ok(style.opacity < 1, `${node.id} is dimmed`);
      }
      const branches = [...beamTree.nodes.values()].filter((n) => pathTo(beamTree, n.id).some((a) => a.status === 'pruned'));
      assert.equal(await page.locator('path.link.pruned').count(), branches.length, 'the links into pruned branches are dashed');
      const example = pruned[0];
      await page.locator(`g.node[data-id="${example.id}"]`).hover();
      await page.locator('#tooltip').waitFor({ state: 'visible' });
      assert.match(await page.locator('#tooltip').innerText(), new RegExp(`pruned: ${escapeRegExp(example.pruneReason ?? '')}`));
      await page.screenshot({ path: join(SHOTS, `search-beam-${theme}.png`) });

      // The selected path: every link from the problem to the chosen answer, drawn heavier than the rest.
      const selected = beam.header && beamTree.ended?.result?.selected;
      assert.ok(selected, 'the fixture selects an answer');
      const path = pathTo(beamTree, selected).map((n) => n.id);
      const chosen = await page.locator('path.link.chosen').evaluateAll((els) => els.map((el) => ({
        width: parseFloat(getComputedStyle(el).strokeWidth),
      })));
      assert.equal(chosen.length, path.length - 1, 'one emphasised link per step of the selected chain');
      const plainWidth = await page.locator('path.link:not(.chosen):not(.pruned)').first().evaluate((el) => parseFloat(getComputedStyle(el).strokeWidth));
      assert.ok(chosen.every((c) => c.width >= 2 * plainWidth), 'selected links are at least twice as heavy');
      await assertClean(view);
      await page.context().close();
    });
  }

  test('beam search: a node’s score, pruning and selection in the detail panel', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    await send(page, runMessage(beam));
    const pruned = [...beamTree.nodes.values()].find((n) => n.status === 'pruned' && n.scores.confidence !== undefined);
    assert.ok(pruned, 'the fixture prunes a scored step');
    await page.locator(`g.node[data-id="${pruned.id}"]`).click();
    const facts = await page.locator('#detail .facts').innerText();
    assert.match(facts, new RegExp(`pruned\\s+${escapeRegExp(pruned.pruneReason ?? '')}`));
    assert.match(facts, new RegExp(`score \\(confidence\\)\\s+${pruned.scores.confidence.toFixed(3)}`));
    const selected = beamTree.ended?.result?.selected as string;
    await page.locator(`g.node[data-id="${selected}"]`).click();
    assert.match(await page.locator('#detail .facts').innerText(), /selected\s+the answer the search chose/);
    await page.screenshot({ path: join(SHOTS, 'search-beam-detail-dark.png') });
    await assertClean(view);
    await page.context().close();
  });

  test('the gold scorer is named as evaluation only', async () => {
    const view = await suite.open({ theme: 'light', ...SIDE_PANEL });
    const { page } = view;
    const header = { ...beam.header, runId: 'gold-run', scorer: { name: 'gold', params: { evaluationOnly: true } } };
    const events = beam.events.map((e) => (e.type === 'step_scored' ? { ...e, scorer: 'gold' } : e));
    await send(page, { type: 'run', header, events, label: 'gold' });
    assert.match(await page.locator('#key').innerText(), /gold answer \(evaluation only\)/);
    const step = [...beamTree.nodes.values()].find((n) => n.kind === 'step' && n.scores.confidence !== undefined);
    assert.ok(step);
    await page.locator(`g.node[data-id="${step.id}"]`).hover();
    assert.match(await page.locator('#tooltip').innerText(), /gold answer \(evaluation only\): \d\.\d\d/);
    await assertClean(view);
    await page.context().close();
  });

  test('a search grows live: scores and prunes appear as their events arrive', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    const firstPrune = beam.events.findIndex((e) => e.type === 'node_pruned');
    const before = beam.events.slice(0, firstPrune);
    await send(page, runMessage(beam, before));
    assert.equal(await page.locator('g.node.pruned-branch').count(), 0);
    assert.match(await page.locator('#run-header .status').innerText(), /running/);
    const scoredBefore = await page.locator('g.node.scored').count();
    assert.ok(scoredBefore > 0, 'scores show while the search runs');
    await send(page, { type: 'events', runId: beam.header.runId, events: beam.events.slice(firstPrune) });
    assert.equal(await page.locator('g.node').count(), beamTree.nodes.size);
    assert.ok(await page.locator('g.node.pruned-branch').count() > 0);
    assert.ok(await page.locator('g.node.scored').count() > scoredBefore);
    assert.match(await page.locator('#run-header .status').innerText(), /completed/);
    await assertClean(view);
    await page.context().close();
  });
});

describe('trajectory tree: MCTS runs', () => {
  /** The nodes that existed once iteration k was backed up (k = 0: before the search grew). */
  function nodesAfter(k: number): string[] {
    let end = 1; // the root
    mcts.events.forEach((e, i) => {
      if (e.type === 'mcts_backup' && e.iteration < k) end = i + 1;
    });
    if (k >= (mctsTree.iterations ?? 0)) end = mcts.events.length;
    return mcts.events.slice(0, end).flatMap((e) => (e.type === 'node_added' ? [e.id] : [])).sort();
  }

  async function scrubTo(page: Page, k: number): Promise<void> {
    const slider = page.getByRole('slider', { name: 'MCTS iteration' });
    await slider.focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < k; i++) await page.keyboard.press('ArrowRight');
  }

  for (const theme of ['dark', 'light', 'high-contrast'] as ThemeName[]) {
    test(`visit counts as node size, value on hover (${theme})`, async () => {
      const view = await suite.open({ theme, ...SIDE_PANEL });
      const { page } = view;
      await send(page, runMessage(mcts, mcts.events, 'mcts-12.run.jsonl'));
      assert.match(await page.locator('#run-header').innerText(), /mcts · 12 iterations/);
      const sizes = await page.locator('g.node').evaluateAll((els) => els
        .filter((el) => el.getAttribute('data-id') !== 'root')
        .map((el) => ({ visits: Number(el.getAttribute('data-visits') ?? 0), r: Number(el.querySelector('circle')?.getAttribute('r')) })));
      sizes.sort((a, b) => a.visits - b.visits);
      for (let i = 1; i < sizes.length; i++) {
        if (sizes[i].visits > sizes[i - 1].visits) assert.ok(sizes[i].r > sizes[i - 1].r, `${sizes[i].visits} visits draw bigger than ${sizes[i - 1].visits}`);
        else assert.equal(sizes[i].r, sizes[i - 1].r, 'equal visits, equal size');
      }
      assert.match(await page.locator('#key').innerText(), /visits, up to \d+/);

      const busiest = [...mctsTree.nodes.values()].filter((n) => n.parent !== null).sort((a, b) => (b.visits ?? 0) - (a.visits ?? 0))[0];
      await page.locator(`g.node[data-id="${busiest.id}"]`).hover();
      const value = ((busiest.valueSum ?? 0) / (busiest.visits ?? 1)).toFixed(2);
      assert.match(await page.locator('#tooltip').innerText(), new RegExp(`${busiest.visits} visits · value ${value}`));
      await page.screenshot({ path: join(SHOTS, `search-mcts-${theme}.png`) });
      await assertClean(view);
      await page.context().close();
    });
  }

  test('the iteration scrubber shows exactly the nodes that existed after each iteration', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    await send(page, runMessage(mcts));
    const iterations = mctsTree.iterations ?? 0;
    assert.equal(iterations, 12);
    const slider = page.getByRole('slider', { name: 'MCTS iteration' });
    assert.equal(await slider.getAttribute('max'), String(iterations));
    assert.equal(await slider.inputValue(), String(iterations), 'opens on the whole run');

    for (const k of [0, 1, 5, 11, iterations]) {
      await scrubTo(page, k);
      assert.deepEqual(await drawnIds(page), nodesAfter(k), `nodes at iteration ${k}`);
      assert.match(await page.locator('.scrubber-value').innerText(), new RegExp(`^${k} / ${iterations}$`));
    }
    await scrubTo(page, 5);
    // Visits as they stood: the root had been through five simulations.
    assert.equal(await page.locator('g.node[data-id="root"]').getAttribute('data-visits'), '5');
    await page.screenshot({ path: join(SHOTS, 'search-mcts-scrubbed-dark.png') });
    await assertClean(view);
    await page.context().close();
  });

  test('a scrubbed view holds its iteration while the run grows, and follows again at the end', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    const half = mcts.events.findIndex((e) => e.type === 'mcts_backup' && e.iteration === 6) + 1;
    await send(page, runMessage(mcts, mcts.events.slice(0, half)));
    assert.match(await page.locator('#run-header .status').innerText(), /running · iteration 7\/12/);
    await scrubTo(page, 3);
    const atThree = await drawnIds(page);
    await send(page, { type: 'events', runId: mcts.header.runId, events: mcts.events.slice(half) });
    assert.deepEqual(await drawnIds(page), atThree, 'the tree stays at iteration 3');
    const slider = page.getByRole('slider', { name: 'MCTS iteration' });
    assert.equal(await slider.getAttribute('max'), '12', 'the slider reaches the new iterations');
    await page.keyboard.press('End');
    assert.equal(await page.locator('g.node').count(), mctsTree.nodes.size, 'the end shows the whole run');
    assert.match(await page.locator('#run-header .status').innerText(), /completed/);
    await assertClean(view);
    await page.context().close();
  });

  test('runs without iterations have no scrubber and no key', async () => {
    const view = await suite.open({ theme: 'dark', ...SIDE_PANEL });
    const { page } = view;
    const majority = load('majority-8.run.jsonl');
    await send(page, runMessage(majority));
    assert.equal(await page.locator('#scrubber').isVisible(), false);
    assert.equal(await page.locator('#key').isVisible(), false);
    await assertClean(view);
    await page.context().close();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
