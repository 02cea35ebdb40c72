import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { STRATEGIES } from '../../src/core/search/strategies';
import { parseRunText } from '../../src/core/trace/parse';
import type { RunEndedEvent } from '../../src/core/trace/schema';
import { evalOptions } from '../../src/cli/eval';
import { searchOptions } from '../../src/cli/search';
import { flagName, strategyOptions } from '../../src/cli/strategyFlags';
import { cli } from '../support/cli';
import { tempDir } from '../support/helpers';
import { startTestServer, type TestServer } from '../support/ollamaServer';

const PROBLEM = path.resolve('test/fixtures/problems/divisors-of-196.problem.md');
const chatRequests = (server: TestServer) => server.requests.filter((r) => r.path === '/api/chat').length;
const readRun = (file: string) => parseRunText(fs.readFileSync(file, 'utf8'));

describe('reasonscope search against the test server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 4 });
  });
  after(() => server.close());

  test('best-of-n with a scorer: the header records the parameters, scorer and budget; the summary says how the answer was chosen', async () => {
    const out = path.join(tempDir(), 'bon.run.jsonl');
    const r = await cli(['search', PROBLEM, '--host', server.url, '--strategy', 'best-of-n', '--n', '4', '--aggregation', 'min',
      '--scorer', 'confidence', '--seed', '3', '--max-total-tokens', '100000', '--max-time', '600', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const run = readRun(out);
    assert.deepEqual(run.header.strategy, { name: 'best-of-n', params: { n: 4, aggregation: 'min', concurrency: 2 } });
    assert.equal(run.header.scorer?.name, 'confidence');
    assert.deepEqual(run.header.budget, { maxTokens: 100000, maxWallMs: 600_000 });
    const ended = run.events.at(-1) as RunEndedEvent;
    assert.ok(ended.result?.selected, 'best-of-n selects a chain');
    assert.ok(run.events.some((e) => e.type === 'step_scored' && e.scorer === 'confidence'));
    assert.match(r.stdout, new RegExp(`Selected answer: ${ended.result?.answer} — (correct|wrong).*chosen by best-of-n: chain \\d`));
    assert.match(r.stdout, new RegExp(`Run saved to ${out.replace(/[.]/g, '\\.')}`));
  });

  test('majority with --json prints run_ended and the run file', async () => {
    const out = path.join(tempDir(), 'maj.run.jsonl');
    const r = await cli(['search', PROBLEM, '--host', server.url, '--strategy', 'majority', '-n', '3', '--seed', '1', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as RunEndedEvent & { runFile: string };
    assert.equal(printed.runFile, out);
    assert.equal(printed.type, 'run_ended');
    assert.deepEqual(printed.result, (readRun(out).events.at(-1) as RunEndedEvent).result);
    assert.equal(Object.values(printed.result?.votes ?? {}).reduce((a, b) => a + b, 0), 3);
  });

  test('--max-requests stops the run, which ends completed and says what stopped it', async () => {
    const out = path.join(tempDir(), 'budget.run.jsonl');
    const r = await cli(['search', PROBLEM, '--host', server.url, '--strategy', 'majority', '--n', '6', '--max-requests', '2', '--concurrency', '1', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as RunEndedEvent;
    assert.equal(printed.status, 'completed');
    assert.match(printed.stoppedBy ?? '', /request budget of 2/);
    assert.equal(printed.totals.requests, 2);
    const human = await cli(['search', PROBLEM, '--host', server.url, '--strategy', 'majority', '--n', '6', '--max-requests', '2', '--out', path.join(tempDir(), 'b.run.jsonl')]);
    assert.match(human.stdout, /Stopped early: request budget of 2 reached/);
  });

  test('--resume finishes a run cut off mid-way in the same file, without generating the finished chains again', async () => {
    const dir = tempDir();
    const whole = path.join(dir, 'whole.run.jsonl');
    const args = ['--host', server.url, '--strategy', 'majority', '--n', '4', '--seed', '9', '--concurrency', '1'];
    assert.equal((await cli(['search', PROBLEM, ...args, '--out', whole])).code, 0);
    // A crash after the first chain's answer, in the middle of writing the next line.
    const lines = fs.readFileSync(whole, 'utf8').split('\n');
    const firstAnswer = lines.findIndex((l) => l.includes('"answer_extracted"'));
    const cut = path.join(dir, 'cut.run.jsonl');
    fs.writeFileSync(cut, lines.slice(0, firstAnswer + 1).join('\n') + '\n' + lines[firstAnswer + 1].slice(0, 25));
    const before = chatRequests(server);
    const r = await cli(['search', '--resume', cut, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).runFile, cut);
    assert.equal(chatRequests(server) - before, 3, 'only the three unfinished chains are generated');
    const resumed = readRun(cut);
    assert.equal(resumed.tornTail, false);
    assert.equal(resumed.events.filter((e) => e.type === 'run_resumed').length, 1);
    const answers = (run: ReturnType<typeof readRun>) => run.events.filter((e) => e.type === 'answer_extracted').map((e) => `${e.id}=${e.normalized}`).sort();
    assert.deepEqual(answers(resumed), answers(readRun(whole)), 'the same seeds give the same chains');
    assert.equal((resumed.events.at(-1) as RunEndedEvent).status, 'completed');

    const again = await cli(['search', '--resume', cut]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /is finished; there is nothing to resume/);
  });
});

describe('scorers with a server of their own', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ seed: 8 });
  });
  after(() => server.close());

  test('a judge-scored run cut mid-way resumes with its judge rebuilt from the header', async () => {
    const dir = tempDir();
    const whole = path.join(dir, 'judged.run.jsonl');
    const r = await cli(['search', PROBLEM, '--host', server.url, '--strategy', 'best-of-n', '--n', '3', '--scorer', 'judge', '--judge-model', 'llama3.2:1b', '--seed', '2', '--concurrency', '1', '--out', whole]);
    assert.equal(r.code, 0, r.stderr);
    const run = readRun(whole);
    assert.equal(run.header.scorer?.name, 'judge:llama3.2:1b');
    const judged = (events: typeof run.events) => events.filter((e) => e.type === 'step_scored' && e.scorer === 'judge:llama3.2:1b').length;
    assert.ok(judged(run.events) > 0);
    const lines = fs.readFileSync(whole, 'utf8').split('\n');
    const firstAnswer = lines.findIndex((l) => l.includes('"answer_extracted"'));
    const cut = path.join(dir, 'cut.run.jsonl');
    fs.writeFileSync(cut, lines.slice(0, firstAnswer + 1).join('\n') + '\n');
    const resumed = await cli(['search', '--resume', cut]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const after = readRun(cut);
    assert.equal((after.events.at(-1) as RunEndedEvent).status, 'completed');
    assert.ok(judged(after.events.slice(after.events.findIndex((e) => e.type === 'run_resumed'))) > 0, 'the resumed part is judged too');
  });

  test('a PRM on a vLLM-style server scores the chains', async () => {
    const out = path.join(tempDir(), 'prm.run.jsonl');
    const r = await cli(['search', PROBLEM, '--host', server.url, '--strategy', 'weighted', '--n', '3', '--scorer', 'http', '--prm-url', server.url, '--prm-model', 'Qwen/Qwen2.5-Math-PRM-7B', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const run = readRun(out);
    assert.deepEqual(run.header.scorer, { name: 'prm:Qwen/Qwen2.5-Math-PRM-7B', params: { url: server.url, model: 'Qwen/Qwen2.5-Math-PRM-7B' } });
    assert.ok(Object.keys(JSON.parse(r.stdout).result.weights).length > 0);
  });

  test('a judge model the server lacks fails before a run file is written, naming the pull', async () => {
    const out = path.join(tempDir(), 'none.run.jsonl');
    const r = await cli(['search', PROBLEM, '--host', server.url, '--strategy', 'best-of-n', '--scorer', 'judge', '--judge-model', 'nosuch:7b', '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Model "nosuch:7b" is not available.*ollama pull nosuch:7b/);
    assert.equal(fs.existsSync(out), false);
  });
});

describe('search usage errors name the problem (exit 2)', () => {
  const search = (...args: string[]) => cli(['search', '--text', 'What is $6 \\times 7$?', ...args]);

  test('unknown strategy, a bad value, a flag of another strategy, a missing or unneeded scorer', async () => {
    const cases: [string[], RegExp][] = [
      [['--strategy', 'nope'], /unknown strategy "nope"; one of: cot, majority/],
      [[], /--strategy is required/],
      [['--strategy', 'best-of-n', '--scorer', 'confidence', '--aggregation', 'median'], /--aggregation must be one of last, min, prod, mean, got "median"/],
      [['--strategy', 'majority', '--n', '0'], /--n must be an integer ≥ 1/],
      [['--strategy', 'majority', '--iterations', '5'], /--iterations is not a parameter of majority; it takes --n/],
      [['--strategy', 'best-of-n'], /best-of-n ranks its chains by a scorer: add --scorer/],
      [['--strategy', 'majority', '--scorer', 'confidence'], /majority does not use a scorer/],
      [['--strategy', 'best-of-n', '--scorer', 'gold'], /--scorer gold: the gold scorer needs the problem's gold answer/],
      [['--strategy', 'best-of-n', '--scorer', 'oracle'], /--scorer must be one of .*confidence.*got "oracle"/],
      [['--strategy', 'best-of-n', '--scorer', 'judge'], /--scorer judge needs --judge-model NAME.*the policy model will do: --judge-model qwen2\.5:1\.5b/],
      [['--strategy', 'best-of-n', '--scorer', 'http', '--prm-url', 'http://127.0.0.1:8000'], /--scorer http needs --prm-url URL .* and --prm-model NAME/],
      [['--strategy', 'best-of-n', '--scorer', 'http', '--prm-url', 'ftp://x', '--prm-model', 'm'], /--scorer http: .*must start with http:\/\/ or https:\/\//],
      [['--strategy', 'best-of-n', '--scorer', 'confidence', '--judge-model', 'm'], /--judge-model is an option of --scorer judge, not of confidence/],
      [['--strategy', 'best-of-n', '--scorer', 'judge', '--judge-model', 'm', '--judge-samples', '0'], /--judge-samples must be an integer ≥ 1/],
      [['--strategy', 'majority', '--max-time', '0'], /--max-time is in seconds and must be more than 0/],
      [['--strategy', 'majority', '--max-requests', 'lots'], /--max-requests must be an integer/],
    ];
    for (const [args, message] of cases) {
      const r = await search(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  });

  test('--resume refuses other settings and files that are not runs', async () => {
    const dir = tempDir();
    let r = await cli(['search', '--resume', path.join(dir, 'none.run.jsonl'), '--strategy', 'majority']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--resume continues a run with the settings it was started with; leave out --strategy/);
    r = await cli(['search', '--resume', path.join(dir, 'none.run.jsonl')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot resume .*none\.run\.jsonl: no such file/);
  });
});

describe('strategies from the registry', () => {
  test('search --list and help strategies describe every strategy and parameter with its flag and default', async () => {
    for (const args of [['search', '--list'], ['help', 'strategies']]) {
      const r = await cli(args);
      assert.equal(r.code, 0, r.stderr);
      for (const s of STRATEGIES) {
        assert.match(r.stdout, new RegExp(`^  ${s.name} — `, 'm'));
        for (const p of s.params) assert.ok(r.stdout.includes(`--${flagName(p.name)}`) && r.stdout.includes(p.description), `${s.name} ${p.name}`);
      }
    }
  });

  test('every parameter gets a flag of its own that no command flag shadows', () => {
    assert.doesNotThrow(() => strategyOptions(searchOptions));
    assert.doesNotThrow(() => strategyOptions(evalOptions, ['n']));
    assert.throws(() => strategyOptions({ n: {} }), /parameter n would be --n/);
  });
});
