/** What every strategy works through: growing a chain from any node of the tree, concluding it with
 * its final answer, and scoring its steps. Each line of generation has a `lane`, a name the strategy
 * derives from its own loop counters, and its steps get the ids `<lane>.0`, `<lane>.1`…, so the same
 * strategy with the same seeds names the same nodes. That is what makes resume work: a lane whose
 * generation is already in the log is returned from it, not generated again. */
import { AnswerBallot } from '../answer/ballot';
import { extractAnswer } from '../answer/extract';
import { BackendError, CancelledError, isCancelled } from '../model/errors';
import type { GenerateRequest, ModelBackend, SamplingOptions, StopReason, TokenLogprob } from '../model/types';
import type { ChainToScore, Scorer, ScorerIO } from '../reward/types';
import type { RunRecorder } from '../trace/recorder';
import { ROOT_ID } from '../trace/schema';
import { storedTokens } from '../trace/tokens';
import type { TreeNode } from '../trace/tree';
import { sleep } from './pool';
import { solveMessages } from './prompt';
import { metered } from '../model/metered';
import type { Scheduler } from './scheduler';
import { StepStream, type CutStep } from './stepStream';

export interface GenerationSettings {
  model: string;
  /** `seed` is the run's base seed: every run has one, so a resumed run draws what the first would have. */
  sampling: SamplingOptions & { seed: number };
  logprobs: boolean;
  topLogprobs: number;
  /** Retries of a request after a transient error (503, dropped connection); default 2. */
  retries?: number;
}

export interface ExtendOptions {
  /** This line of generation's name; unique within the run and the same on every run of the strategy. */
  lane: string;
  /** Seed of the lane's first request (retries add 1000 per attempt). */
  seed: number;
  /** Stop at the end of one step (a stop sequence at the blank line), for step-level search. */
  oneStep?: boolean;
  temperature?: number;
  maxTokens?: number;
  /** Which independent sample the nodes belong to, for the views' colouring by chain. */
  sample?: number;
  /** Text written for the model before it continues (budget forcing's "Wait,"); it starts the first
   * new step, which is tagged `injected`. */
  inject?: string;
}

export interface Extension {
  /** The nodes added, in order (from the log when the lane was already generated). */
  ids: string[];
  /** The chain's last node: the last one added, else the parent. */
  last: string;
  /** The chain ended: a final answer was written, the model stopped, or it ran out of tokens. */
  finished: boolean;
  /** Set when the lane failed for good (after retries); its message is in the run as `sample_failed`. */
  failed?: string;
}

const STEP_STOP = '\n\n';
const RETRY_SEED_STRIDE = 1000;
const FINAL_ANSWER = /\\(?:boxed|fbox)\b/;

export class SearchContext {
  readonly ballot: AnswerBallot;
  /** Messages of requests that failed for good, in order. */
  readonly failures: string[] = [];
  /** The answer leaf the strategy would choose if the run stopped now (a budget running out mid-search):
   * anytime strategies keep it current, so a stopped run still reports their choice, not only the vote. */
  provisional: string | undefined;

  constructor(
    readonly backend: ModelBackend,
    readonly recorder: RunRecorder,
    readonly scheduler: Scheduler,
    readonly generation: GenerationSettings,
    readonly scorer?: Scorer,
  ) {
    this.ballot = new AnswerBallot(recorder.header.problem.answer);
    if (!recorder.tree.nodes.has(ROOT_ID)) {
      recorder.emit({ type: 'node_added', t: recorder.now(), id: ROOT_ID, parent: null, kind: 'root', text: recorder.header.problem.text });
    }
  }

  get signal(): AbortSignal {
    return this.scheduler.signal;
  }

  /** The scheduler as scorers see it, with warnings going into the run. */
  private get scorerIO(): ScorerIO {
    return {
      signal: this.scheduler.signal,
      run: (task) => this.scheduler.run(task),
      charge: (usage) => this.scheduler.charge(usage),
      warn: (message) => this.recorder.emit({ type: 'warning', t: this.recorder.now(), message }),
    };
  }

  node(id: string): TreeNode {
    const node = this.recorder.tree.nodes.get(id);
    if (!node) throw new Error(`no node ${id} in the run`);
    return node;
  }

  /** The step nodes from the root down to `id` (the root and answer leaves excluded). */
  steps(id: string): TreeNode[] {
    const path: TreeNode[] = [];
    for (let node: TreeNode | undefined = this.node(id); node && node.id !== ROOT_ID; node = node.parent === null ? undefined : this.recorder.tree.nodes.get(node.parent)) {
      if (node.kind === 'step') path.push(node);
    }
    return path.reverse();
  }

