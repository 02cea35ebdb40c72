/** An annotated chain in a real VS Code (code-server + Chromium): a user opens a run that analyses
 * have looked at, clicks a step in the tree and opens its chain as a document. The critical token is
 * highlighted on its own text (strongly, as harmful), a helpful one more lightly, a probe that found
 * nothing is not marked; the self-correction has its gutter icon and mark; the steps end in their
 * scores; each step offers its actions; a hover explains the critical token. The cursor's step glows
 * in the tree and a click in the tree moves the cursor; the heat toggle tints unsure tokens; the same
 * document is read in a light and a high-contrast theme; Branch here writes a new chain into the run,
 * which joins the tree and opens beside; an imported trace opens as a chain in one command.
 * Screenshots: test-output/e2e/annotations/ (a folder of their own: the solve suite clears the
 * screenshots at the top of test-output/e2e/ when it starts). */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseRunText } from '../../src/core/trace/parse';
import { replay } from '../../src/core/trace/tree';
import { chainPath, layoutChain } from '../../src/extension/annotations/chainLayout';
import { e2eOutputDir, repoRoot } from './support/paths';
import { openTraceRecord, solveUserSettings, TRACE_SCENARIO } from './support/scenario';
import { withWorkbench } from './support/withWorkbench';
import { e2eSuite, skip } from './support/suite';
import { waitFor } from './support/waitFor';


const FIXTURE = join(repoRoot, 'test/fixtures/runs/annotated.run.jsonl');
const RUN_FILE = '.reasonscope/runs/annotated.run.jsonl';
const run = parseRunText(readFileSync(FIXTURE, 'utf8'));
const tree = replay(run.header, run.events);
/** The chain the document shows: chain 1, through its wrong step s0.1. */
const layout = layoutChain(tree, chainPath(tree, 's0.1'));
const lineOf = (nodeId: string) => {
  const part = layout.parts.find((p) => p.node.id === nodeId);
  assert.ok(part, `${nodeId} is in the chain`);
  return layout.text.slice(0, part.textStart).split('\n').length;
};
/** The decoration backgrounds Reasonscope contributes (package.json `colors`). */
const BACKGROUNDS = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { colors: { id: string }[] } })
  .contributes.colors.map((c) => c.id.replace(/^reasonscope\./, '')).filter((id) => id.endsWith('Background'));
const SHOTS = join(e2eOutputDir, 'annotations');
const THEMES = { dark: 'Default Dark Modern', light: 'Light Modern', 'high-contrast': 'Dark High Contrast' } as const;

