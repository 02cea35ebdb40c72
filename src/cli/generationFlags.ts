/** The model and sampling flags every generating command takes (`solve`, `search`, `eval`). */
import type { SpecInput } from '../core/search/run';
import type { Strategy } from '../core/search/strategy';
import { numberFlag } from './args';
import { backendOptions } from './backendFlags';

export const DEFAULT_MODEL = 'qwen2.5:1.5b';

export const generationOptions = {
  ...backendOptions,
  model: { type: 'string', short: 'm' },
  seed: { type: 'string' },
  temperature: { type: 'string' },
  'top-p': { type: 'string' },
  'max-tokens': { type: 'string' },
  concurrency: { type: 'string' },
  'no-logprobs': { type: 'boolean' },
} as const;

export interface GenerationFlagValues {
  model?: string;
  seed?: string;
  temperature?: string;
  'top-p'?: string;
  'max-tokens'?: string;
  concurrency?: string;
  'no-logprobs'?: boolean;
}

export type GenerationInput = Required<Pick<SpecInput, 'model' | 'sampling' | 'concurrency' | 'logprobs' | 'topLogprobs'>>;

/** What the flags set, with the CLI's defaults: 0.7 unless the strategy has its own temperature
 * (cot: greedy), 2 requests at once (Ollama's default parallel slots on small machines). */
export function generationFromFlags(values: GenerationFlagValues, strategy: Strategy): GenerationInput {
  return {
    model: values.model ?? process.env.REASONSCOPE_MODEL ?? DEFAULT_MODEL,
    sampling: {
      temperature: numberFlag(values.temperature, 'temperature', { min: 0 }) ?? strategy.defaultTemperature ?? 0.7,
      topP: numberFlag(values['top-p'], 'top-p', { min: 0 }) ?? 0.95,
      seed: numberFlag(values.seed, 'seed', { integer: true }),
      maxTokens: numberFlag(values['max-tokens'], 'max-tokens', { min: 1, integer: true }) ?? 2048,
    },
    concurrency: numberFlag(values.concurrency, 'concurrency', { min: 1, integer: true }) ?? 2,
    logprobs: !values['no-logprobs'],
    topLogprobs: 5,
  };
}
