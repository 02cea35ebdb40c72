/** The analysis runner: takes a run open in a recorder (a logged run reopened for appending, or an
 * imported trace's run in memory) and writes its analyses as events — self-correction points for every
 * step, forced-answer probes when a model is given, and, when asked, critical tokens and step
 * importance on one chain. Analyses read the run's tree only, so a run analysed twice gets the same
 * tree, and what is already logged (identical points, probes already made) is not written again. */
import { isCancelled } from '../model/errors';
import type { ModelBackend } from '../model/types';
import type { Scheduler } from '../search/scheduler';
import { settleAll } from '../search/settle';
import type { RunRecorder } from '../trace/recorder';
import type { AnalysisReference, AnswerProbedEvent, SelfCorrectionEvent } from '../trace/schema';
import { answerGroups, pathTo, type RunTree, type TreeNode } from '../trace/tree';
import { AnswerMatcher, correctionEffects, effectOf, statedAnswers, type StatedAnswer } from './correctionEffect';
import { findCriticalTokens, type CriticalOptions, type CriticalSearchResult } from './critical';
import { measureStepImportance, type ImportanceOptions, type ImportanceResult } from './importance';
import { chainTextUpTo, probeAnswer, type ChainPoint, type ProbeSettings } from './probe';
import type { RolloutSettings } from './rollouts';
import { findSelfCorrections, type Lexicon, type SelfCorrectionPoint } from './selfCorrection';
import { confidenceDips, type ConfidenceDip, type DipOptions } from './tokenConfidence';

export interface ProbeOptions extends ProbeSettings {
  backend: ModelBackend;
  /** Slots and budget the probes share (a probe is one short request). */
  scheduler: Scheduler;
}

/** A rollout analysis (critical tokens, step importance): the model server, the sampling settings
 * and the analysis's own options and budget. */
export interface RolloutAnalysis<O> {
  backend: ModelBackend;
  settings: RolloutSettings;
  options?: Partial<O>;
}

export interface AnalyzeOptions {
  lexicon?: Lexicon;
  /** Forced-answer probes at every self-correction point and step end. */
  probe?: ProbeOptions;
  critical?: RolloutAnalysis<CriticalOptions>;
  importance?: RolloutAnalysis<ImportanceOptions>;
  /** A node on the chain the rollout analyses look at (default: the run's principal chain). */
  chain?: string;
  signal?: AbortSignal;
}

export interface AnalysisReport {
  /** What the effects were judged against; none when the problem has no gold answer and fewer than
   * two chains answered. */
  reference?: AnalysisReference;
  /** Events this analysis added to the run. */
  written: number;
  selfCorrections: number;
  probes: { positions: number; answered: number; stoppedBy?: string };
  critical?: CriticalSearchResult;
  importance?: ImportanceResult;
}

/** A chain of the run: its steps from the first, and the node it ends in (an answer leaf or a step). */
export interface RunChain {
  steps: TreeNode[];
  leaf: TreeNode;
}

export async function analyzeRun(recorder: RunRecorder, opts: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const { tree } = recorder;
  const firstEvent = recorder.events.length;
  const reference = runReference(tree);
  const matcher = new AnswerMatcher();
  const plans = planChains(tree, opts.lexicon);
  const probes = opts.probe ? await probeChains(recorder, plans, opts.probe, reference, matcher) : { positions: 0, answered: 0 };
  let points = 0;
  for (const plan of plans) {
    for (const event of selfCorrectionEvents(plan, reference, matcher)) {
      points++;
      const logged = tree.nodes.get(event.id)?.analysis?.selfCorrections.find((p) => p.start === event.start);
      if (!logged || !sameEvent(logged, event)) recorder.emit({ ...event, t: recorder.now() });
    }
  }
  const report: AnalysisReport = { ...(reference && { reference }), written: 0, selfCorrections: points, probes };
  if (opts.critical || opts.importance) {
    const chain = principalChain(tree, opts.chain).steps;
    const run = { problem: recorder.header.problem, signal: opts.signal, chain, sink: recorder };
    if (opts.critical) {
      const { backend, settings, options } = opts.critical;
      report.critical = await findCriticalTokens({ ...run, backend, settings, options, reference });
    }
    if (opts.importance) {
      const { backend, settings, options } = opts.importance;
      report.importance = await measureStepImportance({ ...run, backend, settings, options, reference: report.critical?.reference ?? reference });
    }
  }
  report.written = recorder.events.length - firstEvent;
  return report;
}

