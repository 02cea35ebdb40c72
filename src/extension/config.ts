/** Typed, sanitised access to the `reasonscope.*` settings. */
import * as vscode from 'vscode';
import { resolveHost } from '../core/model/host';

export interface Settings {
  host: string;
  model: string;
  strategy: 'cot' | 'majority';
  samples: number;
  /** Estimate Difficulty: chains of the pilot run. */
  pilotSamples: number;
  temperature: number;
  maxTokens: number;
  concurrency: number;
  logprobs: boolean;
  runsFolder: string;
  /** Search…: the scorer offered first, the judge model, and the HTTP process reward model. */
  scorer: string;
  judgeModel: string;
  prmUrl: string;
  prmModel: string;
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : fallback;
  return Math.min(max, Math.max(min, n));
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('reasonscope', scope);
  const strategy = c.get<string>('strategy');
  const temperature = c.get<number>('temperature');
  return {
    // In the editor an explicit setting is the user's flag: it wins over OLLAMA_HOST.
    host: resolveHost({ flag: c.get<string>('host'), env: process.env.OLLAMA_HOST }),
    model: (c.get<string>('model') ?? '').trim(),
    strategy: strategy === 'cot' ? 'cot' : 'majority',
    samples: clampInt(c.get('samples'), 1, 256, 8),
    pilotSamples: clampInt(c.get('pilotSamples'), 2, 64, 8),
    temperature: typeof temperature === 'number' && temperature >= 0 ? Math.min(temperature, 2) : 0.7,
    maxTokens: clampInt(c.get('maxTokens'), 16, 1_000_000, 2048),
    concurrency: clampInt(c.get('concurrency'), 1, 64, 2),
    logprobs: c.get<boolean>('logprobs') !== false,
    runsFolder: (c.get<string>('runsFolder') ?? '').trim() || '.reasonscope/runs',
    scorer: (c.get<string>('scorer') ?? '').trim() || 'confidence',
    judgeModel: (c.get<string>('judgeModel') ?? '').trim(),
    prmUrl: (c.get<string>('prmUrl') ?? '').trim(),
    prmModel: (c.get<string>('prmModel') ?? '').trim(),
  };
}
