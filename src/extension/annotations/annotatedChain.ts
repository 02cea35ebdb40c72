/** A chain document together with the run it shows: the replayed tree, the layout, and what the
 * decorations, hovers and hints all need per step — where its tokens lie (computed once per step and
 * kept) and its self-correction points. */
import type { SelfCorrectionEvent } from '../../core/trace/schema';
import type { RunTree } from '../../core/trace/tree';
import { partAt, type ChainLayout, type ChainPart } from './chainLayout';
import type { DetectedSelfCorrections } from './detect';
import { tokenSpans, type TokenSpans } from './tokenSpans';

/** A self-correction point as the views show it: logged by an analysis, or found in the text now. */
export type SelfCorrectionPoint = Omit<SelfCorrectionEvent, 'type' | 't'> & { detected?: boolean };

export class AnnotatedChain {
  private readonly spans = new Map<string, TokenSpans | undefined>();
  /** Whether any step of this chain has logged self-corrections: then only logged ones are shown,
   * so an analysis that found none in a step is not second-guessed. */
  readonly logged: boolean;

  /** `detected`: the points the analysis runner finds in the run now (see detect.ts), shown on a
   * chain with none logged; undefined while they are being found. */
  constructor(readonly tree: RunTree, readonly layout: ChainLayout, private readonly detected?: DetectedSelfCorrections) {
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
    if (part.node.kind !== 'step') return [];
    if (this.logged) return part.node.analysis?.selfCorrections ?? [];
    return this.detected?.get(part.node.id)?.map((p) => ({ ...p, detected: true })) ?? [];
  }
}
