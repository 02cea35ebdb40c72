/** Which ranges of a chain document are decorated, and how strongly: tokens the model was unsure of
 * (a subtle heat, off unless asked for), critical tokens from `token_probed` events (stronger, in
 * three steps of |criticality|, coloured by whether the written token helped or hurt), and
 * self-correction markers (by their effect on the answer). Offsets are document offsets; the
 * extension only turns them into ranges. One pass over the tokens: a 100k-token chain takes a few
 * milliseconds. */
import type { SelfCorrectionEffect } from '../../core/trace/schema';
import type { AnnotatedChain } from './annotatedChain';

export interface Span {
  start: number;
  end: number;
}

export const LEVELS = 3;

/** Token probability below which the heat shows, per level: p < 0.7, < 0.4, < 0.15. */
const HEAT_BELOW = [0.7, 0.4, 0.15].map(Math.log);
/** |criticality| from which a probed token is highlighted, per level. Below the first, a probe found
 * the token made little difference: its hover says so, but it is not marked. */
const CRITICAL_FROM = [0.1, 0.3, 0.6];

export type EffectGroup = 'fixed' | 'broke' | 'other';

export interface DecorationPlan {
  /** Index `level - 1`: tokens whose probability fell below that level's threshold. */
  uncertain: Span[][];
  /** Probed tokens whose writing lowered P(correct) (criticality < 0), by level of |criticality|. */
  harmful: Span[][];
  /** Probed tokens whose writing kept the chain on track (criticality > 0), by level. */
  helpful: Span[][];
  /** Self-correction markers, by what they did to the answer. */
  selfCorrections: Record<EffectGroup, Span[]>;
}

/** 0 (confident: no heat) to 3 (the model was least sure). */
export function uncertaintyLevel(logprob: number): number {
  let level = 0;
  while (level < LEVELS && logprob < HEAT_BELOW[level]) level++;
  return level;
}

/** 0 (not marked) to 3, from |criticality|. */
export function criticalityLevel(criticality: number): number {
  const size = Math.abs(criticality);
  let level = 0;
  while (level < LEVELS && size >= CRITICAL_FROM[level]) level++;
  return level;
}

/** Fixed and broke are judged against the gold answer; against the majority answer they only mean
 * agreement, so they get the neutral mark rather than right/wrong colours. */
export function effectGroup(effect: SelfCorrectionEffect, reference?: { kind: 'gold' | 'majority' }): EffectGroup {
  return (effect === 'fixed' || effect === 'broke') && reference?.kind !== 'majority' ? effect : 'other';
}

const levels = (): Span[][] => Array.from({ length: LEVELS }, () => []);

export function planDecorations(chain: AnnotatedChain, opts: { heat: boolean }): DecorationPlan {
  const plan: DecorationPlan = { uncertain: levels(), harmful: levels(), helpful: levels(), selfCorrections: { fixed: [], broke: [], other: [] } };
  for (const part of chain.steps) {
    const base = part.textStart;
    const spans = chain.tokenSpans(part);
    const tokens = part.node.tokens;
    if (spans && tokens && opts.heat) {
      for (let i = 0; i < tokens.length; i++) {
        const level = uncertaintyLevel(tokens[i].logprob);
        if (level > 0 && spans.starts[i] >= 0) plan.uncertain[level - 1].push({ start: base + spans.starts[i], end: base + spans.ends[i] });
      }
    }
    for (const probe of part.node.analysis?.tokens ?? []) {
      const level = criticalityLevel(probe.criticality);
      const start = spans?.starts[probe.index] ?? -1;
      if (level === 0 || start < 0 || !spans) continue;
      (probe.criticality < 0 ? plan.harmful : plan.helpful)[level - 1].push({ start: base + start, end: base + spans.ends[probe.index] });
    }
    for (const point of chain.selfCorrections(part)) {
      plan.selfCorrections[effectGroup(point.effect, point.reference)].push({ start: base + point.start, end: base + point.end });
    }
  }
  return plan;
}
