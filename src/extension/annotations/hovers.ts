/** What a hover over a chain document says (Markdown): a self-correction point's kind, effect and
 * answers before → after; a probed token's P(correct) when the chain goes on with it and with each
 * alternative (tallies and 95% intervals); any token's probability and the alternatives the server
 * returned. Without a gold answer the probes measured agreement with the majority answer, and the
 * hover says "agree", never "correct". */
import { wilsonInterval } from '../../core/analysis/intervals';
import type { TokenLogprob } from '../../core/model/types';
import type { AnalysisReference, RolloutTally, SelfCorrectionKind, SelfCorrectionEffect, TokenProbedEvent } from '../../core/trace/schema';
import type { AnnotatedChain, SelfCorrectionPoint } from './annotatedChain';
import type { Span } from './decorations';
import { formatDelta, formatP, textCode, tokenCode } from './format';
import { tokenAt } from './tokenSpans';

export interface Hover extends Span {
  markdown: string;
}

export function hoverAt(chain: AnnotatedChain, offset: number): Hover | undefined {
  const part = chain.partAt(offset);
  if (!part || part.node.kind !== 'step' || offset < part.textStart || offset >= part.textEnd) return undefined;
  const local = offset - part.textStart;
  const sections: string[] = [];
  let span: Span | undefined;
  const cover = (start: number, end: number) => {
    span = span ? { start: Math.min(span.start, start), end: Math.max(span.end, end) } : { start, end };
  };
  const point = chain.selfCorrections(part).find((p) => p.start <= local && local < p.end);
  if (point) {
    sections.push(selfCorrectionText(point));
    cover(point.start, point.end);
  }
  const spans = chain.tokenSpans(part);
  const tokens = part.node.tokens;
  const index = spans ? tokenAt(spans, local) : -1;
  if (spans && tokens && index >= 0) {
    const probe = part.node.analysis?.tokens.find((p) => p.index === index);
    if (probe) sections.push(probeText(probe));
    sections.push(tokenText(tokens[index]));
    cover(spans.starts[index], spans.ends[index]);
  }
  if (!span) return undefined;
  const { start, end } = span;
  return { start: part.textStart + start, end: part.textStart + end, markdown: sections.join('\n\n---\n\n') };
}

function tokenText(token: TokenLogprob): string {
  const head = `**Token** ${tokenCode(token.token)} · p ${formatP(Math.exp(token.logprob))} (logprob ${token.logprob.toFixed(3).replace('-', '−')})`;
  if (!token.top?.length) return head;
  const rows = token.top.map((alt) => `| ${tokenCode(alt.token, true)}${alt.token === token.token ? ' (written)' : ''} | ${formatP(Math.exp(alt.logprob))} |`);
  // A token sampled from outside the returned top-k is still worth a row.
  if (!token.top.some((alt) => alt.token === token.token)) rows.push(`| ${tokenCode(token.token, true)} (written) | ${formatP(Math.exp(token.logprob))} |`);
  return [head, '', '| top alternatives | p |', '| --- | ---: |', ...rows].join('\n');
}

/** How the reference reads: P(correct) against a gold answer, agreement with the majority otherwise. */
function referenceWords(reference: AnalysisReference): { rate: string; count: string; note: string } {
  return reference.kind === 'gold'
    ? { rate: 'P(correct)', count: 'correct', note: `Correct means equal to the gold answer ${textCode(reference.answer)}.` }
    : { rate: 'P(agree)', count: 'agree', note: `No gold answer: every rate is agreement with the majority answer ${textCode(reference.answer)} of unconstrained samples.` };
}

const STOPPED: Record<TokenProbedEvent['stopped'], string> = {
  decided: 'Sampling stopped once the interval cleared zero.',
  cap: 'Sampling stopped at the per-position cap of rollouts.',
  budget: 'Sampling stopped when the budget ran out; the interval may still cover zero.',
};

function probeText(probe: TokenProbedEvent): string {
  const words = referenceWords(probe.reference);
  const [low, high] = probe.interval;
  const best = probe.alternatives.reduce<(RolloutTally & { token: string }) | undefined>((a, b) => (!a || rate(b) > rate(a) ? b : a), undefined);
  const effect = probe.criticality < 0 ? 'lowered' : 'raised';
  const summary = best
    ? `Writing ${tokenCode(probe.token)} here ${effect} ${words.rate}: ${tally(probe.original)} ${words.count}, against ${tally(best)} when the chain goes on with ${tokenCode(best.token)}.`
    : `No alternative of ${tokenCode(probe.token)} was sampled.`;
  const row = (t: RolloutTally, token: string, written: boolean) => {
    const [a, b] = wilsonInterval(t);
    return `| ${tokenCode(token, true)}${written ? ' (written)' : ''} | ${tally(t)} | ${t.rollouts ? formatP(rate(t)) : '–'} | ${formatP(a)}–${formatP(b)} |`;
  };
  return [
    `**Critical token** · criticality ${formatDelta(probe.criticality)} (95% interval ${formatDelta(low)} to ${formatDelta(high)})`,
    '',
    summary,
    '',
    `| continuing with | ${words.count} / rollouts | ${words.rate} | 95% interval |`,
    '| --- | ---: | ---: | --- |',
    row(probe.original, probe.token, true),
    ...probe.alternatives.map((alt) => row(alt, alt.token, false)),
    '',
    `${words.note} ${STOPPED[probe.stopped]}`,
  ].join('\n');
}

const rate = (t: RolloutTally) => (t.rollouts ? t.correct / t.rollouts : 0);
const tally = (t: RolloutTally) => `${t.correct}/${t.rollouts}`;

const KIND: Record<SelfCorrectionKind, string> = {
  reflection: 'reflection — the model pauses to think again',
  verification: 'verification — the model checks its work',
  alternative: 'alternative approach — the model tries another way',
  correction: 'correction — the model says it made a mistake',
};

function effectText(effect: SelfCorrectionEffect, reference: AnalysisReference | undefined): string {
  if (effect === 'confirmed') return 'confirmed the answer: the same before and after';
  if (effect === 'unknown') return 'unknown: there is no answer to compare on one side';
  if (reference?.kind === 'majority') {
    if (effect === 'fixed') return 'moved to the majority answer: it disagreed before and agrees after';
    if (effect === 'broke') return 'moved away from the majority answer: it agreed before and disagrees after';
    return 'changed the answer, agreeing with the majority answer on neither side';
  }
  if (effect === 'fixed') return 'fixed the answer: wrong before, correct after';
  if (effect === 'broke') return 'broke the answer: correct before, wrong after';
  return reference ? 'changed the answer, wrong on both sides' : 'changed the answer';
}

function selfCorrectionText(point: SelfCorrectionPoint): string {
  const lines = [`**Self-correction** · ${textCode(point.marker)} · ${KIND[point.kind]}`, '', `Effect: **${effectText(point.effect, point.reference)}**.`];
  if (point.before !== undefined || point.after !== undefined) {
    lines.push('', `Answer before → after: ${point.before === undefined ? 'none' : textCode(point.before)} → ${point.after === undefined ? 'none' : textCode(point.after)}`);
  }
  if (point.reference) lines.push('', referenceWords(point.reference).note);
  // Found now, from the answers the text states; `inspect --write` logs it (forced-answer probes, if asked, sharpen it).
  if (point.detected) lines.push('', '_Found in the text when the chain was opened; not logged in the run._');
  return lines.join('\n');
}
