/** "Reasonscope: Search…": a strategy from the registry, its parameters (Enter keeps the shown values,
 * picking one edits it), a scorer when the strategy needs one, then a run like Solve's: progress
 * with Cancel, the tree growing live, a summary at the end. Choices are remembered per workspace. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Budget } from '../core/search/scheduler';
import { buildSpec, type RunSpec } from '../core/search/run';
import { defaultRunFileName, prepareRun } from '../core/search/startRun';
import { STRATEGIES } from '../core/search/strategies';
import { resolveParams, type ParamSpec, type ParamValue, type Strategy, type StrategyParams } from '../core/search/strategy';
import { currentBackend } from './backend';
import { readSettings } from './config';
import type { ExtensionContext } from './context';
import { requireTrust, runLive, warn } from './liveRun';
import { pickModel } from './models';
import { problemRef, problemSource, runsFolder, type ProblemTarget } from './problemSource';
import { pickOne } from './quickPick';
import { chooseScorer, prepareChosenScorer, scorerOptions, type ScorerChoice } from './scorerChoice';

/** What the last search in this workspace chose, offered again next time. */
interface SearchMemory {
  strategy?: string;
  /** Per strategy, the values the user ran it with. */
  params?: Record<string, StrategyParams>;
  run?: Record<string, Record<string, ParamValue>>;
  scorer?: ScorerChoice;
}

const MEMORY_KEY = 'reasonscope.lastSearch';

/** Settings of the run itself, edited in the same list as the strategy's parameters. */
const TEMPERATURE = { name: 'temperature', kind: 'number', min: 0, max: 2, description: 'sampling temperature' } as const;
const TOKEN_BUDGET: ParamSpec = { name: 'token budget', kind: 'int', default: 0, min: 0, description: 'stop after this many generated tokens' };
const TIME_BUDGET: ParamSpec = { name: 'time budget (s)', kind: 'int', default: 0, min: 0, description: 'stop after this many seconds' };
/** Budgets of 0 mean none. */
const BUDGETS: readonly ParamSpec[] = [TOKEN_BUDGET, TIME_BUDGET];

interface Values {
  strategy: StrategyParams;
  run: Record<string, ParamValue>;
}

export async function searchProblem(ctx: ExtensionContext, memory: vscode.Memento, target?: ProblemTarget): Promise<void> {
  if (!(await requireTrust())) return;
  const source = await problemSource(target);
  if (!source) return;
  const settings = readSettings(source.document.uri);
  const model = settings.model || (await pickModel(ctx, 'Pick the model to search with'));
  if (!model) return;
  const last = memory.get<SearchMemory>(MEMORY_KEY, {});

  const strategy = await pickStrategy(last.strategy);
  if (!strategy) return;
  const totalSteps = strategy.scored ? 3 : 2;
  // The strategy's own temperature (cot: 0) wins over the setting.
  const runParams: ParamSpec[] = [{ ...TEMPERATURE, default: strategy.defaultTemperature ?? settings.temperature }, ...BUDGETS];
  const values = await editParams(strategy, runParams, { strategy: remembered(strategy, last), run: { ...last.run?.[strategy.name] } }, totalSteps);
  if (!values) return;
  let scorer: ScorerChoice | undefined;
  if (strategy.scored) {
    scorer = await chooseScorer(ctx, { settings, model, gold: source.problem.answer, last: last.scorer, step: 3, totalSteps });
    if (!scorer) return;
  }
  await memory.update(MEMORY_KEY, {
    strategy: strategy.name,
    params: { ...last.params, [strategy.name]: values.strategy },
    run: { ...last.run, [strategy.name]: values.run },
    scorer: scorer ?? last.scorer,
  } satisfies SearchMemory);

  let spec: RunSpec;
  try {
    spec = buildSpec({
      strategy: strategy.name,
      params: values.strategy,
      model,
      sampling: { temperature: Number(values.run[TEMPERATURE.name] ?? runParams[0].default), topP: 0.95, maxTokens: settings.maxTokens },
      concurrency: settings.concurrency,
      logprobs: settings.logprobs,
      topLogprobs: 5,
      budget: budgetOf(values.run),
    });
  } catch (err) {
    void vscode.window.showErrorMessage(`Reasonscope: ${(err as Error).message}`);
    return;
  }
  const backend = currentBackend();
  const outFile = path.join(runsFolder(ctx, source.document.uri, settings.runsFolder), defaultRunFileName(source.stem, strategy.name));
  ctx.log.info(`Searching ${source.document.uri.fsPath} with ${model} at ${backend.host}: ${strategy.name} ${JSON.stringify(spec.params)}${scorer ? `, scored by ${scorer.kind}` : ''}`);
  await runLive(ctx, {
    title: `Reasonscope: ${strategy.title} with ${model}`,
    label: source.stem,
    backend,
    outFile,
    problem: { uri: source.document.uri, line: source.line },
    prepare: async (signal) => {
      const opts = scorerOptions(settings, source.problem.answer, backend, (message) => warn(ctx, message));
      const scored = scorer ? { ...spec, scorer: await prepareChosenScorer(scorer, opts, settings, signal) } : spec;
      return prepareRun({ backend, outFile, problem: problemRef(source), spec: scored }, signal);
    },
  });
}

