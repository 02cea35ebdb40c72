/** Replays run events into a tree. Pure and browser-safe: the CLI, the extension and the webview
 * all build their views with this one function. */
import type { TokenLogprob, StopReason } from '../model/types';
import type {
  AnswerProbedEvent, AnswerRule, NodeKind, NodeStatus, RunEndedEvent, RunEvent, RunHeader, SelfCorrectionEvent, StepImportanceEvent,
  StepLabel, TokenProbedEvent,
} from './schema';

export interface TreeNode {
  id: string;
  parent: string | null;
  children: string[];
  kind: NodeKind;
  text: string;
  depth: number;
  sample?: number;
  tokens?: TokenLogprob[];
  tokenCount?: number;
  stopReason?: StopReason;
  latencyMs?: number;
  scores: Record<string, number>;
  status: NodeStatus;
  pruneReason?: string;
  selected: boolean;
  answer?: { raw: string | null; normalized: string | null; rule?: AnswerRule; correct?: boolean; reason?: string; correctFrom?: string };
  tags?: string[];
  /** MCTS: how often a simulation passed through the node, and the values backed up through it. */
  visits?: number;
  valueSum?: number;
  /** Analyses of the node's text and tokens (critical-token probes, self-correction points,
   * forced-answer probes, resampling importance), as logged. */
  analysis?: NodeAnalysis;
  /** The latest label a dataset gave the step (imported runs). */
  label?: { label: StepLabel; source: string; rating?: number };
}

export interface NodeAnalysis {
  /** Probed token positions in token order (a later probe of the same position replaces the earlier). */
  tokens: TokenProbedEvent[];
  selfCorrections: SelfCorrectionEvent[];
  probes: AnswerProbedEvent[];
  importance?: StepImportanceEvent;
}

export interface AnswerGroup {
  /** Normalised answer; null groups the chains that gave no answer. */
  answer: string | null;
  votes: number;
  leafIds: string[];
  correct?: boolean;
  /** Whose verdict `correct` is when not the gold-answer check (see `AnswerExtractedEvent`). */
  correctFrom?: string;
}

export interface RunTree {
  header: RunHeader;
  nodes: Map<string, TreeNode>;
  rootId?: string;
  ended?: RunEndedEvent;
  /** MCTS iterations backed up so far. */
  iterations?: number;
  warnings: string[];
  failures: { sample?: number; lane?: string; id?: string; message: string }[];
  eventCount: number;
}

export function emptyTree(header: RunHeader): RunTree {
  return { header, nodes: new Map(), warnings: [], failures: [], eventCount: 0 };
}

