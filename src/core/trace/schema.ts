/** The run file: an append-only JSONL log, a header line then events. Every view (CLI summary,
 * webview tree, decorations) is a replay of these events, so a run can be reopened, resumed and
 * compared without special cases. `media/run.schema.json` publishes the same shape for editors. */
import type { TokenLogprob, StopReason } from '../model/types';

export const RUN_SCHEMA_VERSION = 1;
/** The id of every run's root node (the problem), generated or imported. */
export const ROOT_ID = 'root';

export interface ProblemRef {
  id?: string;
  text: string;
  /** Gold answer, when the problem file or dataset gives one. */
  answer?: string;
  /** Where the problem came from (file path relative to the workspace, dataset id…). */
  source?: string;
}

export interface RunHeader {
  type: 'header';
  schema: typeof RUN_SCHEMA_VERSION;
  runId: string;
  createdAt: string;
  problem: ProblemRef;
  backend: {
    /** `imported`: the run was read from another format; `model` is the model that wrote it, `host` empty. */
    kind: 'ollama' | 'openai' | 'imported';
    host: string;
    model: string;
    version?: string;
    logprobs: boolean;
    /** Alternatives requested per token, when logprobs are on. */
    topLogprobs?: number;
    options: { temperature?: number; topP?: number; seed?: number; maxTokens?: number };
  };
  strategy: { name: string; params: Record<string, number | string | boolean> };
  scorer?: { name: string; params?: Record<string, number | string | boolean> };
  /** Limits the run stops at (generated tokens, requests, wall time). */
  budget?: { maxTokens?: number; maxRequests?: number; maxWallMs?: number };
  versions: { reasonscope: string };
  /** Set when the run was imported from another format (read-only). */
  importedFrom?: string;
}

export type NodeKind = 'root' | 'step' | 'answer';
export type NodeStatus = 'active' | 'complete' | 'pruned' | 'error';

interface EventBase {
  /** Milliseconds since the run started. */
  t: number;
}

export interface NodeAddedEvent extends EventBase {
  type: 'node_added';
  id: string;
  parent: string | null;
  kind: NodeKind;
  text: string;
  /** Which sample (chain) produced the node, 0-based, for strategies that draw independent samples. */
  sample?: number;
  tokens?: TokenLogprob[];
  tokenCount?: number;
  stopReason?: StopReason;
  latencyMs?: number;
  /** What the source says the step does (thought-anchors `function_tags`, `thinking` for reasoning
   * inside `<think>`). */
  tags?: string[];
}

export interface StepScoredEvent extends EventBase {
  type: 'step_scored';
  id: string;
  scorer: string;
  score: number;
}

/** A dataset's judgement of a step: `first-error` is the step a source names as the first wrong one
 * (ProcessBench `label`); `after-error` marks the steps after it, which that source leaves unjudged. */
export type StepLabel = 'correct' | 'incorrect' | 'neutral' | 'first-error' | 'after-error';

export interface StepLabeledEvent extends EventBase {
  type: 'step_labeled';
  id: string;
  label: StepLabel;
  /** Who judged: the dataset the label comes from (`processbench`, `prm800k`, …). */
  source: string;
  /** The source's own rating when it has one (PRM800K: -1, 0 or 1). */
  rating?: number;
}

export interface NodePrunedEvent extends EventBase {
  type: 'node_pruned';
  id: string;
  reason: string;
}

export interface NodeSelectedEvent extends EventBase {
  type: 'node_selected';
  id: string;
}

/** How a final answer was found in a chain's text: the last `\boxed{…}`, `\boxed 9`, "The final answer
 * is …", a PRM800K `# Answer` block, "the answer is …", or the last number (only when asked). */
export type AnswerRule = 'boxed' | 'boxed-unbraced' | 'final-answer' | 'answer-block' | 'the-answer-is' | 'last-number';

export interface AnswerExtractedEvent extends EventBase {
  type: 'answer_extracted';
  /** The answer leaf (or the last step when no answer was found). */
  id: string;
  raw: string | null;
  /** The answer's vote group: equivalent answers (`\frac12`, `0.5`) share the normalised text of
   * the group's first member. */
  normalized: string | null;
  /** Which extraction rule found `raw`, when the answer was extracted from text (not given by the source). */
  rule?: AnswerRule;
  /** Present only when a gold answer is known, or when the source itself says (see `correctFrom`). */
  correct?: boolean;
  /** The grader's reason for `correct` ("equal as rationals 1/2"). */
  reason?: string;
  /** Where `correct` came from when it is not Reasonscope's own gold-answer check, e.g.
   * "ProcessBench final_answer_correct". */
  correctFrom?: string;
}

