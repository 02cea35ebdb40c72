/** Problem authoring in a real VS Code (code-server + Chromium): a user opens a problem file with
 * planted mistakes and sees them squiggled where they are — a misspelt front-matter key, a stray `$`,
 * a LaTeX slip KaTeX rejects, a statement that repeats a MATH-500 problem — with the actions above the
 * title. ▶ Solve from the CodeLens runs the model and leaves the result next to the title; editing the
 * statement clears it and undo brings it back; Estimate difficulty runs a pilot and writes the bin into
 * the front matter. In a MATH-500-style problem set each record has the same lenses, and ▶ Solve on one
 * record leaves its result on that record's line only. Screenshots: test-output/e2e/authoring/. */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { e2eOutputDir, repoRoot } from './support/paths';
import { SOLVE_SCENARIO, solveUserSettings } from './support/scenario';
import { withWorkbench } from './support/withWorkbench';
import type { Box, Workbench } from './support/workbench';
import { e2eSuite, skip } from './support/suite';
import { waitFor } from './support/waitFor';

const PROBLEM = 'planted-errors.problem.md';
/** Three MATH-500 records; the second, test/algebra/2584.json, is the one the test server solves well. */
const SET = 'set.jsonl';
/** Each record's id, as its line ends: what finds the line on screen. */
const RECORDS = ['number_theory/572.json"}', 'algebra/2584.json"}', 'prealgebra/572.json"}'];
const SHOTS = join(e2eOutputDir, 'authoring');
const PILOT_SAMPLES = 4;
const RUN_TIMEOUT_MS = 90_000;
/** The inline result of a solve, model included: Reasonscope lifts the editor's inlay-hint length limit
 * for problem files and problem sets, so nothing is cut off. */
const ANNOTATION = new RegExp(`[✓✗] \\d/${SOLVE_SCENARIO.samples} · majority \\S+ · (easy|medium|hard) for ${SOLVE_SCENARIO.model.replace(/\./g, '\\.')}`);

