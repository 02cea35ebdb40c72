/** Inline annotations of a chain document, computed without VS Code on recorded runs: the document
 * shows each step under its own header with its text as generated; decorations land on the tokens
 * they are about (critical tokens scaled by |criticality| and coloured by sign, the confidence heat
 * only when asked for, self-correction markers by effect); hovers tell a token's probability and
 * alternatives, a probe's tallies and intervals, a self-correction's effect — and without a gold
 * answer speak of agreement with the majority, never of correctness; inlay hints give step scores and
 * their change; CodeLens actions appear only where a chain can be continued. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { openTraceSource } from '../../src/core/trace/import';
import { parseRunText } from '../../src/core/trace/parse';
import type { RunEvent, RunHeader } from '../../src/core/trace/schema';
import { replay, type RunTree } from '../../src/core/trace/tree';
import { AnnotatedChain } from '../../src/extension/annotations/annotatedChain';
import { chainPath, layoutChain } from '../../src/extension/annotations/chainLayout';
import { detectSelfCorrections, type DetectedSelfCorrections } from '../../src/extension/annotations/detect';
import { criticalityLevel, planDecorations, uncertaintyLevel, type Span } from '../../src/extension/annotations/decorations';
import { hoverAt } from '../../src/extension/annotations/hovers';
import { inlayHints } from '../../src/extension/annotations/inlayHints';
import { stepLenses } from '../../src/extension/annotations/lenses';
import { tokenAt, tokenSpans } from '../../src/extension/annotations/tokenSpans';

const RUNS = path.join(__dirname, '..', 'fixtures', 'runs');

function loadRun(name: string): { header: RunHeader; events: RunEvent[] } {
  return parseRunText(fs.readFileSync(path.join(RUNS, name), 'utf8'));
}

function chainOf(tree: RunTree, id: string, detected?: DetectedSelfCorrections): AnnotatedChain {
  return new AnnotatedChain(tree, layoutChain(tree, chainPath(tree, id)), detected);
}

const annotated = loadRun('annotated.run.jsonl');
const annotatedTree = replay(annotated.header, annotated.events);
/** Chain 1 of the annotated run: a wrong step (s0.1), "Wait, that is not right" (s0.2), the fix. */
const chain1 = chainOf(annotatedTree, 's0.1');
const text = chain1.layout.text;
const at = (span: Span) => text.slice(span.start, span.end);
const offsetOf = (needle: string, from = 0) => {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `the document holds ${JSON.stringify(needle)}`);
  return i;
};