  /** The chain's text from the root to `id`, steps joined by blank lines. */
  chainText(id: string): string {
    return this.steps(id).map((s) => s.text).join('\n\n');
  }

  /** Continues the chain that ends at `parent`. Never throws for a failed request: the lane is marked
   * failed instead. Throws `CancelledError` when the run is cancelled or out of budget. */
  async extend(parent: string, opts: ExtendOptions): Promise<Extension> {
    const logged = this.logged(opts.lane);
    const done = logged.at(-1);
    if (done?.stopReason !== undefined && done.stopReason !== 'cancelled') {
      return { ids: logged.map((n) => n.id), last: done.id, finished: this.isFinished(done, done.stopReason, opts) };
    }
    const kept = logged.filter((n) => n.stopReason !== 'cancelled');
    for (const cut of logged.filter((n) => n.stopReason === 'cancelled')) {
      // A step cut off mid-sentence when the run stopped: the resumed run writes it afresh.
      if (cut.status !== 'pruned') this.recorder.emit({ type: 'node_pruned', t: this.recorder.now(), id: cut.id, reason: 'interrupted; written again on resume' });
    }
    // New steps are numbered after every logged one, the cut ones included, so no id is used twice.
    return this.scheduler.run((signal) => this.generate(kept.at(-1)?.id ?? parent, kept.map((n) => n.id), logged.length, opts, signal));
  }

  /** Extracts the chain's final answer into an answer leaf `<lane>.answer` and, unless `vote` is
   * false (a strategy that counts votes its own way), casts its vote. Returns the leaf's id, or
   * undefined when the chain has no answer. */
  conclude(last: string, lane: string, { vote = true } = {}): string | undefined {
    const id = `${lane}.answer`;
    const logged = this.recorder.tree.nodes.get(id);
    if (logged?.answer?.raw) {
      if (vote) this.ballot.cast(logged.answer.raw);
      return id;
    }
    if (last === ROOT_ID || this.node(last).answer) return undefined; // nothing written, or concluded before without an answer
    const sample = this.node(last).sample;
    const found = extractAnswer(this.chainText(last));
    const t = this.recorder.now();
    if (!found) {
      this.recorder.emit({ type: 'answer_extracted', t, id: last, raw: null, normalized: null });
      return undefined;
    }
    // A log cut between the leaf and its verdict has the leaf already: only the verdict is missing.
    if (!logged) this.recorder.emit({ type: 'node_added', t, id, parent: last, kind: 'answer', text: found.answer, ...(sample !== undefined && { sample }) });
    const grouped = vote ? this.ballot.cast(found.answer) : this.ballot.describe(found.answer);
    this.recorder.emit({ type: 'answer_extracted', t, id, raw: found.answer, rule: found.rule, ...grouped });
    return id;
  }

  /** One more vote for the answer of an existing answer leaf. */
  vote(answerLeaf: string): void {
    const raw = this.node(answerLeaf).answer?.raw;
    if (raw) this.ballot.cast(raw);
  }

  /** Step scores of the chain ending at `id`, from the root, scoring the steps not yet scored. Steps
   * an outcome-only scorer leaves unscored are absent (NaN). */
  async score(id: string): Promise<number[]> {
    const scorer = this.scorer;
    if (!scorer) throw new Error('this strategy needs a scorer');
    const steps = this.steps(id);
    const name = scorer.name;
    const from = steps.findIndex((s) => s.scores[name] === undefined);
    const leaf = this.node(id);
    const answerNode = leaf.kind === 'answer' ? leaf : undefined;
    if (from >= 0 && !(scorer.outcomeOnly && !answerNode)) {
      const chain: ChainToScore = {
        problem: this.recorder.header.problem.text,
        steps: steps.map((s) => ({ id: s.id, text: s.text, tokens: s.tokens })),
        ...(answerNode && { answer: answerNode.answer?.raw ?? null }),
      };
      const scores = await scorer.scoreSteps(chain, from, this.scorerIO);
      scores.forEach((score, i) => {
        if (Number.isFinite(score) && steps[from + i].scores[name] === undefined) this.recorder.emit({ type: 'step_scored', t: this.recorder.now(), id: steps[from + i].id, scorer: name, score });
      });
    }
    return steps.map((s) => s.scores[name] ?? Number.NaN);
  }

  /** Records that a lane produced nothing usable (`id`: the last node it wrote, if any). */
  fail(opts: Pick<ExtendOptions, 'lane' | 'sample'>, message: string, id?: string): void {
    this.failures.push(message);
    this.recorder.emit({
      type: 'sample_failed', t: this.recorder.now(), lane: opts.lane, message,
      ...(opts.sample !== undefined && { sample: opts.sample }),
      ...(id !== undefined && id !== ROOT_ID && { id }),
    });
  }