async function pickStrategy(lastName: string | undefined): Promise<Strategy | undefined> {
  const items = STRATEGIES.map((strategy) => ({
    label: strategy.title,
    description: strategy.scored ? `${strategy.name} · scored` : strategy.name,
    detail: strategy.description,
    strategy,
  }));
  const item = await pickOne(items, {
    title: 'Reasonscope: Search — strategy',
    placeholder: 'How to spend test-time compute on this problem',
    active: items.find((i) => i.strategy.name === lastName),
    step: 1,
    totalSteps: 3,
  });
  return item?.strategy;
}

/** The strategy's remembered values, dropped if the strategy's parameters changed since. */
function remembered(strategy: Strategy, memory: SearchMemory): StrategyParams {
  try {
    return resolveParams(strategy, memory.params?.[strategy.name] ?? {});
  } catch {
    return resolveParams(strategy, {});
  }
}

function budgetOf(run: Record<string, ParamValue>): Budget | undefined {
  const tokens = Number(run[TOKEN_BUDGET.name]) || 0;
  const seconds = Number(run[TIME_BUDGET.name]) || 0;
  if (!tokens && !seconds) return undefined;
  return { ...(tokens > 0 && { maxTokens: tokens }), ...(seconds > 0 && { maxWallMs: seconds * 1000 }) };
}

interface ParamRow extends vscode.QuickPickItem {
  spec?: ParamSpec;
  group?: keyof Values;
}

/** The parameter list: Enter on the first row starts; any other row edits that value and comes back. */
async function editParams(strategy: Strategy, runParams: readonly ParamSpec[], initial: Values, totalSteps: number): Promise<Values | undefined> {
  const values: Values = { strategy: { ...initial.strategy }, run: { ...initial.run } };
  const row = (group: keyof Values) => (spec: ParamSpec): ParamRow => {
    const value = values[group][spec.name] ?? spec.default;
    return {
      label: `${spec.name} = ${shown(spec, value)}`,
      description: value === spec.default ? spec.description : `${spec.description} · default ${shown(spec, spec.default)}`,
      spec,
      group,
    };
  };
  for (;;) {
    const start: ParamRow = { label: `$(play) Start ${strategy.title}`, description: 'Enter starts with the values below' };
    const items: ParamRow[] = [
      start,
      ...(strategy.params.length ? [{ label: strategy.name, kind: vscode.QuickPickItemKind.Separator }] : []),
      ...strategy.params.map(row('strategy')),
      { label: 'run', kind: vscode.QuickPickItemKind.Separator },
      ...runParams.map(row('run')),
    ];
    const picked = await pickOne(items, {
      title: `Reasonscope: Search — ${strategy.title}`,
      placeholder: 'Enter to start, or pick a parameter to change it',
      active: start,
      step: 2,
      totalSteps,
    });
    if (!picked) return undefined;
    if (!picked.spec || !picked.group) return values;
    const value = await editValue(picked.spec, values[picked.group][picked.spec.name], strategy);
    if (value !== undefined) values[picked.group][picked.spec.name] = value;
  }
}

function shown(spec: ParamSpec, value: ParamValue): string {
  return value === 0 && BUDGETS.includes(spec) ? 'none' : String(value);
}

async function editValue(spec: ParamSpec, current: ParamValue | undefined, strategy: Strategy): Promise<ParamValue | undefined> {
  const title = `Reasonscope: Search — ${spec.name}`;
  if (spec.kind === 'choice' || spec.kind === 'bool') {
    const options = spec.kind === 'bool' ? ['true', 'false'] : [...(spec.choices ?? [])];
    const items = options.map((label) => ({ label, description: label === String(spec.default) ? 'default' : undefined }));
    const item = await pickOne(items, { title, placeholder: spec.description, active: items.find((i) => i.label === String(current)) });
    return item === undefined ? undefined : spec.kind === 'bool' ? item.label === 'true' : item.label;
  }
  const range = [spec.min !== undefined && `≥ ${spec.min}`, spec.max !== undefined && `≤ ${spec.max}`].filter(Boolean).join(', ');
  const what = spec.kind === 'text' ? '' : ` (${spec.kind === 'int' ? 'an integer' : 'a number'}${range ? ` ${range}` : ''})`;
  const text = await vscode.window.showInputBox({
    title,
    prompt: `${spec.description}${what}`,
    value: String(current ?? spec.default),
    validateInput: (v) => {
      const parsed = parse(spec, v, strategy);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parse(spec, text, strategy);
  return 'value' in parsed ? parsed.value : undefined;
}

/** The value as the engine reads it, or its reason to refuse it, so the prompt refuses exactly
 * what a run would. */
function parse(spec: ParamSpec, text: string, strategy: Strategy): { value: ParamValue } | { error: string } {
  try {
    return { value: resolveParams({ ...strategy, params: [spec] }, { [spec.name]: text })[spec.name] };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