/** The gold answer when the problem has one; otherwise the run's majority answer, when one answer has
 * strictly more votes than any other (a tie, or one chain agreeing with itself, says nothing). */
export function runReference(tree: RunTree): AnalysisReference | undefined {
  const gold = tree.header.problem.answer?.trim();
  if (gold) return { kind: 'gold', answer: gold };
  const [first, second] = answerGroups(tree).filter((g) => g.answer !== null);
  return first?.answer && first.votes >= 2 && first.votes > (second?.votes ?? 0) ? { kind: 'majority', answer: first.answer } : undefined;
}

/**
 * Every chain from the root to a leaf, the principal one first: at each fork the child leading to a
 * selected node (the strategy's choice) comes first, then the others in the order they were written.
 * A node shared by several chains is analysed on the first, so its effects follow the principal path.
 */
export function runChains(tree: RunTree): RunChain[] {
  const root = tree.rootId === undefined ? undefined : tree.nodes.get(tree.rootId);
  if (!root) return [];
  const leadsToSelected = new Map<string, boolean>();
  const selectedBelow = (node: TreeNode): boolean => {
    // Iterative post-order: deep imported chains must not overflow the stack.
    const stack: [TreeNode, boolean][] = [[node, false]];
    while (stack.length) {
      const [n, expanded] = stack.pop() as [TreeNode, boolean];
      if (leadsToSelected.has(n.id)) continue;
      const children = n.children.map((id) => tree.nodes.get(id)).filter((c): c is TreeNode => c !== undefined);
      if (!expanded) {
        stack.push([n, true], ...children.map((c): [TreeNode, boolean] => [c, false]));
        continue;
      }
      leadsToSelected.set(n.id, n.selected || children.some((c) => leadsToSelected.get(c.id)));
    }
    return leadsToSelected.get(node.id) ?? false;
  };
  selectedBelow(root);
  const chains: RunChain[] = [];
  // Paths are built at the leaves from parent links: copying them at every node would be quadratic in
  // a long chain's depth (thousands of thinking steps).
  const stack: TreeNode[] = [root];
  while (stack.length) {
    const node = stack.pop() as TreeNode;
    const children = node.children.map((id) => tree.nodes.get(id)).filter((c): c is TreeNode => c !== undefined);
    if (children.length === 0) {
      if (node !== root) chains.push({ steps: pathTo(tree, node.id).filter((n) => n.kind === 'step'), leaf: node });
      continue;
    }
    const ordered = [...children].sort((a, b) => Number(leadsToSelected.get(b.id)) - Number(leadsToSelected.get(a.id)));
    for (let i = ordered.length - 1; i >= 0; i--) stack.push(ordered[i]);
  }
  return chains;
}

/** The chain through node `through` (the principal one below it), or the run's principal chain. */
export function principalChain(tree: RunTree, through?: string): RunChain {
  const chains = runChains(tree);
  if (chains.length === 0) throw new Error('the run has no chain to analyse');
  if (through === undefined) return chains[0];
  if (!tree.nodes.has(through)) throw new Error(`the run has no node ${through}`);
  const chain = chains.find((c) => c.leaf.id === through || c.steps.some((s) => s.id === through));
  if (!chain) throw new Error(`${through} is on no chain of steps`);
  return chain;
}

/** The confidence dips of every chain's tokens, each step's dips counted on the first chain through
 * it, strongest first. */