export interface SampleFailedEvent extends EventBase {
  type: 'sample_failed';
  /** The independent sample that failed, for strategies that draw samples. */
  sample?: number;
  /** The line of generation that failed (`s3`, `i2.b1.x0`…), for the tree strategies. */
  lane?: string;
  /** The last node the sample wrote before failing, if any. */
  id?: string;
  message: string;
}

export interface WarningEvent extends EventBase {
  type: 'warning';
  message: string;
}

/** MCTS backpropagation: `value` is added to `id` and each of its ancestors, whose visit counts grow
 * by one. Replaying these up to iteration k shows the search as it stood then. */
export interface MctsBackupEvent extends EventBase {
  type: 'mcts_backup';
  iteration: number;
  id: string;
  value: number;
}

/** The run was picked up again after it stopped (cancelled, crashed, out of budget); events after
 * this one continue it. */
export interface RunResumedEvent extends EventBase {
  type: 'run_resumed';
}

export type RunStatus = 'completed' | 'cancelled' | 'failed';

export interface RunEndedEvent extends EventBase {
  type: 'run_ended';
  status: RunStatus;
  /** Winning answer (normalised) and the votes per normalised answer. */
  result?: {
    answer: string | null;
    votes: Record<string, number>;
    correct?: boolean;
    /** The answer leaf the strategy chose (best-of-N, beam…); absent when the vote decided. */
    selected?: string;
    /** Summed chain scores per answer (weighted majority). */
    weights?: Record<string, number>;
  };
  totals: { promptTokens: number; completionTokens: number; requests: number; wallMs: number };
  /** Why a completed run stopped early: the budget that ran out. */
  stoppedBy?: string;
  error?: string;
}

/** What "correct" means for an analysis: the gold answer, or — without one — agreement with the
 * majority answer of unconstrained samples, which views call agreement, never correctness. */
export interface AnalysisReference {
  kind: 'gold' | 'majority';
  answer: string;
}

/** Successes out of rollouts: continuations sampled from one prefix, graded against the reference. */
export interface RolloutTally {
  rollouts: number;
  correct: number;
}

/** A critical-token probe at token `index` of node `id` (its `tokens`): continuations sampled from the
 * prefix ending with the original token and with each alternative from its `top` list. `criticality`
 * is P(correct | original) minus the best P(correct | alternative) — negative when the written token
 * is the harmful one; `interval` is its 95% interval. Written once a position's sampling stops. */
export interface TokenProbedEvent extends EventBase {
  type: 'token_probed';
  id: string;
  index: number;
  token: string;
  reference: AnalysisReference;
  original: RolloutTally;
  alternatives: (RolloutTally & { token: string })[];
  criticality: number;
  interval: [number, number];
  /** Why sampling this position stopped: decided (its interval cleared zero, or narrowed below the
   * tolerance), the per-position cap, or the budget. */
  stopped: 'decided' | 'cap' | 'budget';
}

export type SelfCorrectionKind = 'reflection' | 'verification' | 'alternative' | 'correction';
export type SelfCorrectionEffect = 'fixed' | 'broke' | 'confirmed' | 'changed' | 'unknown';

/** A self-correction point in node `id`'s text (`start`–`end`, UTF-16 offsets of the marker). `before`
 * and `after` are the answers the chain was heading to on either side, when known (from the text, or
 * from forced-answer probes); `effect` compares them with the reference when there is one. */
export interface SelfCorrectionEvent extends EventBase {
  type: 'self_correction';
  id: string;
  start: number;
  end: number;
  marker: string;
  kind: SelfCorrectionKind;
  effect: SelfCorrectionEffect;
  before?: string;
  after?: string;
  reference?: AnalysisReference;
}

/** A forced-answer probe: the chain cut at `offset` of node `id`'s text, "… the final answer is
 * \boxed{" appended, and the answer the model wrote (null when it wrote none). */
export interface AnswerProbedEvent extends EventBase {
  type: 'answer_probed';
  id: string;
  offset: number;
  answer: string | null;
  correct?: boolean;
}

/** Resampling importance of step `id`: P(correct) when resampling from just before the step versus
 * from just after it; `importance` = after − before (how much writing this step helped). */
export interface StepImportanceEvent extends EventBase {
  type: 'step_importance';
  id: string;
  reference: AnalysisReference;
  before: RolloutTally;
  after: RolloutTally;
  importance: number;
}

export type RunEvent =
  | NodeAddedEvent
  | StepScoredEvent
  | StepLabeledEvent
  | NodePrunedEvent
  | NodeSelectedEvent
  | AnswerExtractedEvent
  | SampleFailedEvent
  | WarningEvent
  | MctsBackupEvent
  | RunResumedEvent
  | TokenProbedEvent
  | SelfCorrectionEvent
  | AnswerProbedEvent
  | StepImportanceEvent
  | RunEndedEvent;

export type RunLine = RunHeader | RunEvent;
