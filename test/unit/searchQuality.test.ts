/** Search pays off: on the test server, whose chains go wrong at a known rate and whose judge is
 * informative but imperfect, best-of-N and beam search with the judge answer correctly more often
 * than majority voting with the same number of chains. Not one lucky run: a fixed set of problems
 * and seeds, paired per trial, with a one-sided sign test. */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { OllamaBackend } from '../../src/core/model/ollama';
import { createScorer } from '../../src/core/reward';
import { buildSpec, executeRun } from '../../src/core/search/run';
import { prepareRun } from '../../src/core/search/startRun';
import { STRATEGIES } from '../../src/core/search/strategies';
import { startTestServer, type TestServer } from '../support/ollamaServer';
import { sampleProblems } from '../support/helpers';

const MODEL = 'qwen2.5:1.5b';
const N = 4;
const SEEDS = [11, 12, 13];
/** Compared at equal N: `n` chains (or beams) for every strategy. The judge checks one step at a
 * time, so a chain is as good as its worst step: `min` aggregation. */
const CONTENDERS: Record<string, Record<string, unknown>> = {
  'best-of-n': { n: N, aggregation: 'min' },
  beam: { n: N, beamWidth: 2, aggregation: 'min' },
};

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: 1, errorRate: 0.5, selfCorrectionRate: 0.2, judgeAccuracy: 0.85 });
});
after(() => server.close());

async function correct(strategy: string, params: Record<string, unknown>, problem: { problem: string; answer: string }, seed: number): Promise<boolean> {
  const backend = new OllamaBackend(server.url);
  const scorer = strategy === 'majority' ? undefined : createScorer('judge', { backend, model: MODEL });
  const prepared = await prepareRun({
    backend,
    problem: { text: problem.problem, answer: problem.answer },
    spec: buildSpec({ strategy, params, model: MODEL, sampling: { temperature: 0.8, seed, maxTokens: 1024 }, concurrency: 4, logprobs: true, topLogprobs: 3, scorer }),
  });
  const ended = await executeRun(backend, prepared.recorder, prepared.spec);
  assert.equal(ended.status, 'completed', `${strategy} seed ${seed}: ${ended.error ?? ''}`);
  return ended.result?.correct === true;
}

/** P(at least `wins` successes in `wins + losses` fair coin flips): the one-sided sign test. */
function signTest(wins: number, losses: number): number {
  const n = wins + losses;
  let p = 0;
  for (let k = wins; k <= n; k++) p += binomial(n, k) / 2 ** n;
  return p;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

test('best-of-N and beam search with an informative judge beat majority voting at equal N', async () => {
  const known = new Set(STRATEGIES.map((s) => s.name));
  const contenders = Object.entries(CONTENDERS).filter(([name]) => known.has(name));
  const tally = Object.fromEntries(contenders.map(([name]) => [name, { right: 0, wins: 0, losses: 0 }]));
  let majorityRight = 0;
  let trials = 0;
  for (const problem of sampleProblems()) {
    for (const seed of SEEDS) {
      trials++;
      const baseline = await correct('majority', { n: N }, problem, seed);
      if (baseline) majorityRight++;
      for (const [name, params] of contenders) {
        const ok = await correct(name, params, problem, seed);
        const t = tally[name];
        if (ok) t.right++;
        if (ok && !baseline) t.wins++;
        if (!ok && baseline) t.losses++;
      }
    }
  }
  const lines = [`majority ${majorityRight}/${trials}`, ...contenders.map(([name]) => {
    const t = tally[name];
    return `${name} ${t.right}/${trials} (wins ${t.wins}, losses ${t.losses}, sign test p=${signTest(t.wins, t.losses).toFixed(4)})`;
  })];
  console.log(`accuracy at N=${N} over ${trials} paired trials: ${lines.join('; ')}`);
  for (const [name] of contenders) {
    const t = tally[name];
    assert.ok(t.right > majorityRight, `${name} is not more accurate than majority: ${lines.join('; ')}`);
    assert.ok(signTest(t.wins, t.losses) < 0.05, `${name}'s advantage is not significant: ${lines.join('; ')}`);
  }
});
