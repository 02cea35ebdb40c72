/** A chain document together with the run it shows: the replayed tree, the layout, and what the
 * decorations, hovers and hints all need per step — where its tokens lie and its self-correction
 * points — computed once per step and kept. */
import type { SelfCorrectionEvent } from '../../core/trace/schema';
import type { RunTree } from '../../core/trace/tree';
import { partAt, type ChainLayout, type ChainPart } from './chainLayout';
import { tokenSpans, type TokenSpans } from './tokenSpans';

/** A self-correction point as the views show it: logged by an analysis, or found in the text now. */
export type SelfCorrectionPoint = Omit<SelfCorrectionEvent, 'type' | 't'> & { detected?: boolean };

/** Finds self-correction points in a step's text (for runs no analysis has looked at yet). */
export type SelfCorrectionDetector = (nodeId: string, text: string) => SelfCorrectionPoint[];

export class AnnotatedChain {
  private readonly spans = new Map<string, TokenSpans | undefined>();
  private readonly corrections = new Map<string, SelfCorrectionPoint[]>();
  /** Whether any step of this chain has logged self-corrections: then only logged ones are shown,
   * so an analysis that found none in a step is not second-guessed by the detector. */
  private readonly logged: boolean;

  constructor(readonly tree: RunTree, readonly layout: ChainLayout, private readonly detect?: SelfCorrectionDetector) {
    this.logged = layout.parts.some((p) => (p.node.analysis?.selfCorrections.length ?? 0) > 0);
  }

  get steps(): ChainPart[] {
    return this.layout.parts.filter((p) => p.node.kind === 'step');
  }

  partAt(offset: number): ChainPart | undefined {
    return partAt(this.layout, offset);
  }

  /** Where the step's tokens lie in its text; undefined when the run has no tokens for it. */
  tokenSpans(part: ChainPart): TokenSpans | undefined {
    const id = part.node.id;
    if (!this.spans.has(id)) {
      const tokens = part.node.tokens;
      this.spans.set(id, tokens?.length ? tokenSpans(part.node.text, tokens) : undefined);
    }
    return this.spans.get(id);
  }

  selfCorrections(part: ChainPart): SelfCorrectionPoint[] {
    const id = part.node.id;
    let points = this.corrections.get(id);
    if (!points) {
      points = part.node.kind !== 'step' ? []
        : this.logged ? part.node.analysis?.selfCorrections ?? []
        : this.detect?.(id, part.node.text).map((p) => ({ ...p, detected: true })) ?? [];
      this.corrections.set(id, points);
    }
    return points;
  }
}
