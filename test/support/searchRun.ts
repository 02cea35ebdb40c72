/** What the strategy tests share: a stand-in process reward model, a run on the test server written
 * to a file, cancelling one, resuming a copy of it cut short, and readers of the resulting tree. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OllamaBackend } from '../../src/core/model/ollama';
import { aggregate, type Aggregation, type Scorer } from '../../src/core/reward/types';
import { buildSpec, executeRun, type SpecInput } from '../../src/core/search/run';
import { prepareRun, resumeRun } from '../../src/core/search/startRun';
import { readRunFile } from '../../src/core/trace/runFile';
import type { RunEvent } from '../../src/core/trace/schema';
import { replay, type RunTree, type TreeNode } from '../../src/core/trace/tree';
import type { TestServer } from './ollamaServer';
import { problemText, tempDir } from './helpers';
import { unitFromKey } from './random';

export const GOLD = '\\frac{14}{3}';

/** Each step's score is fixed by the chain up to it, so scores are varied, repeatable, and differ
 * between chains that share a step's text. */
export const chainHashScorer: Scorer = {
  name: 'chain-hash',
  async scoreSteps(chain, from) {
    return chain.steps.slice(from).map((_, i) => unitFromKey(chain.steps.slice(0, from + i + 1).map((s) => s.text).join('\n\n')));
  },
};

export const chatRequests = (server: TestServer): number => server.requests.filter((r) => r.path === '/api/chat').length;

/** Runs a search on the fixture problem into a run file; `requests` counts what it asked the server. */
export async function runSearch(server: TestServer, input: SpecInput, opts: { signal?: AbortSignal; onEvent?: (e: RunEvent) => void } = {}) {
  const backend = new OllamaBackend(server.url);
  const outFile = path.join(tempDir(), `${input.strategy}.run.jsonl`);
  const requestsBefore = chatRequests(server);
  const prepared = await prepareRun({ backend, problem: { text: problemText(), answer: GOLD }, spec: buildSpec(input), outFile });
  if (opts.onEvent) prepared.recorder.onEvent(opts.onEvent);
  const ended = await executeRun(backend, prepared.recorder, prepared.spec, opts.signal).finally(() => prepared.recorder.close());
  const logged = await readRunFile(outFile);
  return { ended, outFile, logged, recorder: prepared.recorder, tree: replay(logged.header, logged.events), requests: chatRequests(server) - requestsBefore };
}

/** Runs a search as `runSearch` does and cancels it at the first event `cancelAt` picks; checks that
 * it ended cancelled, and that once every stream the run opened is closed (finished, or aborted by
 * the cancel) nothing was logged after run_ended. */
export async function runCancelledSearch(server: TestServer, input: SpecInput, cancelAt: (e: RunEvent) => boolean) {
  const controller = new AbortController();
  const run = await runSearch(server, input, {
    signal: controller.signal,
    onEvent: (e) => {
      if (cancelAt(e)) controller.abort();
    },
  });
  assert.equal(run.ended.status, 'cancelled');
  const count = run.recorder.events.length;
  while (server.stats.streamsStarted > server.stats.streamsCompleted + server.stats.streamsAborted) await server.waitForAbort(2000);
  assert.equal(run.recorder.events.length, count, 'no event after run_ended');
  assert.equal(run.recorder.events.at(-1)?.type, 'run_ended');
  return run;
}

/** Everything a view shows of a tree, to compare two runs. */
export function shape(tree: RunTree): string[] {
  return [...tree.nodes.values()].map((n) => JSON.stringify([
    n.id, n.parent, [...n.children].sort(), n.text, n.status, n.pruneReason, n.stopReason, n.tags, n.scores,
    n.visits, n.valueSum, n.answer?.normalized, n.selected, n.sample,
  ])).sort();
}

/** A lane's last node (`<lane>.0`, `<lane>.1`…). */
export function laneEnd(tree: RunTree, lane: string): TreeNode | undefined {
  let last: TreeNode | undefined;
  for (let k = 0, node = tree.nodes.get(`${lane}.0`); node; node = tree.nodes.get(`${lane}.${++k}`)) last = node;
  return last;
}

/** A lane of a step search, `<prefix>A.B.C` with its nodes at `.0`, `.1`…, read back from the tree. */
export interface StepLane {
  lane: string;
  /** A, B and C of the lane's name. */
  numbers: [number, number, number];
  first: TreeNode;
  /** The lane's last node. */
  end: TreeNode;
  finished: boolean;
  /** The answer leaf, when the chain finished with one. */
  answer?: TreeNode;
}

/** Every lane named `<prefix>A.B.C` in the tree (`prefix` a letter, as `b` for beam search), in no
 * particular order. */
export function stepLanes(tree: RunTree, prefix: string): StepLane[] {
  const lanes: StepLane[] = [];
  const name = new RegExp(`^${prefix}(\\d+)\\.(\\d+)\\.(\\d+)\\.0$`);
  for (const node of tree.nodes.values()) {
    const m = name.exec(node.id);
    if (!m) continue;
    const lane = node.id.slice(0, -2);
    const end = laneEnd(tree, lane)!;
    const answer = tree.nodes.get(`${lane}.answer`);
    lanes.push({ lane, numbers: [Number(m[1]), Number(m[2]), Number(m[3])], first: node, end, finished: answer !== undefined || end.answer !== undefined, answer });
  }
  return lanes;
}

/** The score a step search ranked a lane by: `scorer`'s scores of its chain with the lookahead after
 * it, aggregated `how`. */
export function laneRankScore(tree: RunTree, lane: string, scorer: string, how: Aggregation): number {
  return aggregate(chainSteps(tree, lookaheadEnd(tree, lane)!.id).map((s) => s.scores[scorer]).filter(Number.isFinite), how);
}

/** The end of a lane's lookahead (`<lane>.l0`, `<lane>.l1`…), else of the lane itself. */
export function lookaheadEnd(tree: RunTree, lane: string): TreeNode | undefined {
  let end = laneEnd(tree, lane);
  for (let j = 0, ahead = laneEnd(tree, `${lane}.l0`); ahead; ahead = laneEnd(tree, `${lane}.l${++j}`)) end = ahead;
  return end;
}

/** The step nodes from the root down to `id`. */
export function chainSteps(tree: RunTree, id: string): TreeNode[] {
  const steps: TreeNode[] = [];
  for (let n = tree.nodes.get(id); n && n.parent !== null; n = tree.nodes.get(n.parent)) if (n.kind === 'step') steps.unshift(n);
  return steps;
}

/** Resumes a copy of a run file cut after its first `events` events, as a crash there would leave it. */
export async function resumeCut(server: TestServer, file: string, events: number, scorer?: Scorer) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const cut = path.join(tempDir(), 'cut.run.jsonl');
  fs.writeFileSync(cut, lines.slice(0, 1 + events).join('\n') + '\n');
  const requestsBefore = chatRequests(server);
  const backend = new OllamaBackend(server.url);
  const resumed = await resumeRun(cut, { backend, scorer });
  const ended = await executeRun(backend, resumed.recorder, resumed.spec).finally(() => resumed.recorder.close());
  const logged = await readRunFile(cut);
  return { ended, logged, tree: replay(logged.header, logged.events), requests: chatRequests(server) - requestsBefore };
}
