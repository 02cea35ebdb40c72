/** The run being shown: the replayed tree plus what the views derive from it (answer groups in a
 * stable order, group colours, progress, the scorer and the visit scale). Rebuilt by `replay`, grown
 * by `applyEvent`; `at` replays a prefix of the log (the MCTS scrubber). */
import type { RunEvent, RunHeader } from '../src/core/trace/schema';
import { answerGroups, applyEvent, emptyTree, type AnswerGroup, type RunTree, type TreeNode } from '../src/core/trace/tree';
import { GroupColors } from './colors';
import { orderChildren, rankGroups, type GroupKey } from './order';
import { scoreInfo, type ScoreInfo } from './scores';
import { maxVisits } from './visits';

/** What a replay of part of the log takes from the whole run, so nothing moves or recolours. */
interface Pinned {
  colors: GroupColors;
  rank: GroupKey[];
  score: ScoreInfo | undefined;
  maxVisits: number;
}

export class RunModel {
  readonly tree: RunTree;
  readonly colors: GroupColors;
  /** Every event so far, in order. */
  readonly events: RunEvent[] = [];
  /** Answer groups, in display order (see order.ts). */
  groups: AnswerGroup[] = [];
  childOrder = new Map<string, string[]>();
  /** Time of the latest event, for the wall clock of a run still in progress. */
  lastEventMs = 0;
  score: ScoreInfo | undefined;
  /** The most visits of a node below the root (MCTS), the top of the size scale. */
  maxVisits = 0;
  private rank: GroupKey[] = [];

  constructor(header: RunHeader, events: readonly RunEvent[], readonly label: string, private readonly pinned?: Pinned) {
    this.tree = emptyTree(header);
    this.colors = pinned?.colors ?? new GroupColors();
    this.append(events);
  }

  /** The run as it stood after its first `count` events, drawn with this run's colours, order and scale. */
  at(count: number): RunModel {
    return new RunModel(this.tree.header, this.events.slice(0, count), this.label, { colors: this.colors, rank: this.rank, score: this.score, maxVisits: this.maxVisits });
  }

  get runId(): string {
    return this.tree.header.runId;
  }

  append(events: readonly RunEvent[]): void {
    for (const event of events) {
      applyEvent(this.tree, event);
      this.events.push(event);
      this.lastEventMs = Math.max(this.lastEventMs, event.t);
    }
    const groups = answerGroups(this.tree);
    this.rank = this.pinned?.rank ?? rankGroups(groups, this.rank);
    this.groups = this.rank.flatMap((key) => groups.filter((g) => g.answer === key));
    // Colours are handed out in rank order the first time a group appears, then never change.
    for (const key of this.rank) this.colors.colorOf(key);
    this.childOrder = orderChildren(this.tree, this.rank);
    this.score = this.pinned ? this.pinned.score : scoreInfo(this.tree);
    this.maxVisits = this.pinned?.maxVisits ?? maxVisits(this.tree);
  }

  node(id: string): TreeNode | undefined {
    return this.tree.nodes.get(id);
  }

  /** The declared answer when the run has ended, otherwise the group currently in the lead. */
  winner(): { key: GroupKey; final: boolean } | undefined {
    const result = this.tree.ended?.result;
    if (result) return { key: result.answer, final: true };
    const lead = this.groups[0];
    return lead && lead.answer !== null ? { key: lead.answer, final: false } : undefined;
  }

  /** Groups with the winner first, then by rank. */
  legendGroups(): AnswerGroup[] {
    const winner = this.winner()?.key;
    const first = this.groups.filter((g) => g.answer === winner);
    return [...first, ...this.groups.filter((g) => g.answer !== winner)];
  }

  /** The planned number of samples when the strategy declares one (`n`). */
  plannedSamples(): number | undefined {
    const n = this.tree.header.strategy.params.n;
    return typeof n === 'number' ? n : undefined;
  }

  /** The planned MCTS iterations when the strategy declares them. */
  plannedIterations(): number | undefined {
    const k = this.tree.header.strategy.params.iterations;
    return typeof k === 'number' ? k : undefined;
  }

  /** Samples that have finished: answered (or gave up without an answer) or failed. */
  finishedSamples(): number {
    const done = new Set<string>();
    for (const node of this.tree.nodes.values()) {
      if (node.answer) done.add(node.sample === undefined ? `node:${node.id}` : String(node.sample));
    }
    for (const failure of this.tree.failures) if (failure.sample !== undefined) done.add(String(failure.sample));
    return done.size;
  }

  /** Total tokens: the run's own totals once it ended, otherwise the sum over the nodes so far. */
  tokenTotals(): { prompt?: number; completion: number } {
    const totals = this.tree.ended?.totals;
    if (totals) return { prompt: totals.promptTokens, completion: totals.completionTokens };
    let completion = 0;
    for (const node of this.tree.nodes.values()) completion += node.tokenCount ?? node.tokens?.length ?? 0;
    return { completion };
  }

  wallMs(): number {
    return this.tree.ended?.totals.wallMs ?? this.lastEventMs;
  }

  failureOf(node: TreeNode): string | undefined {
    if (node.status !== 'error') return undefined;
    return this.tree.failures.find((f) => (f.id !== undefined ? f.id === node.id : f.sample !== undefined && f.sample === node.sample))?.message;
  }
}
