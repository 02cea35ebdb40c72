/** What a strategy declares: its parameters (with the reference implementations' defaults, so the
 * CLI, the extension's Search… prompts and the README all read one table) and how it runs. */
import { AGGREGATIONS } from '../reward/types';
import type { SearchContext } from './context';

export type ParamValue = number | string | boolean;
export type StrategyParams = Record<string, ParamValue>;

export interface ParamSpec {
  name: string;
  kind: 'int' | 'number' | 'choice' | 'bool' | 'text';
  default: ParamValue;
  min?: number;
  max?: number;
  choices?: readonly string[];
  description: string;
}

export interface StrategyOutcome {
  /** The answer leaf (or last node) the strategy chose; without one, the majority vote decides. */
  selected?: string;
  /** Per answer group, the summed chain scores (weighted majority). */
  weights?: Record<string, number>;
}

export interface Strategy {
  name: string;
  title: string;
  /** One line for pickers and `--help`. */
  description: string;
  params: readonly ParamSpec[];
  /** Whether it needs step scores (a scorer); the others ignore one. */
  scored: boolean;
  /** Sampling temperature when the user sets none. */
  defaultTemperature?: number;
  run(ctx: SearchContext, params: StrategyParams): Promise<StrategyOutcome>;
}

/** Fills in defaults and checks each given value; the error names the parameter and what it takes. */
export function resolveParams(strategy: Strategy, given: Record<string, unknown>): StrategyParams {
  const known = new Set(strategy.params.map((p) => p.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) throw new Error(`${strategy.name} has no parameter "${name}"; it takes ${[...known].join(', ') || 'none'}`);
  }
  const out: StrategyParams = {};
  for (const spec of strategy.params) {
    const raw = given[spec.name];
    out[spec.name] = raw === undefined ? spec.default : checkParam(spec, raw);
  }
  return out;
}

function checkParam(spec: ParamSpec, raw: unknown): ParamValue {
  const fail = (what: string): never => {
    throw new Error(`${spec.name} must be ${what}, got "${String(raw)}"`);
  };
  switch (spec.kind) {
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      return fail('true or false');
    case 'choice':
      if (typeof raw === 'string' && spec.choices?.includes(raw)) return raw;
      return fail(`one of ${spec.choices?.join(', ')}`);
    case 'text':
      if (typeof raw === 'string' && raw.trim()) return raw;
      return fail('some text');
    case 'int':
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() ? Number(raw) : Number.NaN;
      const range = `${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}${spec.max !== undefined ? ` ≤ ${spec.max}` : ''}`;
      const what = `${spec.kind === 'int' ? 'an integer' : 'a number'}${range}`;
      if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n))) return fail(what);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return fail(what);
      return n;
    }
  }
}

/** How a chain's step scores make one number, shared by every scored strategy. */
export const AGGREGATION_PARAM: ParamSpec = {
  name: 'aggregation', kind: 'choice', default: 'last', choices: AGGREGATIONS,
  description: 'how a chain\'s step scores make its score: the last step\'s, the minimum, the product or the mean',
};

/** Typed reads of resolved parameters. */
export const num = (params: StrategyParams, name: string): number => params[name] as number;
export const str = (params: StrategyParams, name: string): string => params[name] as string;
export const bool = (params: StrategyParams, name: string): boolean => params[name] as boolean;
