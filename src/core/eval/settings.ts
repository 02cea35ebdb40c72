/** What makes an evaluation's runs comparable, kept in `<dir>/eval.json`: the dataset, strategy,
 * parameters (all but n), model, sampling, scorer and budget. A later start in the same folder must
 * match, or its runs would be averaged with runs made differently. The problem limit, the list of
 * N, the server and the concurrency may change between starts: they do not change any run. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StrategyParams } from '../search/strategy';
import type { Budget } from '../search/scheduler';

export interface EvalSettings {
  dataset: { file: string; sha256: string };
  strategy: string;
  params: StrategyParams;
  model: string;
  sampling: { temperature?: number; topP?: number; seed: number; maxTokens?: number };
  logprobs: boolean;
  scorer?: { name: string; params?: Record<string, number | string | boolean> };
  budget?: Budget;
}

export const SETTINGS_FILE = 'eval.json';

export class SettingsMismatch extends Error {
  constructor(readonly differences: string[], dir: string) {
    super(`${dir} holds an evaluation started with other settings: ${differences.join('; ')}`);
    this.name = 'SettingsMismatch';
  }
}

export function readSettings(dir: string): EvalSettings | undefined {
  const file = path.join(dir, SETTINGS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as EvalSettings;
  } catch {
    throw new Error(`${file} is not valid JSON; it records the settings of the evaluation in ${dir}`);
  }
}

/** Records the settings in a new folder, or checks them against the ones recorded. */
export function claimEvalDir(dir: string, settings: EvalSettings): void {
  const saved = readSettings(dir);
  if (saved) {
    const differences = differencesFrom(saved, settings);
    if (!differences.length) return;
    // A folder without runs (its first start failed before one began) has nothing to mix with.
    if (hasRuns(dir)) throw new SettingsMismatch(differences, dir);
  }
  fs.mkdirSync(path.join(dir, 'runs'), { recursive: true });
  fs.writeFileSync(path.join(dir, SETTINGS_FILE), JSON.stringify(settings, null, 2) + '\n');
}

function hasRuns(dir: string): boolean {
  try {
    return fs.readdirSync(path.join(dir, 'runs')).some((f) => f.endsWith('.run.jsonl'));
  } catch {
    return false;
  }
}

/** Each setting that differs, said as "<setting>: <then>, now <now>". */
function differencesFrom(saved: EvalSettings, now: EvalSettings): string[] {
  const out: string[] = [];
  const check = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) out.push(`${label} was ${show(a)}, now ${show(b)}`);
  };
  if (saved.dataset.sha256 !== now.dataset.sha256) {
    out.push(saved.dataset.file === now.dataset.file ? `the dataset ${now.dataset.file} has changed since` : `the dataset was ${saved.dataset.file}, now ${now.dataset.file}`);
  }
  check('the strategy', saved.strategy, now.strategy);
  if (saved.strategy === now.strategy) {
    for (const name of new Set([...Object.keys(saved.params), ...Object.keys(now.params)])) check(`parameter ${name}`, saved.params[name], now.params[name]);
  }
  check('the model', saved.model, now.model);
  for (const key of ['temperature', 'topP', 'seed', 'maxTokens'] as const) check(key, saved.sampling[key], now.sampling[key]);
  check('logprobs', saved.logprobs, now.logprobs);
  check('the scorer', saved.scorer, now.scorer);
  check('the budget', saved.budget, now.budget);
  return out;
}

const show = (v: unknown): string => (v === undefined || v === null ? 'none' : typeof v === 'string' ? `"${v}"` : JSON.stringify(v));
