/** Scorers by name, for the CLI, the extension and resuming a run from its header.
 *
 * `createScorer` builds one without touching a server. `prepareScorer` is what a surface calls before
 * a run: it also checks the judge model is installed (the backend's model-not-found error names the
 * `ollama pull` to run) or the PRM server serves its model, and picks the judge's verdicts from the
 * server's logprob support. `scorerFromHeader` rebuilds the scorer a run was started with. */
import type { ModelBackend } from '../model/types';
import type { RunHeader } from '../trace/schema';
import { confidenceScorer } from './confidence';
import { GOLD_SCORER_NAME, goldScorer } from './gold';
import { checkPrmServer, httpPrmScorer } from './httpPrm';
import { judgeScorer, type VerdictSource } from './judge';
import type { Scorer } from './types';

export { AGGREGATIONS, aggregate, type Aggregation, type Scorer } from './types';

export const SCORER_KINDS = ['confidence', 'judge', 'http', 'gold'] as const;
export type ScorerKind = (typeof SCORER_KINDS)[number];

export interface ScorerOptions {
  /** The problem's gold answer (the gold scorer reads it). */
  gold?: string;
  /** judge: the server the judge model runs on. */
  backend?: ModelBackend;
  /** judge: the judge model; http: the PRM's name on its server. */
  model?: string;
  /** judge: where verdicts come from (prepareScorer decides from the server when not given). */
  verdicts?: VerdictSource;
  /** judge: sampled verdicts per step. */
  samples?: number;
  /** http: the vLLM server with the PRM, e.g. http://127.0.0.1:8000. */
  url?: string;
  /** http: the step separator of a PRM Reasonscope does not know. */
  separator?: string;
  /** Things worth telling the user that do not stop the run (an unreadable verdict, an assumed separator). */
  onWarning?: (message: string) => void;
}

export function createScorer(kind: string, opts: ScorerOptions = {}): Scorer {
  switch (kind) {
    case 'confidence':
      return confidenceScorer;
    case 'gold':
      return goldScorer(opts.gold);
    case 'judge': {
      if (!opts.model?.trim()) throw new Error('the judge scorer needs a judge model: the name of a model installed on the server (the policy model itself will do)');
      if (!opts.backend) throw new Error('the judge scorer needs the model server its judge model runs on');
      return judgeScorer({ backend: opts.backend, model: opts.model.trim(), verdicts: opts.verdicts, samples: opts.samples, onWarning: opts.onWarning });
    }
    case 'http': {
      const url = opts.url?.trim();
      if (!url) throw new Error('the http scorer needs the URL of a vLLM server running a process reward model, e.g. http://127.0.0.1:8000');
      if (!/^https?:\/\/[^\s/]+/.test(url)) throw new Error(`the http scorer's URL must start with http:// or https://, got "${url}"`);
      if (!opts.model?.trim()) throw new Error('the http scorer needs the PRM\'s model name as its server knows it, e.g. Qwen/Qwen2.5-Math-PRM-7B');
      return httpPrmScorer({ url, model: opts.model.trim(), separator: opts.separator, onWarning: opts.onWarning });
    }
    default:
      throw new Error(`unknown scorer "${kind}"; one of: ${SCORER_KINDS.join(', ')}`);
  }
}

/** `createScorer` after checking the scorer's server: the judge model must be installed (and its
 * verdicts come from logprobs where the server has them, else from samples, with a warning); the
 * PRM server must answer and serve the model. */
export async function prepareScorer(kind: string, opts: ScorerOptions = {}, signal?: AbortSignal): Promise<Scorer> {
  const scorer = createScorer(kind, opts); // the options' own errors first
  if (kind === 'judge' && opts.backend && opts.model) {
    const info = await opts.backend.serverInfo(signal);
    await opts.backend.showModel(opts.model.trim(), signal);
    if (opts.verdicts || info.logprobs.supported) return scorer;
    const sampled = createScorer(kind, { ...opts, verdicts: 'sampled' });
    opts.onWarning?.(`The judge reads sampled verdicts (${sampled.params?.samples} replies a step, the share of "+") instead of p(+) from logprobs: ${info.logprobs.reason}.`);
    return sampled;
  }
  if (kind === 'http' && opts.url && opts.model) await checkPrmServer({ url: opts.url.trim(), model: opts.model.trim() }, signal);
  return scorer;
}

/** The scorer a run was started with, from its header (`header.scorer`). What the header recorded
 * wins over `opts`, except the PRM URL, which may be given anew when the server moved. */
export function scorerFromHeader(saved: NonNullable<RunHeader['scorer']>, opts: ScorerOptions = {}): Scorer {
  const params = saved.params ?? {};
  const text = (key: string) => (typeof params[key] === 'string' ? (params[key] as string) : undefined);
  if (saved.name === 'confidence' || saved.name === GOLD_SCORER_NAME) return createScorer(saved.name, opts);
  if (saved.name.startsWith('judge:')) {
    const samples = typeof params.samples === 'number' ? params.samples : undefined;
    const verdicts = text('verdicts') === 'sampled' ? 'sampled' : 'logprobs';
    return createScorer('judge', { ...opts, model: text('model'), verdicts, ...(samples !== undefined && { samples }) });
  }
  if (saved.name.startsWith('prm:')) {
    return createScorer('http', { ...opts, url: opts.url ?? text('url'), model: text('model'), separator: text('separator') });
  }
  throw new Error(`this run was scored by "${saved.name}", a scorer this version of Reasonscope cannot rebuild`);
}