describe('Problem authoring in a real VS Code (code-server + Chromium)', () => {
  const suite = e2eSuite(() => rmSync(SHOTS, { recursive: true, force: true }));

  test('planted mistakes are squiggled with the actions above the title; a solve leaves its result inline until the statement changes; a pilot writes the difficulty', { skip }, async () => {
    const settings = { ...solveUserSettings, 'reasonscope.pilotSamples': PILOT_SAMPLES };
    await withWorkbench(
      'authoring',
      { workspaceFiles: { [join(repoRoot, 'test/fixtures/authoring', PROBLEM)]: PROBLEM }, userSettings: settings, machineSettings: { 'reasonscope.host': suite.server.url }, vsix: suite.vsix },
      suite.clock,
      async (workbench, codeServer) => {
        await workbench.openFile(PROBLEM);
        await waitFor(async () => (await workbench.squiggles()).length >= 4, 'the diagnostics squiggles');
        assert.equal(await severityUnder(workbench, await workbench.textBox('levle: 3', 'levle')), 'warning', 'the misspelt key');
        assert.equal(await severityUnder(workbench, await workbench.textBox('$x^^2$', 'x^^2')), 'error', 'the KaTeX error');
        assert.equal(await severityUnder(workbench, await workbench.textBox('$4 and 5', '$')), 'error', 'the unclosed $');
        assert.equal(await severityUnder(workbench, await workbench.textBox('# Rational function sum', 'Rational')), 'warning', 'the near-duplicate of MATH-500');

        const title = () => workbench.textBox('# Rational function sum', '#');
        await waitFor(async () => (await workbench.codeLenses()).length >= 3, 'the CodeLens above the title');
        const lenses = (await workbench.codeLenses()).map((l) => l.title);
        for (const lens of ['▶ Solve', 'Search…', 'Estimate difficulty']) assert.ok(lenses.includes(lens), `CodeLens "${lens}" in ${lenses.join(' | ')}`);
        assert.ok(!lenses.includes('Open last run'), 'no last run yet');

        assert.match(await workbench.hoverOver(await workbench.textBox('levle: 3', 'levle'), /level/), /levle/);
        await workbench.mouseAway();
        assert.match(await workbench.hoverOver(await workbench.textBox('# Rational function sum', 'Rational'), /MATH-500/), /test\/algebra\/2584\.json/);
        await workbench.screenshot(join(SHOTS, 'hover-duplicate.png'));
        await workbench.mouseAway();
        const answer = await workbench.hoverOver(await workbench.textBox('\\dfrac{14}{3}', '14'), /14\/3/);
        assert.match(answer, /\\frac\{14\}\{3\}/, 'the normalised answer');
        await workbench.screenshot(join(SHOTS, 'hover-answer.png'));
        await workbench.mouseAway();
        await workbench.screenshot(join(SHOTS, 'planted.png'));
        // The highlighting and squiggles read in a dark and a high-contrast theme too.
        for (const [kind, theme] of [['dark', 'Dark Modern'], ['high-contrast', 'Dark High Contrast'], ['light', 'Light Modern']] as const) {
          await workbench.setColorTheme(theme);
          await workbench.waitForThemeKind(kind);
          await workbench.mouseAway();
          if (kind !== 'light') await workbench.screenshot(join(SHOTS, `planted-${kind}.png`));
        }

        await workbench.clickCodeLens('▶ Solve', await title());
        await workbench.waitForNotification(/majority answer/, RUN_TIMEOUT_MS);
        await waitFor(async () => ANNOTATION.test((await workbench.lineText('# Rational function sum')) ?? ''), 'the result next to the title');
        await waitFor(async () => (await workbench.codeLenses()).some((l) => l.title === 'Open last run'), 'the "Open last run" lens');
        await workbench.mouseAway();
        await workbench.screenshot(join(SHOTS, 'solved.png'));

        // An edit to the statement makes the result stale; undo makes it current again.
        await workbench.clickAt(await workbench.textBox('common fraction.', 'fraction.'));
        await workbench.press('End');
        await workbench.type(' Simplify.');
        await waitFor(async () => !ANNOTATION.test((await workbench.lineText('# Rational function sum')) ?? ''), 'the result cleared by the edit');
        await workbench.press('Control+Z');
        await waitFor(async () => ANNOTATION.test((await workbench.lineText('# Rational function sum')) ?? ''), 'the result back after undo');

        await workbench.clickCodeLens('Estimate difficulty', await title());
        const estimate = await workbench.waitForNotification(/Estimated difficulty: (easy|medium|hard) for /, RUN_TIMEOUT_MS);
        assert.match(estimate, new RegExp(`/${PILOT_SAMPLES} correct`));
        await workbench.clickNotificationButton(/Estimated difficulty/, 'Write to Front Matter');
        await workbench.waitForNoNotification(/difficulty pilot/);
        await waitFor(async () => /^difficulty: (easy|medium|hard)/.test((await workbench.lineText('difficulty:')) ?? ''), 'the difficulty in the front matter');
        await workbench.mouseAway();
        await workbench.screenshot(join(SHOTS, 'difficulty.png'));
        await waitFor(async () => /difficulty: (easy|medium|hard)/.test(readFileSync(join(codeServer.workspaceDir, PROBLEM), 'utf8')), 'the difficulty saved to the file');
      },
    );
  });

  test('a problem set: each record has the lenses above it; ▶ Solve on one record leaves its result on that record\'s line only', { skip }, async () => {
    await withWorkbench(
      'authoring-set',
      { workspaceFiles: { [join(repoRoot, 'test/fixtures/authoring', SET)]: SET }, userSettings: solveUserSettings, machineSettings: { 'reasonscope.host': suite.server.url }, vsix: suite.vsix },
      suite.clock,
      async (workbench) => {
        await workbench.openFile(SET);
        const solveLenses = async () => (await workbench.codeLenses()).filter((l) => l.title === '▶ Solve');
        await waitFor(async () => (await solveLenses()).length === RECORDS.length, 'a ▶ Solve lens above each record');
        const lenses = (await workbench.codeLenses()).map((l) => l.title);
        for (const lens of ['Search…', 'Estimate difficulty']) assert.equal(lenses.filter((t) => t === lens).length, RECORDS.length, `"${lens}" on each record`);
        assert.ok(!lenses.includes('Open last run'), 'no last run yet');

        // The second record (MATH-500 test/algebra/2584.json): its lens is the nearest above its line.
        await workbench.clickCodeLens('▶ Solve', await workbench.textBox('what is the value of $f(-2)', 'what'));
        await workbench.waitForNotification(/majority answer/, RUN_TIMEOUT_MS);
        await waitFor(async () => ANNOTATION.test((await workbench.lineText(RECORDS[1])) ?? ''), 'the result at the end of the solved record\'s line');
        for (const other of [RECORDS[0], RECORDS[2]]) assert.doesNotMatch((await workbench.lineText(other)) ?? '', /majority/, `no result on ${other}`);
        await waitFor(async () => (await workbench.codeLenses()).filter((l) => l.title === 'Open last run').length === 1, 'one "Open last run" lens, on the solved record');

        // MATH-500 lines run past the window: wrapped, as one reads a problem set, the result is in view.
        await workbench.runCommand('View: Toggle Word Wrap');
        await workbench.mouseAway();
        await workbench.screenshot(join(SHOTS, 'problem-set.png'));
      },
    );
  });
});

/** The severity of the squiggle drawn under a box of text. */
async function severityUnder(workbench: Workbench, box: Box): Promise<string | undefined> {
  const under = (await workbench.squiggles()).filter((s) => Math.abs(s.y + s.height / 2 - (box.y + box.height)) < box.height && s.x < box.x + box.width && s.x + s.width > box.x);
  return under[0]?.severity;
}
