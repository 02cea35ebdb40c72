/** The scorer step of Search…: every kind the engine has (SCORER_KINDS), what each costs, and the
 * one question a kind needs (the judge's model, the PRM server). The gold answer is offered only when
 * the problem has one, and always named as evaluation only. */
import * as vscode from 'vscode';
import type { ModelBackend } from '../core/model/types';
import { prepareScorer, SCORER_KINDS, type Scorer, type ScorerOptions } from '../core/reward';
import type { Settings } from './config';
import type { ExtensionContext } from './context';
import { chooseInstalledModel } from './models';
import { pickOne } from './quickPick';

/** What is remembered of a scorer choice (per workspace). */
export interface ScorerChoice {
  kind: string;
  judgeModel?: string;
}

const GOLD = 'gold';

const KIND_TEXT: Record<string, { label: string; detail: string }> = {
  confidence: { label: 'confidence', detail: 'the policy\'s own token probabilities: no extra requests' },
  judge: { label: 'judge model', detail: 'a model on the Ollama server rates each step, p(correct) from its logprobs' },
  http: { label: 'process reward model (HTTP)', detail: 'a PRM served by vLLM\'s pooling API (reasonscope.prmUrl)' },
  [GOLD]: { label: 'gold answer — evaluation only', detail: 'rewards chains whose answer matches the problem\'s answer: it reads the answer key' },
};

export interface ScorerQuestion {
  settings: Settings;
  /** The policy model, the judge offered when none was chosen before. */
  model: string;
  gold?: string;
  last?: ScorerChoice;
  step: number;
  totalSteps: number;
}

export async function chooseScorer(ctx: ExtensionContext, q: ScorerQuestion): Promise<ScorerChoice | undefined> {
  const items = SCORER_KINDS
    .filter((kind) => kind !== GOLD || q.gold)
    .map((kind) => ({ label: KIND_TEXT[kind]?.label ?? kind, detail: KIND_TEXT[kind]?.detail, scorer: kind as string }));
  const preferred = q.last?.kind ?? q.settings.scorer;
  const item = await pickOne(items, {
    title: 'Reasonscope: Search — scorer',
    placeholder: 'What scores the steps the strategy compares',
    active: items.find((i) => i.scorer === preferred),
    step: q.step,
    totalSteps: q.totalSteps,
  });
  if (!item) return undefined;
  if (item.scorer === 'judge') {
    const judgeModel = await chooseInstalledModel(ctx, 'Reasonscope: Search — judge model', q.last?.judgeModel || q.settings.judgeModel || q.model);
    return judgeModel ? { kind: item.scorer, judgeModel } : undefined;
  }
  if (item.scorer === 'http' && !(await ensurePrmServer(q.settings))) return undefined;
  return { kind: item.scorer };
}

/** The PRM's URL and model come from the settings (the URL is machine-scoped, like the Ollama host);
 * missing ones are asked for once and saved in the user settings. */
async function ensurePrmServer(settings: Settings): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('reasonscope');
  if (!settings.prmUrl) {
    const url = await vscode.window.showInputBox({
      title: 'Reasonscope: process reward model server',
      prompt: 'URL of a vLLM server running a PRM with the pooling API (saved as reasonscope.prmUrl)',
      placeHolder: 'http://127.0.0.1:8000',
      validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'An http:// or https:// URL'),
    });
    if (!url) return false;
    settings.prmUrl = url.trim();
    await config.update('prmUrl', settings.prmUrl, vscode.ConfigurationTarget.Global);
  }
  if (!settings.prmModel) {
    const model = await vscode.window.showInputBox({
      title: 'Reasonscope: process reward model',
      prompt: `The PRM served at ${settings.prmUrl} (saved as reasonscope.prmModel)`,
      placeHolder: 'Qwen/Qwen2.5-Math-PRM-7B',
      validateInput: (v) => (v.trim() ? undefined : 'The model name the server knows'),
    });
    if (!model) return false;
    settings.prmModel = model.trim();
    await config.update('prmModel', settings.prmModel, vscode.ConfigurationTarget.Global);
  }
  return true;
}

/** What every scorer may need besides the choice: the gold answer, the Ollama server (the judge's),
 * the PRM server from the settings, and where to say what does not stop the run. */
export function scorerOptions(settings: Settings, gold: string | undefined, backend: ModelBackend, warn: (message: string) => void): ScorerOptions {
  return {
    gold,
    backend,
    ...(settings.prmUrl && { url: settings.prmUrl }),
    onWarning: warn,
  };
}

/** The chosen scorer, once its server is checked (the judge model installed, the PRM served). */
export function prepareChosenScorer(choice: ScorerChoice, opts: ScorerOptions, settings: Settings, signal: AbortSignal): Promise<Scorer> {
  const model = choice.kind === 'judge' ? choice.judgeModel : choice.kind === 'http' ? settings.prmModel : undefined;
  return prepareScorer(choice.kind, { ...opts, ...(model && { model }) }, signal);
}
