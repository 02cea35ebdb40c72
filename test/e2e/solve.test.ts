/** The packaged extension in a real VS Code (code-server, driven in headless Chromium): a user opens
 * a problem, runs "Reasonscope: Solve Problem" from the palette, watches the tree grow in the side
 * panel, and later reopens the saved run; runs "Reasonscope: Search…" accepting the defaults and sees
 * scored steps, pruned branches and the selected path; resumes a cancelled search; and a user whose
 * Ollama host is wrong is told so.
 * Evidence (screenshots, code-server and extension host logs, browser console) stays in
 * test-output/e2e/. */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { strategyNamed } from '../../src/core/search/strategies';
import { resolveParams } from '../../src/core/search/strategy';
import { parseRunText } from '../../src/core/trace/parse';
import { e2eOutputDir, repoRoot } from './support/paths';
import { closedPort } from '../support/helpers';
import { openTraceRecord, SOLVE_SCENARIO, solveProblemFixture, solveUserSettings, TRACE_SCENARIO } from './support/scenario';
import { withWorkbench } from './support/withWorkbench';
import { e2eSuite, skip } from './support/suite';


/** The tree webview's own markup (webview/): told apart from other webviews by its SVG. */
const tree = {
  frameMarker: '#tree-svg',
  node: '#tree-svg g.node',
  answerLeaf: '#tree-svg g.node.kind-answer',
  scoredNode: '#tree-svg g.node.scored',
  chosenLink: '#tree-svg path.link.chosen',
  prunedNode: '#tree-svg g.node.pruned-branch',
  key: '#key',
  legendVotes: '.legend-row .votes',
  status: '.run-header .status',
  label: '.run-header .label',
};

const RUN_TIMEOUT_MS = 90_000;
const BEAM = strategyNamed('beam');