/** Applies one event in place. Unknown node ids are ignored so a damaged log still shows what it can. */
export function applyEvent(tree: RunTree, event: RunEvent): void {
  tree.eventCount++;
  switch (event.type) {
    case 'node_added': {
      const parent = event.parent === null ? undefined : tree.nodes.get(event.parent);
      const node: TreeNode = {
        id: event.id,
        parent: event.parent,
        children: [],
        kind: event.kind,
        text: event.text,
        depth: parent ? parent.depth + 1 : 0,
        sample: event.sample,
        tokens: event.tokens,
        tokenCount: event.tokenCount,
        stopReason: event.stopReason,
        latencyMs: event.latencyMs,
        tags: event.tags,
        scores: {},
        status: event.kind === 'answer' ? 'complete' : 'active',
        selected: false,
      };
      tree.nodes.set(node.id, node);
      if (parent) parent.children.push(node.id);
      else if (event.parent === null && tree.rootId === undefined) tree.rootId = node.id;
      return;
    }
    case 'step_scored': {
      const node = tree.nodes.get(event.id);
      if (node) node.scores[event.scorer] = event.score;
      return;
    }
    case 'step_labeled': {
      const node = tree.nodes.get(event.id);
      if (node) node.label = { label: event.label, source: event.source, rating: event.rating };
      return;
    }
    case 'node_pruned': {
      const node = tree.nodes.get(event.id);
      if (node) {
        node.status = 'pruned';
        node.pruneReason = event.reason;
      }
      return;
    }
    case 'node_selected': {
      const node = tree.nodes.get(event.id);
      if (node) node.selected = true;
      return;
    }
    case 'answer_extracted': {
      const node = tree.nodes.get(event.id);
      if (node) {
        const { raw, normalized, rule, correct, reason, correctFrom } = event;
        node.answer = definedOnly({ raw, normalized, rule, correct, reason, correctFrom });
        node.status = 'complete';
      }
      return;
    }
    case 'sample_failed': {
      tree.failures.push(definedOnly({ sample: event.sample, lane: event.lane, id: event.id, message: event.message }));
      const node = event.id ? tree.nodes.get(event.id) : undefined;
      if (node) node.status = 'error';
      return;
    }
    case 'warning':
      tree.warnings.push(event.message);
      return;
    case 'mcts_backup':
      for (let node = tree.nodes.get(event.id); node; node = node.parent === null ? undefined : tree.nodes.get(node.parent)) {
        node.visits = (node.visits ?? 0) + 1;
        node.valueSum = (node.valueSum ?? 0) + event.value;
      }
      tree.iterations = Math.max(tree.iterations ?? 0, event.iteration + 1);
      return;
    case 'run_resumed':
      // A resumed run tries every failed request again: earlier failures are history, not state.
      tree.ended = undefined;
      tree.failures = [];
      for (const node of tree.nodes.values()) if (node.status === 'error') node.status = 'active';
      return;
    case 'run_ended':
      tree.ended = event;
      return;
    case 'token_probed': {
      const analysis = analysisOf(tree, event.id);
      if (!analysis) return;
      analysis.tokens = analysis.tokens.filter((p) => p.index !== event.index);
      analysis.tokens.push(event);
      analysis.tokens.sort((a, b) => a.index - b.index);
      return;
    }
    case 'self_correction': {
      const analysis = analysisOf(tree, event.id);
      if (!analysis) return;
      // Analysing a chain again replaces the point at the same place rather than doubling it.
      analysis.selfCorrections = analysis.selfCorrections.filter((p) => p.start !== event.start);
      analysis.selfCorrections.push(event);
      analysis.selfCorrections.sort((a, b) => a.start - b.start);
      return;
    }
    case 'answer_probed': {
      const analysis = analysisOf(tree, event.id);
      if (!analysis) return;
      analysis.probes = analysis.probes.filter((p) => p.offset !== event.offset);
      analysis.probes.push(event);
      analysis.probes.sort((a, b) => a.offset - b.offset);
      return;
    }
    case 'step_importance': {
      const analysis = analysisOf(tree, event.id);
      if (analysis) analysis.importance = event;
      return;
    }
  }
}

function analysisOf(tree: RunTree, id: string): NodeAnalysis | undefined {
  const node = tree.nodes.get(id);
  if (!node) return undefined;
  node.analysis ??= { tokens: [], selfCorrections: [], probes: [] };
  return node.analysis;
}

export function replay(header: RunHeader, events: Iterable<RunEvent>): RunTree {
  const tree = emptyTree(header);
  for (const event of events) applyEvent(tree, event);
  return tree;
}

/** Groups the answered leaves by normalised answer, most votes first (ties: first seen). */
export function answerGroups(tree: RunTree): AnswerGroup[] {
  const groups = new Map<string | null, AnswerGroup>();
  for (const node of tree.nodes.values()) {
    if (!node.answer) continue;
    const key = node.answer.normalized;
    let group = groups.get(key);
    if (!group) {
      group = definedOnly({ answer: key, votes: 0, leafIds: [], correct: node.answer.correct, correctFrom: node.answer.correctFrom });
      groups.set(key, group);
    }
    group.votes++;
    group.leafIds.push(node.id);
  }
  return [...groups.values()].sort((a, b) => {
    if ((a.answer === null) !== (b.answer === null)) return a.answer === null ? 1 : -1;
    return b.votes - a.votes;
  });
}

/** The nodes from the root to `id`, root first. */
export function pathTo(tree: RunTree, id: string): TreeNode[] {
  const path: TreeNode[] = [];
  for (let node = tree.nodes.get(id); node; node = node.parent ? tree.nodes.get(node.parent) : undefined) {
    path.push(node);
  }
  return path.reverse();
}

/** Leaves out absent optional fields, so a replayed node equals one built from the same facts. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