describe('the chain document', () => {
  test('a click on any step opens the whole unbranched chain: problem, each step under its header, the answer', () => {
    assert.deepEqual(chain1.layout.parts.map((p) => p.node.id), ['root', 's0.0', 's0.1', 's0.2', 's0.3', 's0.4', 's0.answer']);
    assert.deepEqual(chain1.layout.parts.map((p) => p.title), ['Problem', 'Step 1', 'Step 2', 'Step 3', 'Step 4', 'Step 5', 'Answer']);
    for (const part of chain1.layout.parts) {
      assert.equal(text.slice(part.textStart, part.textEnd), part.node.text, `${part.node.id}'s text is in the document as the run holds it`);
      assert.match(text.slice(part.headerStart, part.textStart), new RegExp(`^### ${part.title}\\b.*\\n$`));
      assert.equal(chain1.partAt(part.textStart + 1)?.node.id, part.node.id);
      assert.equal(chain1.partAt(part.headerStart)?.node.id, part.node.id);
    }
    assert.match(text, /^### Step 2 · s0\.1\n/m, 'step headers carry the node id the tree and the run file use');
  });

  test('in a search tree the chain stops where it branches, and pruned or tagged steps say so in their header', () => {
    const beam = loadRun('beam-8x4.run.jsonl');
    const tree = replay(beam.header, beam.events);
    const branching = [...tree.nodes.values()].find((n) => n.kind === 'step' && n.children.length > 1);
    assert.ok(branching);
    assert.equal(chainPath(tree, branching.id).at(-1)?.id, branching.id);
    const pruned = [...tree.nodes.values()].find((n) => n.status === 'pruned');
    assert.ok(pruned);
    const layout = layoutChain(tree, chainPath(tree, pruned.id));
    const part = layout.parts.find((p) => p.node.id === pruned.id);
    assert.ok(part);
    assert.match(layout.text.slice(part.headerStart, part.textStart), new RegExp(`pruned: ${pruned.pruneReason}`));
  });

  test('every token of every recorded run lies on its own text in the document', () => {
    for (const name of fs.readdirSync(RUNS).filter((f) => f.endsWith('.run.jsonl'))) {
      const run = loadRun(name);
      const tree = replay(run.header, run.events);
      for (const node of tree.nodes.values()) {
        if (!node.tokens?.length) continue;
        const spans = tokenSpans(node.text, node.tokens);
        node.tokens.forEach((token, i) => {
          if (!token.token.trim()) return;
          assert.ok(spans.starts[i] >= 0, `${name} ${node.id}: token ${i} ${JSON.stringify(token.token)} is placed`);
          assert.equal(node.text.slice(spans.starts[i], spans.ends[i]).trim(), token.token.trim());
          assert.equal(tokenAt(spans, spans.starts[i]), i);
        });
      }
    }
  });

  test('a trigger written for the model ("Wait,") has no tokens: the tokens after it still land on their text', () => {
    const stepText = 'Wait, let me check: 2 + 2 = 4.';
    const tokens = [' let', ' me', ' check', ':', ' 2', ' +', ' 2', ' =', ' 4', '.', '\n\n'].map((token) => ({ token, logprob: -0.1 }));
    const spans = tokenSpans(stepText, tokens);
    assert.equal(stepText.slice(spans.starts[0], spans.ends[0]), ' let');
    assert.equal(stepText.slice(spans.starts[9], spans.ends[9]), '.');
    assert.equal(spans.starts[10], -1, 'the blank line that ended the step is not in its text');
    assert.equal(tokenAt(spans, 2), -1, 'the trigger itself is no token');
  });
});

describe('decorations', () => {
  test('critical tokens are highlighted on the probed token, stronger the larger |criticality|, by whether writing it hurt or helped', () => {
    const plan = planDecorations(chain1, { heat: false });
    const harmful = plan.harmful.flatMap((spans, level) => spans.map((s) => [level + 1, at(s)]));
    const helpful = plan.helpful.flatMap((spans, level) => spans.map((s) => [level + 1, at(s)]));
    assert.deepEqual(harmful, [[3, 'Therefore']], 'the wrong step\'s first token (criticality −0.75) at the strongest level');
    assert.deepEqual(helpful, [[2, 'This']], 'a token that kept the chain right (+0.42) one level lower');
    assert.deepEqual([0.05, 0.1, 0.29, 0.3, 0.59, 0.6, 1].map(criticalityLevel), [0, 1, 1, 2, 2, 3, 3]);
    assert.equal(criticalityLevel(-0.75), criticalityLevel(0.75), 'levels scale with |criticality|');
  });

  test('the confidence heat is off unless asked for, and then marks only the tokens the model was unsure of', () => {
    assert.deepEqual(planDecorations(chain1, { heat: false }).uncertain.flat(), []);
    const plan = planDecorations(chain1, { heat: true });
    const step2 = chain1.layout.parts[2];
    const level2 = plan.uncertain[1].filter((s) => s.start >= step2.textStart && s.end <= step2.textEnd).map(at);
    assert.ok(level2.includes('Therefore'), '"Therefore" (p 0.23) is in the middle band');
    const all = chain1.steps.flatMap((p) => p.node.tokens ?? []);
    const unsure = all.filter((t) => uncertaintyLevel(t.logprob) > 0).length;
    assert.equal(plan.uncertain.flat().length, unsure, 'one mark per unsure token');
    assert.ok(unsure < all.length / 2, `a subtle heat: ${unsure} of ${all.length} tokens marked`);
    assert.deepEqual([Math.log(0.9), Math.log(0.6), Math.log(0.3), Math.log(0.1)].map(uncertaintyLevel), [0, 1, 2, 3]);
  });

  test('a logged self-correction point marks its marker, grouped by what it did to the answer', () => {
    const plan = planDecorations(chain1, { heat: false });
    assert.deepEqual(plan.selfCorrections.fixed.map(at), ['Wait']);
    assert.equal(plan.selfCorrections.fixed[0].start, chain1.layout.parts[3].textStart);
    assert.deepEqual(plan.selfCorrections.broke, []);
  });

  test('a chain no analysis has looked at shows the self-corrections the analysis runner finds in its text; a logged chain only its logged ones', async () => {
    const detected = await detectSelfCorrections(annotated.header, annotated.events);
    const chain4 = chainOf(annotatedTree, 's3.0', detected);
    const at4 = (span: Span) => chain4.layout.text.slice(span.start, span.end);
    const plan = planDecorations(chain4, { heat: false });
    assert.deepEqual(plan.selfCorrections.fixed.map(at4), ['Wait'], '"Wait, I made a mistake" after the wrong 15/3, then 14/3: fixed');
    const md = hoverAt(chain4, chain4.layout.text.indexOf('Wait, I made') + 1)?.markdown ?? '';
    assert.match(md, /correction — the model says it made a mistake/);
    assert.match(md, /Answer before → after: `\\frac\{15\}\{3\}` → `\\frac\{14\}\{3\}`/);
    assert.match(md, /Found in the text when the chain was opened; not logged/);
    assert.deepEqual(planDecorations(chainOf(annotatedTree, 's3.0'), { heat: false }).selfCorrections.fixed, [], 'none shown while they are being found');
    const logged = chainOf(annotatedTree, 's0.1', new Map([['s0.2', [{ ...annotatedTree.nodes.get('s0.2')!.analysis!.selfCorrections[0], effect: 'broke' as const }]]]));
    assert.deepEqual(planDecorations(logged, { heat: false }).selfCorrections.broke, [], 'what an analysis logged is not second-guessed');
    assert.equal(planDecorations(logged, { heat: false }).selfCorrections.fixed.length, 1);
  });
});

describe('hovers', () => {
  test('any token: its probability, logprob and the alternatives the server returned, the written one marked', () => {
    const hover = hoverAt(chain1, offsetOf('First, we have') + 1);
    assert.ok(hover);
    assert.equal(text.slice(hover.start, hover.end), 'First');
    const md = hover.markdown;
    assert.match(md, /\*\*Critical token\*\*/, 'First was probed too');
    assert.match(md, /\*\*Token\*\* `First` · p 0\.25 \(logprob −1\.396\)/);
    assert.match(md, /\| `We` \| 0\.74 \|/);
    assert.match(md, /\| `First` \(written\) \| 0\.25 \|/);
    assert.match(md, /`␣the`/, 'whitespace in a token is made visible');
  });

  test('a critical token: P(correct) continuing with it and with each alternative, tallies and intervals, against the gold answer', () => {
    const hover = hoverAt(chain1, offsetOf('Therefore the value') + 3);
    assert.ok(hover);
    const md = hover.markdown;
    assert.match(md, /criticality −0\.75 \(95% interval −0\.89 to −0\.36\)/);
    assert.match(md, /Writing `Therefore` here lowered P\(correct\): 1\/12 correct, against 10\/12 when the chain goes on with `Combining`/);
    assert.match(md, /\| `Therefore` \(written\) \| 1\/12 \| 0\.08 \| 0\.01–0\.35 \|/);
    assert.match(md, /\| `Simplifying` \| 9\/12 \| 0\.75 \|/);
    assert.match(md, /equal to the gold answer `\\frac\{14\}\{3\}`/);
    assert.match(md, /interval cleared zero/);
  });

  test('without a gold answer, probes and self-corrections read as agreement with the majority answer, never as correctness', () => {
    const majority = { kind: 'majority' as const, answer: '\\frac{14}{3}' };
    const events = annotated.events.map((e) => (e.type === 'token_probed' || e.type === 'self_correction' || e.type === 'step_importance' ? { ...e, reference: majority } : e));
    const tree = replay(annotated.header, events);
    const chain = chainOf(tree, 's0.1');
    for (const needle of ['Therefore the value', 'Wait, that is']) {
      const md = hoverAt(chain, chain.layout.text.indexOf(needle) + 1)?.markdown ?? '';
      assert.match(md, /agree/);
      assert.match(md, /majority answer `\\frac\{14\}\{3\}`/);
      assert.doesNotMatch(md, /\bcorrect\b|wrong|fixed|broke/i, `no verdict words in: ${md}`);
    }
    const hints = inlayHints(chain).map((h) => h.tooltip).join('\n');
    assert.match(hints, /agreement with the majority answer/);
    assert.doesNotMatch(hints, /P\(correct\)/);
  });

  test('a self-correction point: its marker, kind, effect and the answers before → after', () => {
    const hover = hoverAt(chain1, offsetOf('Wait, that is') + 2);
    assert.ok(hover);
    assert.equal(text.slice(hover.start, hover.end), 'Wait');
    const md = hover.markdown;
    assert.match(md, /\*\*Self-correction\*\* · `Wait` · correction/);
    assert.match(md, /Effect: \*\*fixed the answer: wrong before, correct after\*\*/);
    assert.match(md, /Answer before → after: `\\frac\{3\}\{14\}` → `\\frac\{14\}\{3\}`/);
    assert.match(md, /\*\*Token\*\* `Wait`/, 'the token under the marker is described too');
  });

  test('headers, the problem and the answer have no token hovers', () => {
    for (const part of chain1.layout.parts.filter((p) => p.node.kind !== 'step')) assert.equal(hoverAt(chain1, part.textStart), undefined);
    assert.equal(hoverAt(chain1, chain1.layout.parts[1].headerStart + 2), undefined);
  });
});

describe('inlay hints', () => {
  test('at the end of each step: its score and the change from the previous step; importance where logged; the answer\'s verdict', () => {
    const hints = inlayHints(chain1);
    const steps = chain1.steps;
    assert.deepEqual(hints.map((h) => h.offset), [...steps.map((p) => p.textEnd), chain1.layout.parts.at(-1)!.textEnd]);
    const scores = steps.map((p) => p.node.scores.confidence);
    assert.equal(hints[0].label, `confidence ${scores[0].toFixed(2)}`);
    const change = scores[1] - scores[0];
    assert.equal(hints[1].label, `confidence ${scores[1].toFixed(2)} (${change < 0 ? '−' : '+'}${Math.abs(change).toFixed(2)})`);
    assert.match(hints[2].label, /· importance \+0\.50$/);
    assert.match(hints[2].tooltip, /P\(correct\) 0\.38 \(3\/8\) resampling from before this step, 0\.88 \(7\/8\) from after it/);
    assert.equal(hints.at(-1)?.label, '✓ correct');
  });
});

describe('CodeLens', () => {
  test('each step of a run Reasonscope wrote offers Branch, Resample, Inject "Wait", and Find critical tokens where its tokens have alternatives', () => {
    const lenses = stepLenses(chain1, true);
    assert.equal(lenses.length, 4 * chain1.steps.length);
    assert.deepEqual(lenses.slice(0, 4).map((l) => l.title), ['Branch here', 'Resample from here', 'Inject "Wait" here', 'Find critical tokens']);
    assert.ok(lenses.every((l) => text.startsWith('### Step', l.offset)), 'lenses sit on the step headers');
    const majority = loadRun('majority-8.run.jsonl');
    const tree = replay(majority.header, majority.events);
    const noLogprobs = chainOf(tree, [...tree.nodes.values()].find((n) => n.kind === 'step' && !n.tokens)!.id);
    assert.deepEqual(new Set(stepLenses(noLogprobs, true).map((l) => l.action)), new Set(['branch', 'resample', 'wait']), 'no token alternatives, no critical-token search');
  });

  test('an imported trace is read-only: no actions', async () => {
    const source = await openTraceSource(path.join(__dirname, '..', 'fixtures', 'traces', 'processbench', 'math.json'));
    try {
      const run = await source.load(0);
      const tree = replay(run.header, run.events);
      const leaf = [...tree.nodes.values()].at(-1);
      assert.ok(leaf);
      const chain = chainOf(tree, leaf.id);
      assert.ok(chain.steps.length > 0);
      assert.deepEqual(stepLenses(chain, false), []);
    } finally {
      await source.close();
    }
  });
});
