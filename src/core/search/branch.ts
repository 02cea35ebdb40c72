/** Continuing a logged run by hand from one of its steps: **branch** (a new continuation after the
 * step), **resample** (the step and the rest written again from the steps before it) and **wait**
 * (a trigger such as "Wait," after the step, as budget forcing writes one). Each is a new lane
 * appended to the run file through the same `SearchContext.extend` and `conclude` the strategies use,
 * so the branch replays into the same tree with its answer graded and grouped like the others. Lanes
 * are `branch<k>`, `resample<k>`, `wait<k>` with k above every such lane in the log, so a name is
 * never reused; the seed comes from the run's base seed and k, so a deterministic server writes the
 * same branch again. Branches of one file run one at a time, each reading the file afresh. */
import * as path from 'node:path';
import type { ModelBackend } from '../model/types';
import { readRunFile } from '../trace/runFile';
import { RunRecorder } from '../trace/recorder';
import type { TreeNode } from '../trace/tree';
import { SearchContext } from './context';
import { Scheduler } from './scheduler';
import { checkServer, generationOf, reopenEndedRun } from './startRun';

export type BranchKind = 'branch' | 'resample' | 'wait';

export interface BranchRequest {
  kind: BranchKind;
  /** The step to branch at. */
  nodeId: string;
  /** What an injected continuation starts with; default "Wait,". */
  trigger?: string;
  /** Sampling temperature; default the run's own, or `GREEDY_RUN_TEMPERATURE` for a greedy run, whose
   * branch would only repeat the chain. */
  temperature?: number;
}

export interface BranchOptions {
  backend: ModelBackend;
  signal?: AbortSignal;
  /** Called with the reopened run before anything is generated: its events so far, and `onEvent`
   * for what the branch adds (a view of the run can show the branch growing). */
  onReady?(recorder: RunRecorder, notices: string[]): void;
}

export interface BranchResult {
  lane: string;
  /** The node the new lane hangs from. */
  parent: string;
  /** The nodes added, in order. */
  ids: string[];
  /** The answer leaf, when the branch wrote a final answer. */
  answer?: string;
  /** Why the branch produced nothing usable, when it did not. */
  failed?: string;
}

export const GREEDY_RUN_TEMPERATURE = 0.7;
/** Branch seeds sit far above the strategies' own (base + small counters, + 1000 per retry). */
const BRANCH_SEED_OFFSET = 1_000_000;
const BRANCH_LANE = /^(?:branch|resample|wait)(\d+)\./;

const busy = new Map<string, Promise<unknown>>();

/** Appends a branch to the run file at `file`; resolves once it is written (or has failed). */
export function branchRun(file: string, request: BranchRequest, opts: BranchOptions): Promise<BranchResult> {
  const key = path.resolve(file);
  const run = (busy.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => writeBranch(file, request, opts));
  busy.set(key, run);
  void run.finally(() => {
    if (busy.get(key) === run) busy.delete(key);
  }).catch(() => undefined);
  return run;
}

/** The next free lane name of this kind: numbered above every branch lane in the tree. */
export function nextBranchLane(nodeIds: Iterable<string>, kind: BranchKind): string {
  let k = 0;
  for (const id of nodeIds) {
    const m = BRANCH_LANE.exec(id);
    if (m) k = Math.max(k, Number(m[1]));
  }
  return `${kind}${k + 1}`;
}

async function writeBranch(file: string, request: BranchRequest, opts: BranchOptions): Promise<BranchResult> {
  const { header, events } = await readRunFile(file);
  const generation = generationOf(header);
  const checked = await checkServer(opts.backend, { strategy: header.strategy.name, params: {}, generation, concurrency: 1 }, opts.signal);
  const { recorder } = await reopenEndedRun(file, 'branching');
  const scheduler = new Scheduler(1, undefined, opts.signal, recorder.now());
  try {
    for (const message of checked.notices) recorder.emit({ type: 'warning', t: recorder.now(), message });
    const ctx = new SearchContext(opts.backend, recorder, scheduler, checked.spec.generation);
    const node = ctx.node(request.nodeId);
    if (node.kind !== 'step') throw new Error(`${request.nodeId} is ${node.kind === 'root' ? 'the problem' : 'an answer'}; branch at a step`);
    // The run's answer groups first, so the branch's answer is labelled as the run labels its group.
    for (const e of events) if (e.type === 'answer_extracted' && e.raw !== null) ctx.ballot.cast(e.raw);
    opts.onReady?.(recorder, checked.notices);
    const lane = nextBranchLane(recorder.tree.nodes.keys(), request.kind);
    const parent = request.kind === 'resample' ? parentOf(node) : node.id;
    const temperature = request.temperature ?? (generation.sampling.temperature ? generation.sampling.temperature : GREEDY_RUN_TEMPERATURE);
    const ext = await ctx.extend(parent, {
      lane,
      seed: generation.sampling.seed + BRANCH_SEED_OFFSET + Number(lane.replace(/\D+/, '')),
      temperature,
      ...(request.kind === 'wait' && { inject: request.trigger ?? 'Wait,' }),
    });
    if (ext.failed) return { lane, parent, ids: ext.ids, failed: ext.failed };
    if (ext.ids.length === 0) {
      const failed = 'the model wrote nothing more from here';
      ctx.fail({ lane }, failed);
      return { lane, parent, ids: [], failed };
    }
    const answer = ctx.conclude(ext.last, lane, { vote: false });
    return { lane, parent, ids: ext.ids, ...(answer && { answer }) };
  } finally {
    scheduler.dispose();
    recorder.close();
  }
}

function parentOf(node: TreeNode): string {
  if (node.parent === null) throw new Error(`${node.id} has no parent to resample from`);
  return node.parent;
}