  prune(id: string, reason: string): void {
    if (this.node(id).status !== 'pruned') this.recorder.emit({ type: 'node_pruned', t: this.recorder.now(), id, reason });
  }

  /** The nodes of `lane` already in the log, in order. */
  private logged(lane: string): TreeNode[] {
    const nodes: TreeNode[] = [];
    for (let k = 0, node = this.recorder.tree.nodes.get(`${lane}.0`); node; node = this.recorder.tree.nodes.get(`${lane}.${++k}`)) nodes.push(node);
    return nodes;
  }

  private isFinished(last: TreeNode | undefined, stopReason: StopReason | undefined, opts: ExtendOptions): boolean {
    if (stopReason === 'length') return true;
    if (!opts.oneStep) return stopReason === 'stop';
    // One step at a time, "stop" also means the step ended: the chain ends with its final answer, or
    // when the model has nothing more to write.
    return last === undefined || FINAL_ANSWER.test(last.text);
  }

  private async generate(from: string, kept: string[], numbered: number, opts: ExtendOptions, signal: AbortSignal): Promise<Extension> {
    const { recorder, generation } = this;
    const ids = [...kept];
    let next = numbered;
    let parent = from;
    let stepStarted = Date.now();
    let stream = new StepStream();
    const add = ({ text, tokens }: CutStep, stopReason?: StopReason) => {
      const id = `${opts.lane}.${next++}`;
      const now = Date.now();
      recorder.emit({
        type: 'node_added', t: recorder.now(), id, parent, kind: 'step', text,
        ...(opts.sample !== undefined && { sample: opts.sample }),
        ...(tokens.length > 0 && { tokens: storedTokens(tokens), tokenCount: tokens.length }),
        ...(stopReason && { stopReason }),
        ...(opts.inject && ids.length === kept.length && { tags: ['injected'] }),
        latencyMs: now - stepStarted,
      });
      stepStarted = now;
      ids.push(id);
      parent = id;
    };
    for (let attempt = 0; ; attempt++) {
      const written = this.chainText(parent);
      const injecting = opts.inject !== undefined && ids.length === kept.length;
      const prefix = (written ? `${written}\n\n` : '') + (injecting ? opts.inject : '');
      const request: GenerateRequest = {
        model: generation.model,
        messages: solveMessages(recorder.header.problem.text),
        ...(prefix && { prefix }),
        options: {
          ...generation.sampling,
          seed: opts.seed + attempt * RETRY_SEED_STRIDE,
          ...(opts.temperature !== undefined && { temperature: opts.temperature }),
          ...(opts.maxTokens !== undefined && { maxTokens: opts.maxTokens }),
          ...(opts.oneStep && { stop: [STEP_STOP] }),
        },
        logprobs: generation.logprobs,
        ...(generation.logprobs && { topLogprobs: generation.topLogprobs }),
      };
      stream = new StepStream();
      if (injecting) stream.push(opts.inject ?? '');
      try {
        let stopReason: StopReason | undefined;
        for await (const chunk of metered(this.backend.generate(request, signal), this.scheduler)) {
          if (chunk.kind === 'delta') {
            for (const cut of stream.push(chunk.text, chunk.tokens)) add(cut);
          } else {
            stopReason = chunk.stopReason;
            const last = stream.flush();
            if (last) add(last, chunk.stopReason);
          }
        }
        const lastNode = ids.length > kept.length ? this.node(ids[ids.length - 1]) : undefined;
        return { ids, last: parent, finished: this.isFinished(lastNode, stopReason, opts) };
      } catch (err) {
        if (isCancelled(err) || signal.aborted) {
          // Keep what the chain had written so far: a stopped run loses nothing it received.
          const partial = stream.flush();
          if (partial) add(partial, 'cancelled');
          throw new CancelledError();
        }
        const error = err instanceof BackendError ? err : new BackendError('server-error', String(err));
        if (error.transient && attempt < (generation.retries ?? 2)) {
          const where = this.steps(parent).length + 1;
          recorder.emit({ type: 'warning', t: recorder.now(), message: `${opts.lane}: ${error.message} Retrying from step ${where}.` });
          await sleep(250 * 2 ** attempt, signal).catch(() => undefined);
          continue; // the partial step is written again from the last complete one
        }
        this.fail(opts, error.message, parent);
        return { ids, last: parent, finished: true, failed: error.message };
      }
    }
  }
}

/** Mean token logprob of a step, the MCTS prior and the confidence scorer's raw signal. */
export function meanLogprob(tokens: readonly TokenLogprob[] | undefined): number | undefined {
  if (!tokens?.length) return undefined;
  return tokens.reduce((sum, t) => sum + t.logprob, 0) / tokens.length;
}
