/** `--scorer` and its options, and the same scorer again from a run header when a run resumes. */
import type { ModelBackend } from '../core/model/types';
import { createScorer, prepareScorer, SCORER_KINDS, scorerFromHeader, type Scorer, type ScorerOptions } from '../core/reward';
import type { Strategy } from '../core/search/strategy';
import type { RunHeader } from '../core/trace/schema';
import { numberFlag, UsageError } from './args';

export const scorerOptions = {
  scorer: { type: 'string' },
  'judge-model': { type: 'string' },
  'judge-samples': { type: 'string' },
  'prm-url': { type: 'string' },
  'prm-model': { type: 'string' },
  'prm-separator': { type: 'string' },
} as const;

export interface ScorerFlagValues {
  scorer?: string;
  'judge-model'?: string;
  'judge-samples'?: string;
  'prm-url'?: string;
  'prm-model'?: string;
  'prm-separator'?: string;
}

/** Which scorer each option belongs to. */
const OPTION_OF = { 'judge-model': 'judge', 'judge-samples': 'judge', 'prm-url': 'http', 'prm-model': 'http', 'prm-separator': 'http' } as const;

/** Makes the scorer for one problem (the gold scorer reads each problem's answer). */
export type ScorerFactory = (problem: { answer?: string }) => Scorer;

export interface ScorerContext {
  /** The policy's server, where the judge model runs too. */
  backend: ModelBackend;
  policyModel: string;
  /** The problem (or a dataset's first), to check the options against before anything runs. */
  sample: { answer?: string };
  /** Said once, not fatal (an unknown PRM's assumed separator, sampled judge verdicts). */
  warn: (message: string) => void;
}

/** The options are checked first (usage errors), then the scorer's server: the judge model must be
 * installed, the PRM server must serve its model. */
export async function scorerFromFlags(values: ScorerFlagValues, ctx: ScorerContext, signal?: AbortSignal): Promise<ScorerFactory | undefined> {
  const kind = values.scorer;
  for (const [flag, owner] of Object.entries(OPTION_OF)) {
    if (values[flag as keyof typeof OPTION_OF] !== undefined && kind !== owner) throw new UsageError(`--${flag} is an option of --scorer ${owner}${kind ? `, not of ${kind}` : ''}`);
  }
  if (kind === undefined) return undefined;
  if (!(SCORER_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--scorer must be one of ${SCORER_KINDS.join(', ')}, got "${kind}"`);
  if (kind === 'judge' && !values['judge-model']) {
    throw new UsageError(`--scorer judge needs --judge-model NAME, a model installed on the server (the policy model will do: --judge-model ${ctx.policyModel})`);
  }
  if (kind === 'http' && (!values['prm-url'] || !values['prm-model'])) {
    throw new UsageError('--scorer http needs --prm-url URL (a vLLM server running a process reward model, e.g. http://127.0.0.1:8000) and --prm-model NAME (the PRM as that server names it, e.g. Qwen/Qwen2.5-Math-PRM-7B)');
  }
  const opts: ScorerOptions = {
    backend: ctx.backend,
    model: kind === 'judge' ? values['judge-model'] : values['prm-model'],
    samples: numberFlag(values['judge-samples'], 'judge-samples', { min: 1, integer: true }),
    url: values['prm-url'],
    separator: values['prm-separator'],
    onWarning: ctx.warn,
  };
  try {
    createScorer(kind, { ...opts, gold: ctx.sample.answer, onWarning: undefined }); // prepareScorer below warns
  } catch (err) {
    throw new UsageError(`--scorer ${kind}: ${(err as Error).message}`);
  }
  if (kind === 'gold') return (problem) => createScorer(kind, { gold: problem.answer });
  // One scorer for every problem: the judge's cache and the PRM check are then shared.
  const scorer = await prepareScorer(kind, opts, signal);
  return () => scorer;
}

/** A scored strategy needs a scorer; the others would ignore one, which is surely not what was meant. */
export function checkScorerFits(strategy: Strategy, hasScorer: boolean): void {
  if (strategy.scored && !hasScorer) throw new UsageError(`${strategy.name} ranks its chains by a scorer: add --scorer ${SCORER_KINDS.join('|')}`);
  if (!strategy.scored && hasScorer) throw new UsageError(`${strategy.name} does not use a scorer; leave out --scorer, or pick a strategy that does (reasonscope search --list)`);
}

/** The scorer a run was started with, rebuilt from its header; `prmUrl` when the PRM server moved. */
export function scorerOfRun(header: RunHeader, backend: ModelBackend, warn: (message: string) => void, prmUrl?: string): Scorer | undefined {
  if (!header.scorer) return undefined;
  return scorerFromHeader(header.scorer, { backend, gold: header.problem.answer, onWarning: warn, ...(prmUrl !== undefined && { url: prmUrl }) });
}