export function runConfidenceDips(tree: RunTree, opts: DipOptions = {}): (ConfidenceDip & { id: string; token: string; tokenIndex: number })[] {
  const seen = new Set<string>();
  const dips: (ConfidenceDip & { id: string; token: string; tokenIndex: number })[] = [];
  for (const { steps } of runChains(tree)) {
    const owners: { node: TreeNode; from: number }[] = [];
    const tokens = steps.flatMap((s) => {
      owners.push({ node: s, from: owners.length ? owners[owners.length - 1].from + (owners[owners.length - 1].node.tokens?.length ?? 0) : 0 });
      return s.tokens ?? [];
    });
    for (const dip of confidenceDips(tokens, { ...opts, limit: undefined })) {
      const owner = [...owners].reverse().find((o) => o.from <= dip.index);
      if (!owner || seen.has(owner.node.id)) continue;
      dips.push({ ...dip, id: owner.node.id, token: tokens[dip.index].token, tokenIndex: dip.index - owner.from });
    }
    for (const s of steps) seen.add(s.id);
  }
  dips.sort((a, b) => b.excess - a.excess);
  return opts.limit === undefined ? dips : dips.slice(0, opts.limit);
}

/** A chain's text with what the runner needs: where each step starts in it, the points of the steps
 * first analysed on this chain, and the answers it states. */
interface ChainPlan {
  chain: RunChain;
  /** The points of every step analysed so far (shared by the plans). */
  pointsOf: Map<string, SelfCorrectionPoint[]>;
  starts: Map<string, number>;
  text: string;
  /** Steps analysed on this chain (not on an earlier one) and their points. */
  owned: { step: TreeNode; points: SelfCorrectionPoint[] }[];
  answers: StatedAnswer[];
}

function planChains(tree: RunTree, lexicon?: Lexicon): ChainPlan[] {
  const pointsOf = new Map<string, SelfCorrectionPoint[]>();
  const answersOf = new Map<string, StatedAnswer[]>();
  const plans: ChainPlan[] = [];
  for (const chain of runChains(tree)) {
    const owned = chain.steps.filter((s) => !pointsOf.has(s.id));
    if (owned.length === 0) continue;
    for (const step of owned) pointsOf.set(step.id, findSelfCorrections(step.text, lexicon));
    const starts = new Map<string, number>();
    const answers: StatedAnswer[] = [];
    let at = 0;
    for (const step of chain.steps) {
      starts.set(step.id, at);
      let stated = answersOf.get(step.id);
      if (!stated) answersOf.set(step.id, (stated = statedAnswers(step.text)));
      for (const a of stated) answers.push({ ...a, start: a.start + at, end: a.end + at });
      at += step.text.length + 2;
    }
    // The chain's final answer as the run recorded it, stated at its end (a source may give it apart from the text).
    const raw = chain.leaf.answer?.raw;
    if (raw) answers.push({ start: at, end: at, answer: raw, strength: 'final' });
    plans.push({
      chain, starts, answers, pointsOf,
      text: chain.steps.map((s) => s.text).join('\n\n'),
      owned: owned.map((step) => ({ step, points: pointsOf.get(step.id) ?? [] })),
    });
  }
  return plans;
}

/** The probe positions of a plan: each point (cut before its marker; a point opening a step is the
 * end of the step before) and each step's end, in chain order. */
function probePoints(plan: ChainPlan): ChainPoint[] {
  const steps = plan.chain.steps;
  const found: ChainPoint[] = [];
  for (const { step, points } of plan.owned) {
    for (const p of points) {
      const i = steps.indexOf(step);
      if (p.start > 0) found.push({ id: step.id, offset: p.start });
      else if (i > 0) found.push({ id: steps[i - 1].id, offset: steps[i - 1].text.length });
    }
    found.push({ id: step.id, offset: step.text.length });
  }
  const position = (q: ChainPoint) => (plan.starts.get(q.id) ?? 0) + q.offset;
  const unique = new Map(found.map((q) => [`${q.id}@${q.offset}`, q]));
  return [...unique.values()].sort((a, b) => position(a) - position(b));
}

