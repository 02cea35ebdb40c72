/** Strategy parameters as flags, read from the registry (`beamWidth` is `--beam-width`), so a
 * strategy added there is usable from the command line and listed by `search --list` at once. */
import { buildSpec, type RunSpec, type SpecInput } from '../core/search/run';
import type { ParamSpec, Strategy } from '../core/search/strategy';
import { STRATEGIES, strategyNamed } from '../core/search/strategies';
import { UsageError } from './args';

export const flagName = (param: string): string => param.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

type FlagOption = { type: 'string' | 'boolean'; short?: string };

/** parseArgs options for the parameters of every strategy (not only the chosen one), so a flag
 * that belongs to another strategy is refused by name rather than as an unknown option. A boolean
 * parameter is `--x` / `--no-x`. `except` leaves out parameters the command sets itself. A
 * parameter that would shadow one of the command's own flags (`own`), or that two strategies
 * declare with different kinds, is a mistake in the registry and throws. */
export function strategyOptions(own: object, except: readonly string[] = []): Record<string, FlagOption> {
  const options: Record<string, FlagOption> = {};
  const add = (flag: string, option: FlagOption, param: string) => {
    if (flag in own) throw new Error(`strategy parameter ${param} would be --${flag}, which the command already uses for something else`);
    if (options[flag] && options[flag].type !== option.type) throw new Error(`strategy parameter ${param} is declared with different kinds by two strategies`);
    options[flag] = option;
  };
  for (const strategy of STRATEGIES) {
    for (const p of strategy.params) {
      if (except.includes(p.name)) continue;
      const flag = flagName(p.name);
      if (p.kind === 'bool') {
        add(flag, { type: 'boolean' }, p.name);
        add(`no-${flag}`, { type: 'boolean' }, p.name);
      } else {
        add(flag, { type: 'string', ...(p.name === 'n' && { short: 'n' }) }, p.name);
      }
    }
  }
  return options;
}

export function strategyFromFlag(name: string | undefined): Strategy {
  if (name === undefined) throw new UsageError(`--strategy is required: one of ${STRATEGIES.map((s) => s.name).join(', ')} (reasonscope search --list describes them)`);
  try {
    return strategyNamed(name);
  } catch (err) {
    throw new UsageError(`--strategy: ${(err as Error).message}`);
  }
}

/** The parameters given on the command line for `strategy`, as given (buildSpec checks them). */
export function paramsFromFlags(strategy: Strategy, values: Record<string, unknown>, except: readonly string[] = []): Record<string, unknown> {
  const own = new Map(strategy.params.map((p) => [flagName(p.name), p]));
  const given: Record<string, unknown> = {};
  for (const flag of Object.keys(strategyOptions({}, except))) {
    const value = values[flag];
    if (value === undefined) continue;
    const negated = flag.startsWith('no-') && !own.has(flag);
    const param = own.get(negated ? flag.slice(3) : flag);
    if (!param) throw new UsageError(`--${flag} is not a parameter of ${strategy.name}; ${takes(strategy, except)}`);
    if (param.kind === 'bool' && param.name in given) throw new UsageError(`give --${flagName(param.name)} or --no-${flagName(param.name)}, not both`);
    given[param.name] = param.kind === 'bool' ? !negated : value;
  }
  return given;
}

function takes(strategy: Strategy, except: readonly string[]): string {
  const flags = strategy.params.filter((p) => !except.includes(p.name)).map((p) => `--${flagName(p.name)}`);
  return `${flags.length ? `it takes ${flags.join(', ')}` : 'it takes no parameters'} (reasonscope search --list describes them)`;
}

/** `buildSpec` with its complaints as usage errors that name the flag, not the parameter. */
export function specFromFlags(input: SpecInput): RunSpec {
  try {
    return buildSpec(input);
  } catch (err) {
    const message = (err as Error).message;
    const param = /^(\w+) must be /.exec(message)?.[1];
    throw new UsageError(param ? `--${flagName(param)}${message.slice(param.length)}` : message);
  }
}

/** Every strategy with its flags, defaults and what they mean, for `search --list`. */
export function strategyList(): string {
  const lines = ['Strategies: reasonscope search <problem> --strategy NAME [flags]  (eval takes the same flags)', ''];
  for (const s of STRATEGIES) {
    const notes = [s.scored && 'needs --scorer', s.defaultTemperature !== undefined && `temperature ${s.defaultTemperature} by default`].filter(Boolean);
    lines.push(`  ${s.name} — ${s.title}${notes.length ? `  [${notes.join('; ')}]` : ''}`, `      ${s.description}`);
    for (const p of s.params) {
      const usage = paramUsage(p);
      const what = `${p.description} (${[valueRange(p), `default ${showValue(p.default)}`].filter(Boolean).join('; ')})`;
      // Long usages (choices) get their own line rather than pushing every description right.
      if (usage.length > USAGE_WIDTH) lines.push(`      ${usage}`, `      ${''.padEnd(USAGE_WIDTH)}  ${what}`);
      else lines.push(`      ${usage.padEnd(USAGE_WIDTH)}  ${what}`);
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

const USAGE_WIDTH = 22;
const plainChoices = (p: ParamSpec) => (p.choices ?? []).every((c) => /^[\w.-]+$/.test(c));
const showValue = (v: unknown) => (typeof v === 'string' && !/^[\w.-]+$/.test(v) ? JSON.stringify(v) : String(v));

function paramUsage(p: ParamSpec): string {
  const flag = `--${flagName(p.name)}`;
  switch (p.kind) {
    case 'bool':
      return `${flag} | --no-${flagName(p.name)}`;
    case 'choice':
      return `${flag} ${plainChoices(p) ? (p.choices ?? []).join('|') : 'TEXT'}`;
    case 'text':
      return `${flag} TEXT`;
    case 'int':
      return `${flag} N`;
    case 'number':
      return `${flag} X`;
  }
}

/** What a value may be, where the usage does not already show it. */
export function valueRange(p: ParamSpec): string | undefined {
  switch (p.kind) {
    case 'bool':
    case 'text':
      return undefined;
    case 'choice':
      return plainChoices(p) ? undefined : `one of ${(p.choices ?? []).map(showValue).join(', ')}`;
    case 'int':
    case 'number': {
      const kind = p.kind === 'int' ? 'integer' : 'number';
      if (p.min !== undefined && p.max !== undefined) return `${kind} ${p.min}–${p.max}`;
      if (p.min !== undefined) return `${kind} ≥ ${p.min}`;
      return p.max === undefined ? kind : `${kind} ≤ ${p.max}`;
    }
  }
}
