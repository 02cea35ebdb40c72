/** `reasonscope inspect` as a user runs it: the summary of a recorded run and of an imported R1 trace
 * (no model needed), the JSON for scripts, `--write` appending the analysis once and only once,
 * probes and rollout analyses against the test server, and what it says about bad input. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseRunText } from '../../src/core/trace/parse';
import { replay } from '../../src/core/trace/tree';
import { cli } from '../support/cli';
import { tempDir } from '../support/helpers';
import { startTestServer, type TestServer } from '../support/ollamaServer';

const RUN = path.resolve('test/fixtures/runs/recorded-majority-8.run.jsonl');
const R1_CHATS = path.resolve('test/fixtures/traces/r1-chat/thought-anchors-chats.jsonl');

/** A copy of the recorded run to write to. */
function runCopy(): string {
  const file = path.join(tempDir(), 'run.run.jsonl');
  fs.copyFileSync(RUN, file);
  return file;
}

describe('reasonscope inspect without a model', () => {
  test('a recorded run: the self-correction with its kind, effect and answers, and the confidence dips', async () => {
    const r = await cli(['inspect', RUN]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^recorded-majority-8\.run\.jsonl · qwen2\.5:1\.5b · majority · 8 chains, 26 steps$/m);
    assert.match(r.stdout, /^Reference: gold answer \\frac\{14\}\{3\}$/m);
    assert.match(r.stdout, /^Self-corrections: 1 — correction 1 · fixed 1$/m);
    assert.match(r.stdout, /^ {2}s6\.2 +correction +fixed +\\frac\{15\}\{3\} → \\frac\{14\}\{3\} +"Wait, that is not right/m);
    assert.match(r.stdout, /^Confidence dips .*\n {2}s0\.1 #0 "Simplifying" +p 0\.080, usually 0\.97.*\n {2}s6\.1 #0 "Combining"/m, 'the wrong steps open with the dips');
    assert.match(r.stdout, /Critical tokens: none analysed/);
    assert.match(r.stdout, /1 analysis event not saved: --write appends it to recorded-majority-8\.run\.jsonl\./);
  });

  test('an imported R1 trace: its points from the text alone, and how to keep them', async () => {
    const r = await cli(['inspect', R1_CHATS, '--record', '0', '--top', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^thought-anchors-chats\.jsonl record 0 \(r1-chat\) · deepseek-r1-distill-llama-8b · r1-chat · 1 chain, 46 steps$/m);
    assert.match(r.stdout, /^Self-corrections: 7 — reflection 5, verification 2 · unknown 7$/m);
    assert.match(r.stdout, /^ {2}s0\.0 +reflection +unknown +"Hmm, let me think about how to approach this\."$/m);
    assert.match(r.stdout, /…and 4 more \(--top 7 or --json for all\)/);
    assert.match(r.stdout, /Confidence dips: the run has no token logprobs/);
    assert.match(r.stdout, /Analysed in memory: reasonscope import thought-anchors-chats\.jsonl makes a run file/);
  });

  test('--json: one object with every point, the counts, the reference and the dips', async () => {
    const r = await cli(['inspect', RUN, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { selfCorrections: Record<string, unknown>[]; confidenceDips: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(out), ['file', 'format', 'record', 'problem', 'model', 'strategy', 'chains', 'steps', 'reference', 'selfCorrections', 'counts', 'probes', 'criticalTokens', 'stepImportance', 'confidenceDips', 'analysis']);
    assert.deepEqual(out.reference, { kind: 'gold', answer: '\\frac{14}{3}' });
    assert.deepEqual(out.selfCorrections, [{
      id: 's6.2', start: 0, end: 4, marker: 'Wait', kind: 'correction', effect: 'fixed', before: '\\frac{15}{3}', after: '\\frac{14}{3}',
      excerpt: 'Wait, that is not right: $\\frac{15}{3}$ comes from an arithmeti…',
    }]);
    assert.deepEqual(out.counts, { kind: { correction: 1 }, effect: { fixed: 1 } });
    assert.deepEqual(out.confidenceDips.map((d) => [d.id, d.index, d.token]), [['s0.1', 0, 'Simplifying'], ['s6.1', 0, 'Combining']]);
    assert.deepEqual(Object.keys(out.confidenceDips[0]), ['id', 'index', 'token', 'surprisal', 'baseline', 'excess', 'logprob', 'entropy', 'margin']);
    assert.deepEqual(out.analysis, { written: 1, saved: false, probes: { positions: 0, answered: 0 } });

    const imported = JSON.parse((await cli(['inspect', R1_CHATS, '--json'])).stdout) as { selfCorrections: unknown[]; confidenceDips: unknown[]; format: string };
    assert.equal(imported.format, 'r1-chat');
    assert.equal(imported.selfCorrections.length, 7);
    assert.deepEqual(imported.confidenceDips, []);
  });

  test('--marker and --no-marker change what counts as a point', async () => {
    const counts = async (...flags: string[]) => (JSON.parse((await cli(['inspect', R1_CHATS, '--json', ...flags])).stdout) as { counts: { kind: Record<string, number> } }).counts.kind;
    assert.deepEqual(await counts(), { reflection: 5, verification: 2 });
    assert.deepEqual(await counts('--no-marker', 'hmm', '--no-marker', 'wait'), { reflection: 1, verification: 2 }, '"Wait, let me confirm" still checks');
    const more = await counts('--marker', 'so', '--no-marker', 'hmm');
    assert.ok((more.reflection ?? 0) > 5, JSON.stringify(more));
  });

  test('--write appends the analysis once: a second run writes nothing, and the run file replays it', async () => {
    const file = runCopy();
    const lines = fs.readFileSync(file, 'utf8').split('\n').length;
    const first = await cli(['inspect', file, '--write']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Wrote 1 analysis event to run\.run\.jsonl\./);
    const written = fs.readFileSync(file, 'utf8');
    assert.equal(written.split('\n').length, lines + 1);
    const second = await cli(['inspect', file, '--write']);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stdout, /Wrote|not saved/);
    assert.equal(fs.readFileSync(file, 'utf8'), written);
    const run = parseRunText(written);
    assert.equal(replay(run.header, run.events).nodes.get('s6.2')?.analysis?.selfCorrections[0].effect, 'fixed');
  });
});

describe('reasonscope inspect with the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('--probe --write: the answer trajectory of every chain, saved; --critical and --importance rank what they found', async () => {
    const file = runCopy();
    const r = await cli(['inspect', file, '--probe', '--host', server.url, '--write']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Forced-answer probes: 9 of 26 positions answered$/m);
    assert.match(r.stdout, /^ {2}s6\.answer: – → \\frac\{15\}\{3\} → – → \\frac\{14\}\{3\} → –$/m);
    assert.match(r.stdout, /Wrote 27 analysis events/);
    const generations = () => server.requests.filter((q) => q.path === '/api/chat').length;
    const asked = generations();
    const again = await cli(['inspect', file, '--probe', '--host', server.url, '--write']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(generations(), asked, 'no probe asked twice');
    assert.doesNotMatch(again.stdout, /Wrote/);

    const rollouts = await cli(['inspect', file, '--critical', '--importance', '--budget', '60', '--host', server.url, '--json']);
    assert.equal(rollouts.code, 0, rollouts.stderr);
    const out = JSON.parse(rollouts.stdout) as { criticalTokens: { id: string; index: number; token: string }[]; stepImportance: { id: string }[]; analysis: { saved: boolean } };
    assert.ok(out.criticalTokens.slice(0, 3).some((p) => p.id === 's0.1' && p.index === 0), `the wrong step's first token among the top 3: ${JSON.stringify(out.criticalTokens)}`);
    assert.deepEqual(out.stepImportance.map((s) => s.id).sort(), ['s0.0', 's0.1', 's0.2']);
    assert.equal(out.analysis.saved, false);
  });

  test('--critical on a trace without token logprobs says what it needs', async () => {
    const r = await cli(['inspect', R1_CHATS, '--critical', '--host', server.url, '--model', 'qwen2.5:1.5b']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /critical-token search needs each token's likely alternatives/);
  });

  test('a model the server lacks is named with the fix', async () => {
    const r = await cli(['inspect', RUN, '--probe', '--host', server.url, '--model', 'nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Model "nope" is not available .*ollama pull nope/);
  });
});

describe('reasonscope inspect on bad input', () => {
  const cases: { name: string; args: string[]; code: number; says: RegExp }[] = [
    { name: 'no file', args: ['inspect', 'missing.run.jsonl'], code: 1, says: /missing\.run\.jsonl: no such file or folder/ },
    { name: 'two files', args: ['inspect', RUN, RUN], code: 2, says: /inspect takes one run file or trace file/ },
    { name: 'a record past the end', args: ['inspect', R1_CHATS, '--record', '9'], code: 2, says: /has 3 records \(0–2\); --record 9 is past the end/ },
    { name: '--write on an imported trace', args: ['inspect', R1_CHATS, '--write'], code: 2, says: /import it first \(reasonscope import thought-anchors-chats\.jsonl --record 0 --out FILE\)/ },
    { name: 'a budget with nothing to spend it on', args: ['inspect', RUN, '--budget', '5'], code: 2, says: /--budget is for the analyses that ask a model: add --probe, --critical or --importance/ },
    { name: 'a marker that does not exist', args: ['inspect', RUN, '--no-marker', 'wiat'], code: 2, says: /--no-marker: unknown self-correction marker "wiat"; the markers are: but wait, no wait, wait/ },
    { name: 'a bad format', args: ['inspect', RUN, '--format', 'csv'], code: 2, says: /--format must be one of run, processbench/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const r = await cli(c.args);
      assert.equal(r.code, c.code, r.stderr);
      assert.match(r.stderr, c.says);
      assert.equal(r.stdout, '');
    });
  }

  test('--write refuses a run that has not ended (a run may still be writing it), and appends nothing', async () => {
    const file = runCopy();
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const running = lines.filter((l) => !l.includes('"type":"run_ended"')).join('\n') + '\n{"type":"node_added","t":9';
    fs.writeFileSync(file, running);
    const r = await cli(['inspect', file, '--write']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has not ended \(it is still running, or stopped without finishing\)/);
    assert.equal(fs.readFileSync(file, 'utf8'), running, 'nothing appended');
  });
});