describe('Annotated chain documents in a real VS Code (code-server + Chromium)', () => {
  const suite = e2eSuite(() => rmSync(SHOTS, { recursive: true, force: true }));
  const clock = suite.clock;

  test('a chain opened from the tree shows its analyses inline, in step with the tree, in dark, light and high-contrast themes; Branch here adds a chain', { skip }, async () => {
    const settings = { ...solveUserSettings, 'workbench.colorTheme': THEMES.dark };
    await withWorkbench(
      'annotations',
      { workspaceFiles: { [FIXTURE]: RUN_FILE }, userSettings: settings, machineSettings: { 'reasonscope.host': suite.server.url }, vsix: suite.vsix },
      clock,
      async (workbench, codeServer) => {
        await workbench.openFile(RUN_FILE);
        await workbench.runCommand('Reasonscope: Open Run');
        const frame = await workbench.webviewFrame('#tree-svg');
        await frame.locator('g.node[data-id="s0.1"]').click();
        await frame.getByRole('button', { name: 'Open chain as document' }).click();
        await workbench.waitForEditor('chain-1-s0.answer.md');

        const color = (id: string) => workbench.themeColor(`reasonscope.${id}`);
        /** Which of our background colours are drawn under the text (the editor's own, such as the
         * highlight of the word at the cursor, left out). */
        const backgrounds = async (needle: string, part: string) => {
          const ids = new Map<string, string>();
          for (const id of BACKGROUNDS) ids.set(await color(id), id);
          const drawn = await workbench.decorationsOver(await workbench.textBox(needle, part));
          return drawn.flatMap((d) => (ids.has(d.background) ? [ids.get(d.background)] : []));
        };
        // Decorations are drawn once the extension has computed them, and the first draw may be
        // replaced as the document settles: wait until the token shows its final highlight.
        const settled = async () => JSON.stringify(await backgrounds('Therefore the value', 'Therefore')) === JSON.stringify(['criticalTokenHarmful3Background']);
        await waitFor(settled, 'the strongest harmful highlight on the critical token').catch(() => undefined);
        assert.deepEqual(await backgrounds('Therefore the value', 'Therefore'), ['criticalTokenHarmful3Background'], 'the decisive token: strongest harmful highlight');
        assert.deepEqual(await backgrounds('This simplifies', 'This'), ['criticalTokenHelpful2Background'], 'a token that helped: a lighter one');
        assert.deepEqual(await backgrounds('First, we have', 'First'), [], 'a probe that found no difference is not marked; no heat by default');
        assert.deepEqual(await backgrounds('Wait, that is', 'Wait'), ['selfCorrectionBackground'], 'the self-correction marker');
        const icons = await workbench.gutterIcons();
        assert.ok(icons.some((img) => img.includes('self-correction-fixed-dark.svg')), `a gutter icon for the fix: ${icons.join(', ')}`);
        await waitFor(async () => (await workbench.codeLenses()).length > 0, 'the CodeLens above the steps');
        const titles = new Set((await workbench.codeLenses()).map((l) => l.title));
        for (const title of ['Branch here', 'Resample from here', 'Inject "Wait" here', 'Find critical tokens']) assert.ok(titles.has(title), `CodeLens "${title}"`);
        const step2 = tree.nodes.get('s0.1')!;
        const change = step2.scores.confidence - tree.nodes.get('s0.0')!.scores.confidence;
        await workbench.textBox(`confidence ${step2.scores.confidence.toFixed(2)} (${change < 0 ? '−' : '+'}${Math.abs(change).toFixed(2)})`);
        await workbench.textBox('✓ correct');

        await workbench.mouseAway();
        await workbench.screenshot(join(SHOTS, 'dark.png'));
        // Measured now: the CodeLens lines above the steps shift the text down once they are drawn.
        const hover = await workbench.hoverOver(await workbench.textBox('Therefore the value', 'Therefore'), /Critical token/);
        assert.match(hover, /criticality −0\.75/);
        assert.match(hover, /P\(correct\)/);
        assert.match(hover, /1\/12/);
        await workbench.screenshot(join(SHOTS, 'dark-hover.png'));

        // The cursor's step glows in the tree; a node clicked in the tree moves the cursor to its text.
        await workbench.clickAt(await workbench.textBox('This simplifies', 'simplifies'));
        await frame.locator('g.node.doc-cursor[data-id="s0.3"]').waitFor();
        await frame.locator('g.node[data-id="s0.4"]').click();
        await waitFor(async () => (await workbench.cursorPosition()).startsWith(`Ln ${lineOf('s0.4')},`), `the cursor on line ${lineOf('s0.4')}`);

        await workbench.runCommand('Reasonscope: Toggle Token Confidence Heat');
        await waitFor(async () => (await backgrounds('Therefore the value', 'Therefore')).length === 2, 'the heat under the critical token');
        assert.deepEqual((await backgrounds('Therefore the value', 'Therefore')).sort(), ['criticalTokenHarmful3Background', 'uncertainToken2Background'], '"Therefore" (p 0.23) in the middle band of the heat');
        await workbench.runCommand('Reasonscope: Toggle Token Confidence Heat');
        await waitFor(async () => (await backgrounds('Therefore the value', 'Therefore')).length === 1, 'the heat off again');

        for (const kind of ['light', 'high-contrast'] as const) {
          await workbench.setColorTheme(THEMES[kind]);
          await workbench.waitForThemeKind(kind);
          assert.deepEqual(await backgrounds('Therefore the value', 'Therefore'), ['criticalTokenHarmful3Background']);
          if (kind === 'light') assert.ok((await workbench.gutterIcons()).some((img) => img.includes('self-correction-fixed-light.svg')), 'the light gutter icon');
          await workbench.mouseAway();
          await workbench.screenshot(join(SHOTS, `${kind}.png`));
          const wait = await workbench.hoverOver(await workbench.textBox('Wait, that is', 'Wait'), /Self-correction/);
          assert.match(wait, /fixed the answer/);
          assert.match(wait, /\\frac\{3\}\{14\}.*→.*\\frac\{14\}\{3\}/s);
          await workbench.screenshot(join(SHOTS, `${kind}-hover.png`));
        }

        const runFile = join(codeServer.workspaceDir, RUN_FILE);
        const logged = readFileSync(runFile, 'utf8');
        await workbench.clickCodeLens('Find critical tokens', await workbench.textBox('### Step 4', '###'));
        const found = await workbench.waitForNotification(/Step 4: \d+ positions probed/, 90_000);
        const probes = parseRunText(readFileSync(runFile, 'utf8')).events.slice(run.events.length).filter((e) => e.type === 'token_probed');
        assert.ok(probes.length > 0 && probes.every((p) => p.id === 's0.3'), `probes of step 4 appended: ${found}`);

        const before = readFileSync(runFile, 'utf8');
        assert.ok(before.startsWith(logged));
        await workbench.clickCodeLens('Branch here', await workbench.textBox('### Step 1', '###'));
        await workbench.waitForEditor(/branch1\./, 60_000);
        await frame.locator('g.node[data-id="branch1.0"]').waitFor();
        const after = readFileSync(runFile, 'utf8');
        assert.ok(after.startsWith(before), 'the run file only grew');
        const branch = parseRunText(after).events.filter((e) => e.type === 'node_added' && e.id.startsWith('branch1.'));
        assert.ok(branch.length > 0 && branch[0].type === 'node_added' && branch[0].parent === 's0.0', 'the branch continues after step 1');
        await workbench.screenshot(join(SHOTS, 'branch.png'));
      },
    );
  });

  test('an imported trace opens as a chain document in one command: steps under their headers, the dataset\'s label, no actions on a read-only run', { skip }, async () => {
    await withWorkbench(
      'annotations-imported',
      { workspaceFiles: { [TRACE_SCENARIO.fixture]: TRACE_SCENARIO.file }, userSettings: solveUserSettings, vsix: suite.vsix },
      clock,
      async (workbench) => {
        await openTraceRecord(workbench);
        await workbench.webviewFrame('#tree-svg');
        await workbench.runCommand('Reasonscope: Open Chain as Document');
        await workbench.waitForEditor(/\.md$/);
        // ProcessBench names math-62's third step as its first error.
        await workbench.textBox('first error (per processbench)');
        await workbench.textBox('### Step 3');
        await workbench.textBox('Therefore, the word');
        assert.deepEqual(await workbench.codeLenses(), [], 'nothing to continue on an imported trace');
        await workbench.screenshot(join(SHOTS, 'imported.png'));
      },
    );
  });
});
