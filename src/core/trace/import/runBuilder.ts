/** Builds the events of an imported run with the engine's own conventions (root `root`, steps
 * `s<chain>.<i>`, answer leaves `s<chain>.answer`), so imported and generated runs look alike in
 * every view. Imported runs have no timing: every event is at t = 0. */
import { AnswerBallot } from '../../answer/ballot';
import { REASONSCOPE_VERSION } from '../../version';
import { ROOT_ID, RUN_SCHEMA_VERSION, type AnswerRule, type ProblemRef, type RunEvent, type RunHeader, type StepLabel } from '../schema';
import { unixLines } from './steps';
import type { ImportedRun, RecordOrigin } from './types';

export const UNKNOWN_MODEL = 'unknown model';

export interface ChainStep {
  text: string;
  tags?: string[];
}

/** A final answer: extracted from text (with the rule that found it) or given by the source. */
export interface FoundAnswer {
  answer: string;
  rule?: AnswerRule;
}

/** A verdict the source gives itself, and where it comes from (shown beside the answer). */
export interface Verdict {
  correct: boolean;
  from: string;
}

export class RunBuilder {
  private readonly events: RunEvent[] = [];
  private readonly warnings: string[] = [];
  private readonly ballot: AnswerBallot;
  private chains = 0;

  constructor(private readonly problem: ProblemRef, private readonly model: string = UNKNOWN_MODEL) {
    this.ballot = new AnswerBallot(problem.answer);
    this.events.push({ type: 'node_added', t: 0, id: ROOT_ID, parent: null, kind: 'root', text: unixLines(problem.text) });
  }

  /** Adds one chain of steps below `parent` (the root unless it branches off another chain). Returns the step ids. */
  chain(sample: number, steps: readonly ChainStep[], parent = ROOT_ID): string[] {
    return steps.map((step, i) => {
      const id = `s${sample}.${i}`;
      this.node(id, parent, step, sample);
      parent = id;
      return id;
    });
  }

  /** One step; without `sample` it belongs to no chain (an alternative the source considered there). */
  node(id: string, parent: string, step: ChainStep, sample?: number): void {
    if (sample !== undefined) this.chains = Math.max(this.chains, sample + 1);
    this.events.push({
      type: 'node_added', t: 0, id, parent, kind: 'step', text: unixLines(step.text),
      ...(sample !== undefined && { sample }),
      ...(step.tags?.length && { tags: step.tags }),
    });
  }

  label(id: string, label: StepLabel, source: string, rating?: number): void {
    this.events.push({ type: 'step_labeled', t: 0, id, label, source, ...(rating !== undefined && { rating }) });
  }

  score(id: string, scorer: string, score: number | undefined): void {
    if (score !== undefined && Number.isFinite(score)) this.events.push({ type: 'step_scored', t: 0, id, scorer, score });
  }

  prune(id: string, reason: string): void {
    this.events.push({ type: 'node_pruned', t: 0, id, reason });
  }

  /** The chain's final answer: a leaf under `parent` when there is one, otherwise "no answer" on
   * `parent` itself (as the engine does). Without a verdict, a known gold answer decides. Returns
   * the answer leaf's id, if one was added. */
  answer(sample: number, parent: string, found: FoundAnswer | null, verdict?: Verdict): string | undefined {
    const raw = found?.answer.trim() || null;
    let id = parent;
    if (raw !== null) {
      id = `s${sample}.answer`;
      this.events.push({ type: 'node_added', t: 0, id, parent, kind: 'answer', text: raw, sample });
    }
    this.events.push({
      type: 'answer_extracted', t: 0, id, raw,
      ...(raw === null ? { normalized: null } : this.ballot.cast(raw, verdict)),
      ...(raw !== null && found?.rule && { rule: found.rule }),
      // The source's verdict holds even where no answer could be extracted.
      ...(verdict && { correct: verdict.correct, correctFrom: verdict.from }),
    });
    return raw === null ? undefined : id;
  }

  warn(message: string): void {
    this.warnings.push(message);
    this.events.push({ type: 'warning', t: 0, message });
  }

  finish(origin: RecordOrigin): ImportedRun {
    const where = `${origin.format}:${origin.file}#${origin.index}`;
    const header: RunHeader = {
      type: 'header',
      schema: RUN_SCHEMA_VERSION,
      runId: where,
      createdAt: origin.createdAt,
      problem: { ...this.problem, source: `${origin.file}#${origin.index}` },
      backend: { kind: 'imported', host: '', model: this.model, logprobs: false, options: {} },
      strategy: { name: origin.format, params: { record: origin.index, n: Math.max(1, this.chains) } },
      versions: { reasonscope: REASONSCOPE_VERSION },
      importedFrom: where,
    };
    this.events.push({
      type: 'run_ended', t: 0, status: 'completed', result: this.ballot.result(),
      totals: { promptTokens: 0, completionTokens: 0, requests: 0, wallMs: 0 },
    });
    return { header, events: this.events, warnings: this.warnings };
  }
}