async function probeChains(recorder: RunRecorder, plans: ChainPlan[], opts: ProbeOptions, reference: AnalysisReference | undefined, matcher: AnswerMatcher): Promise<AnalysisReport['probes']> {
  const { tree, header } = recorder;
  const jobs = plans.flatMap((plan) => probePoints(plan).map((point) => ({ plan, point })));
  const due = jobs.filter(({ point }) => !tree.nodes.get(point.id)?.analysis?.probes.some((p) => p.offset === point.offset));
  await settleAll(due.map(async ({ plan, point }) => {
    const answer = await probeAnswer(opts.backend, opts.scheduler, header.problem.text, chainTextUpTo(plan.chain.steps, point), opts);
    const event: AnswerProbedEvent = { type: 'answer_probed', t: recorder.now(), id: point.id, offset: point.offset, answer };
    // Only a gold answer makes a probe right or wrong; agreement with a majority is no correctness.
    if (answer !== null && reference?.kind === 'gold') event.correct = matcher.same(answer, reference.answer);
    recorder.emit(event);
  }).map((p) => p.catch((err: unknown) => {
    if (isCancelled(err) && opts.scheduler.stopped?.kind === 'budget') return; // the budget ran out: later probes are skipped
    throw err;
  })));
  const answered = jobs.filter(({ point }) => tree.nodes.get(point.id)?.analysis?.probes.some((p) => p.offset === point.offset && p.answer !== null)).length;
  const stopped = opts.scheduler.stopped;
  return { positions: jobs.length, answered, ...(stopped?.kind === 'budget' && { stoppedBy: stopped.message }) };
}

/** The self-correction events of the steps first analysed on `plan`'s chain. Forced-answer probes,
 * where logged, say what the chain was heading to better than its text: the probe at a point is its
 * `before`, the first answered probe after it (up to the next point) its `after`. */
function selfCorrectionEvents(plan: ChainPlan, reference: AnalysisReference | undefined, matcher: AnswerMatcher): Omit<SelfCorrectionEvent, 't'>[] {
  const points = plan.owned.flatMap(({ step, points: ps }) => ps.map((p) => ({ step, p, at: (plan.starts.get(step.id) ?? 0) + p.start })));
  if (points.length === 0) return [];
  // Points of steps analysed on an earlier chain still bound the segments of this one.
  const bounds = plan.chain.steps.flatMap((s) => (plan.pointsOf.get(s.id) ?? []).map((p) => (plan.starts.get(s.id) ?? 0) + p.start));
  const effects = correctionEffects(plan.text, bounds, plan.answers, reference, matcher);
  const probed = plan.chain.steps.flatMap((s) => (s.analysis?.probes ?? []).map((q) => ({ at: (plan.starts.get(s.id) ?? 0) + q.offset, answer: q.answer })))
    .sort((a, b) => a.at - b.at);
  return points.map(({ step, p, at }) => {
    const k = bounds.indexOf(at);
    const text = effects[k];
    const next = bounds[k + 1] ?? Number.POSITIVE_INFINITY;
    // A point opening a step was probed at the end of the step before (two characters back: "\n\n").
    const probeBefore = probed.find((q) => q.at <= at && q.at >= at - 2)?.answer ?? undefined;
    const probeAfter = probed.find((q) => q.at > at && q.at <= next && q.answer !== null)?.answer ?? undefined;
    const before = probeBefore ?? text.before;
    const after = probeAfter ?? text.after;
    return {
      type: 'self_correction', id: step.id, start: p.start, end: p.end, marker: p.marker, kind: p.kind,
      effect: effectOf(before, after, reference, matcher),
      ...(before !== undefined && { before }), ...(after !== undefined && { after }), ...(reference && { reference }),
    };
  });
}

const EVENT_FIELDS = ['id', 'start', 'end', 'marker', 'kind', 'effect', 'before', 'after'] as const;

function sameEvent(logged: SelfCorrectionEvent, fresh: Omit<SelfCorrectionEvent, 't'>): boolean {
  return EVENT_FIELDS.every((f) => logged[f] === fresh[f])
    && logged.reference?.kind === fresh.reference?.kind && logged.reference?.answer === fresh.reference?.answer;
}