describe('Reasonscope in a real VS Code (code-server + Chromium)', () => {
  const suite = e2eSuite(() => removeScreenshots());
  const clock = suite.clock;

  test('Solve Problem draws the tree in the side panel, saves the run, and Open Run shows it again', { skip }, async () => {
    const problem = SOLVE_SCENARIO.problemFile;
    await withWorkbench(
      'solve',
      { workspaceFiles: { [solveProblemFixture]: problem }, userSettings: solveUserSettings, machineSettings: { 'reasonscope.host': suite.server.url }, vsix: suite.vsix },
      clock,
      async (workbench, codeServer) => {
        await workbench.openFile(problem);
        await workbench.runCommand('Reasonscope: Solve Problem');
        await workbench.waitForStatusBar(SOLVE_SCENARIO.model);

        const live = await readFinishedTree(await workbench.webviewFrame(tree.frameMarker));
        assert.equal(live.status, 'completed');
        assert.ok(live.nodes > 0, 'the tree has nodes');
        assert.ok(live.answerLeaves > 0 && live.answerLeaves <= SOLVE_SCENARIO.samples, `answer leaves: ${live.answerLeaves}`);
        assert.equal(live.votes.reduce((a, b) => a + b, 0), SOLVE_SCENARIO.samples, 'legend votes add up to the samples');
        const done = await workbench.waitForNotification(/majority answer/);
        assert.match(done, new RegExp(`/${SOLVE_SCENARIO.samples} votes`));
        await workbench.waitForNoNotification(/solving with/);
        await workbench.screenshot(join(e2eOutputDir, 'solve.png'));

        const runsDir = join(codeServer.workspaceDir, '.reasonscope/runs');
        const runFiles = readdirSync(runsDir).filter((name) => name.endsWith('.run.jsonl'));
        assert.equal(runFiles.length, 1, `one run file in ${runsDir}`);
        const saved = parseRunText(readFileSync(join(runsDir, runFiles[0]), 'utf8'));
        assert.equal(saved.events.filter((e) => e.type === 'answer_extracted').length, SOLVE_SCENARIO.samples);

        await workbench.openFile(`.reasonscope/runs/${runFiles[0]}`);
        await workbench.runCommand('Reasonscope: Open Run');
        const frame = await workbench.webviewFrame(tree.frameMarker);
        await waitForText(frame, tree.label, runFiles[0]);
        assert.deepEqual(await readFinishedTree(frame), live, 'the reopened run shows the same tree');
        await workbench.screenshot(join(e2eOutputDir, 'open-run.png'));
      },
    );
  });

  test('Search… with beam search and the confidence scorer, defaults accepted, shows scored steps, pruned branches and the selected path', { skip }, async () => {
    const problem = SOLVE_SCENARIO.problemFile;
    await withWorkbench(
      'search',
      { workspaceFiles: { [solveProblemFixture]: problem }, userSettings: solveUserSettings, machineSettings: { 'reasonscope.host': suite.server.url }, vsix: suite.vsix },
      clock,
      async (workbench, codeServer) => {
        await workbench.openFile(problem);
        await workbench.runCommandWithInput('Reasonscope: Search…', 'Search — strategy');
        await workbench.acceptQuickPickStep('Search — strategy', BEAM.title, 'beam');
        await workbench.acceptQuickPickStep(`Search — ${BEAM.title}`, `Start ${BEAM.title}`);
        await workbench.acceptQuickPickStep('Search — scorer', 'confidence', 'confidence');
        await workbench.waitForQuickInputClosed();

        const frame = await workbench.webviewFrame(tree.frameMarker);
        const reading = await readFinishedTree(frame);
        assert.equal(reading.status, 'completed');
        assert.ok(reading.answerLeaves > 0, 'chains reached answers');
        assert.ok(await frame.locator(tree.scoredNode).count() > 0, 'steps are coloured by their scores');
        assert.match(await frame.locator(tree.key).innerText(), /confidence/, 'the key names the scorer');
        assert.ok(await frame.locator(tree.prunedNode).count() > 0, 'pruned branches are marked');
        assert.ok(await frame.locator(tree.chosenLink).count() > 0, 'the path to the selected answer is emphasised');
        const done = await workbench.waitForNotification(new RegExp(`${BEAM.title} chose`));
        assert.match(done, /confidence score \d\.\d\d/, `the summary says how the answer was chosen: "${done}"`);
        assert.doesNotMatch(done, /\\frac|\\sqrt/, `the answer reads as plain text, not LaTeX: "${done}"`);
        await workbench.waitForNoNotification(new RegExp(`${BEAM.title} with`));
        await workbench.screenshot(join(e2eOutputDir, 'search.png'));

        const runsDir = join(codeServer.workspaceDir, '.reasonscope/runs');
        const runFiles = readdirSync(runsDir).filter((name) => name.includes(`-${BEAM.name}-`));
        assert.equal(runFiles.length, 1, `one ${BEAM.name} run file in ${runsDir}`);
        const saved = parseRunText(readFileSync(join(runsDir, runFiles[0]), 'utf8'));
        assert.equal(saved.header.scorer?.name, 'confidence');
        assert.deepEqual(saved.header.strategy.params, { ...resolveParams(BEAM, {}), concurrency: saved.header.strategy.params.concurrency }, 'the defaults were run');
      },
    );
  });

  test('Resume Run continues a cancelled search in its own file and the tree shows it finished', { skip }, async () => {
    const runFile = '.reasonscope/runs/best-of-6-cancelled.run.jsonl';
    const fixture = join(repoRoot, 'test/fixtures/runs/best-of-6-cancelled.run.jsonl');
    const before = readFileSync(fixture, 'utf8');
    const stopped = parseRunText(before);
    await withWorkbench(
      'resume',
      { workspaceFiles: { [fixture]: runFile }, userSettings: solveUserSettings, machineSettings: { 'reasonscope.host': suite.server.url }, vsix: suite.vsix },
      clock,
      async (workbench, codeServer) => {
        await workbench.openFile(runFile);
        await workbench.runCommand('Reasonscope: Resume Run');
        const reading = await readFinishedTree(await workbench.webviewFrame(tree.frameMarker));
        assert.equal(reading.status, 'completed');
        const n = stopped.header.strategy.params.n as number;
        assert.equal(reading.votes.reduce((a, b) => a + b, 0), n, 'every chain of the run is finished');
        const done = await workbench.waitForNotification(/Best-of-N chose/);
        await workbench.waitForNoNotification(/resuming/);
        await workbench.screenshot(join(e2eOutputDir, 'resume.png'));

        const after = readFileSync(join(codeServer.workspaceDir, runFile), 'utf8');
        assert.ok(after.startsWith(before), 'what the run had logged stays as it was');
        const resumed = parseRunText(after);
        assert.equal(resumed.events.filter((e) => e.type === 'run_resumed').length, 1);
        const ended = resumed.events.at(-1);
        assert.equal(ended?.type === 'run_ended' ? ended.status : ended?.type, 'completed', 'the run ends completed');
        assert.match(done, /confidence score/, `the summary says how the answer was chosen: "${done}"`);
      },
    );
  });

  test('Open Trace File lists the records of a ProcessBench file and shows the chosen one with its first error', { skip }, async () => {
    await withWorkbench(
      'open-trace',
      { workspaceFiles: { [TRACE_SCENARIO.fixture]: TRACE_SCENARIO.file }, userSettings: solveUserSettings, vsix: suite.vsix },
      clock,
      async (workbench) => {
        await openTraceRecord(workbench);
        const frame = await workbench.webviewFrame(tree.frameMarker);
        await waitForText(frame, tree.label, `${TRACE_SCENARIO.file} · record 3`);
        assert.match(await frame.locator('.run-header').innerText(), /imported · read-only/);
        const steps = await frame.locator(tree.node).evaluateAll((els) => els.map((el) => el.getAttribute('class') ?? ''));
        const firstError = steps.findIndex((c) => c.includes('label-error'));
        assert.ok(firstError > 0, 'a step is marked as the first error');
        assert.equal(steps.slice(0, firstError).filter((c) => c.includes('label-unjudged')).length, 0, 'no step before the first error is unjudged');
        assert.match(await frame.locator('.legend-row .mark').getAttribute('title') ?? '', /per ProcessBench final_answer_correct/);
        await workbench.screenshot(join(e2eOutputDir, 'open-trace.png'));
      },
    );
  });

  test('Solve Problem against a host where nothing listens says Ollama is not reachable there, and stops', { skip }, async () => {
    const host = `127.0.0.1:${await closedPort()}`;
    await withWorkbench(
      'unreachable',
      { workspaceFiles: { [solveProblemFixture]: SOLVE_SCENARIO.problemFile }, userSettings: solveUserSettings, machineSettings: { 'reasonscope.host': `http://${host}` }, vsix: suite.vsix },
      clock,
      async (workbench) => {
        await workbench.openFile(SOLVE_SCENARIO.problemFile);
        await workbench.runCommand('Reasonscope: Solve Problem');
        const message = await workbench.waitForNotification(/cannot reach Ollama|Ollama is not reachable/i);
        assert.ok(message.includes(host), `the notification names ${host}: "${message}"`);
        await workbench.waitForNoNotification(/solving with/);
        await workbench.screenshot(join(e2eOutputDir, 'unreachable.png'));
      },
    );
  });
});

interface TreeReading {
  status: string;
  nodes: number;
  answerLeaves: number;
  votes: number[];
}

/** Waits until the header says the run ended, then reads what the user sees. */
async function readFinishedTree(frame: Frame): Promise<TreeReading> {
  const status = frame.locator(tree.status);
  await status.and(frame.locator('[data-status="completed"], [data-status="failed"], [data-status="cancelled"]')).waitFor({ timeout: RUN_TIMEOUT_MS });
  return {
    status: (await status.getAttribute('data-status')) ?? '',
    nodes: await frame.locator(tree.node).count(),
    answerLeaves: await frame.locator(tree.answerLeaf).count(),
    votes: (await frame.locator(tree.legendVotes).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-votes'))))),
  };
}

function removeScreenshots(): void {
  if (!existsSync(e2eOutputDir)) return;
  for (const name of readdirSync(e2eOutputDir).filter((n) => n.endsWith('.png'))) rmSync(join(e2eOutputDir, name));
}

async function waitForText(frame: Frame, selector: string, text: string): Promise<void> {
  await frame.locator(selector, { hasText: text }).waitFor({ timeout: RUN_TIMEOUT_MS });
}
