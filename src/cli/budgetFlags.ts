/** `--max-total-tokens`, `--max-requests`, `--max-time`: where a search stops even if unfinished. */
import type { Budget } from '../core/search/scheduler';
import { numberFlag, UsageError } from './args';

export const budgetOptions = {
  'max-total-tokens': { type: 'string' },
  'max-requests': { type: 'string' },
  'max-time': { type: 'string' },
} as const;

export function budgetFromFlags(values: { 'max-total-tokens'?: string; 'max-requests'?: string; 'max-time'?: string }): Budget | undefined {
  const budget: Budget = {};
  const tokens = numberFlag(values['max-total-tokens'], 'max-total-tokens', { min: 1, integer: true });
  const requests = numberFlag(values['max-requests'], 'max-requests', { min: 1, integer: true });
  const seconds = numberFlag(values['max-time'], 'max-time', { min: 0 });
  if (seconds === 0) throw new UsageError('--max-time is in seconds and must be more than 0');
  if (tokens !== undefined) budget.maxTokens = tokens;
  if (requests !== undefined) budget.maxRequests = requests;
  if (seconds !== undefined) budget.maxWallMs = Math.round(seconds * 1000);
  return Object.keys(budget).length ? budget : undefined;
}
