/** `npm run bench:critical`: what the triaged sequential critical-token search costs next to the
 * exhaustive way of finding critical tokens, and whether it finds the same one. On the test server,
 * chains that end wrong after the solver's planted wrong step (whose first token is the decision)
 * are searched with the default options and budget; for each we count the rollouts used and the
 * planted token's rank, against exhaustive baselines of 64 rollouts per token over the same chain:
 * cDPO's own procedure (64 from the prefix through every token) and the search's definition without
 * its savings (64 for the original and each alternative at every candidate position). Their cost is
 * counted for every chain, and both are run in full on the shortest chains to compare the rankings.
 * Wall times are on the test server (no model), so they measure the search's own overhead;
 * `completionTokens` is what a real model would have to generate. Writes bench/results/critical.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CRITICAL_OPTIONS, findCriticalTokens, prefixWith, triage, type CriticalOptions, type CriticalSearchResult } from '../src/core/analysis/critical';
import { proportion } from '../src/core/analysis/intervals';
import { RolloutSampler, rolloutSettingsFor } from '../src/core/analysis/rollouts';
import { OllamaBackend } from '../src/core/model/ollama';
import { Scheduler } from '../src/core/search/scheduler';
import type { AnalysisReference, TokenProbedEvent } from '../src/core/trace/schema';
import { sampleProblems } from '../test/support/helpers';
import { startTestServer, type TestServer } from '../test/support/ollamaServer';
import { plantedChains, PLANTING_SOLVER, type PlantedChain } from '../test/support/plantedChains';

const SEEDS = [7, 21, 33];
const BASELINE_ROLLOUTS = 64;
/** Chains the baselines run on in full: the shortest ones, so they take seconds here (and would take
 * hours with a real model). */
const EXHAUSTIVE_CHAINS = 3;

interface Row {
  problem: string;
  seed: number;
  steps: number;
  tokens: number;
  /** Positions with an eligible alternative (what triage orders). */
  candidates: number;
  probed: number;
  rollouts: number;
  completionTokens: number;
  wallMs: number;
  plantedRank: number | null;
  stoppedBy?: string;
  /** 64 rollouts from the prefix through every token (and from the start): cDPO's procedure. */
  baselinePerToken: number;
  /** 64 rollouts for the original and each alternative at every candidate position: the search's
   * own definition without triage order, early stops or a budget. */
  baselineEveryCandidate: number;
}

async function search(server: TestServer, w: PlantedChain, options: Partial<CriticalOptions> = {}): Promise<{ result: CriticalSearchResult; wallMs: number }> {
  const start = performance.now();
  const result = await findCriticalTokens({
    backend: new OllamaBackend(server.url), problem: w.recorder.header.problem, chain: w.chain,
    settings: rolloutSettingsFor(w.recorder.header), sink: { emit: () => undefined, now: () => 0 }, options,
  });
  return { result, wallMs: Math.round(performance.now() - start) };
}

/** cDPO's own procedure: 64 rollouts from the prefix through every token of the chain; a token's
 * effect is the change in P(correct) from the prefix before it to the prefix through it. Ranked
 * like the search's probes, by the size of the change. */
async function perTokenBaseline(server: TestServer, w: PlantedChain): Promise<{ rollouts: number; wallMs: number; ranking: { id: string; index: number; token: string; change: number }[] }> {
  const start = performance.now();
  const scheduler = new Scheduler(DEFAULT_CRITICAL_OPTIONS.concurrency);
  const sampler = new RolloutSampler(new OllamaBackend(server.url), scheduler, w.recorder.header.problem.text, rolloutSettingsFor(w.recorder.header));
  const reference: AnalysisReference = { kind: 'gold', answer: w.recorder.header.problem.answer ?? '' };
  const positions = w.chain.flatMap((node) => (node.tokens ?? []).map((t, index) => ({ node, index, token: t.token })));
  const rates = await Promise.all([
    sampler.tally('', 'start', 0, BASELINE_ROLLOUTS, reference),
    ...positions.map((p) => sampler.tally(prefixWith(w.chain, p.node, p.index, p.token), `${p.node.id}|${p.index}|${p.token}`, 0, BASELINE_ROLLOUTS, reference)),
  ]);
  scheduler.dispose();
  const ranking = positions
    .map((p, i) => ({ id: p.node.id, index: p.index, token: p.token, change: proportion(rates[i + 1].tally) - proportion(rates[i].tally) }))
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
  return { rollouts: sampler.used, wallMs: Math.round(performance.now() - start), ranking };
}

const rankOf = (ranking: readonly { id: string; index: number }[], w: PlantedChain) => {
  const at = ranking.findIndex((p) => p.id === w.planted.id && p.index === 0);
  return at < 0 ? null : at + 1;
};
const label = (p: TokenProbedEvent) => `${p.id}#${p.index} ${JSON.stringify(p.token)} ${p.criticality.toFixed(2)}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1));

async function main(): Promise<void> {
  const server = await startTestServer({ seed: 3, ...PLANTING_SOLVER });
  try {
    const cases: (PlantedChain & { problem: string; seed: number })[] = [];
    for (const problem of sampleProblems()) {
      for (const seed of SEEDS) {
        const [w] = await plantedChains(server, problem, seed);
        if (w) cases.push({ ...w, problem: problem.unique_id, seed });
      }
    }
    console.log(`Critical-token search on ${cases.length} chains that end wrong after a planted wrong step (default options, budget ${DEFAULT_CRITICAL_OPTIONS.budget.maxRequests} rollouts)\n`);

    const rows: Row[] = [];
    for (const w of cases) {
      const { result, wallMs } = await search(server, w);
      const tokens = w.chain.reduce((n, s) => n + (s.tokens?.length ?? 0), 0);
      const candidates = triage(w.chain, DEFAULT_CRITICAL_OPTIONS);
      const row: Row = {
        problem: w.problem, seed: w.seed, steps: w.chain.length, tokens, candidates: candidates.length, probed: result.ranking.length,
        rollouts: result.rollouts, completionTokens: result.completionTokens, wallMs, plantedRank: rankOf(result.ranking, w),
        ...(result.stoppedBy && { stoppedBy: result.stoppedBy }),
        baselinePerToken: BASELINE_ROLLOUTS * (tokens + 1),
        baselineEveryCandidate: BASELINE_ROLLOUTS * candidates.reduce((n, c) => n + 1 + c.alternatives.length, 0),
      };
      rows.push(row);
      console.log(`${w.problem.padEnd(40)} seed ${String(w.seed).padStart(2)}  ${String(tokens).padStart(4)} tokens  ${String(row.rollouts).padStart(3)} rollouts (baseline ${String(row.baselinePerToken).padStart(5)})  planted rank ${row.plantedRank ?? '-'}  ${wallMs} ms`);
    }

    // The baselines in full on the shortest chains, without triage, early stops or a budget: cDPO's
    // 64 rollouts per token, and our own definition with 64 rollouts for the original and each
    // alternative at every candidate position.
    const exhaustive = [];
    const tokensOf = (w: PlantedChain) => w.chain.reduce((n, s) => n + (s.tokens?.length ?? 0), 0);
    const top3 = (r: readonly { id: string; index: number }[]) => r.slice(0, 3).map((p) => `${p.id}#${p.index}`);
    for (const w of [...cases].sort((a, b) => tokensOf(a) - tokensOf(b)).slice(0, EXHAUSTIVE_CHAINS)) {
      const triaged = await search(server, w);
      const perToken = await perTokenBaseline(server, w);
      const everyCandidate = await search(server, w, {
        positions: Number.MAX_SAFE_INTEGER, batch: BASELINE_ROLLOUTS, maxRolloutsPerToken: BASELINE_ROLLOUTS, tolerance: 0, budget: { maxRequests: Number.POSITIVE_INFINITY },
      });
      const shared = (r: readonly { id: string; index: number }[]) => top3(triaged.result.ranking).filter((k) => top3(r).includes(k)).length;
      const entry = {
        problem: w.problem, seed: w.seed, tokens: tokensOf(w), planted: `${w.planted.id}#0`,
        triaged: { rollouts: triaged.result.rollouts, wallMs: triaged.wallMs, plantedRank: rankOf(triaged.result.ranking, w), top: triaged.result.ranking.slice(0, 5).map(label) },
        perToken: {
          rollouts: perToken.rollouts, wallMs: perToken.wallMs, plantedRank: rankOf(perToken.ranking, w), sharedTop3: shared(perToken.ranking),
          top: perToken.ranking.slice(0, 5).map((p) => `${p.id}#${p.index} ${JSON.stringify(p.token)} ${p.change.toFixed(2)}`),
        },
        everyCandidate: {
          rollouts: everyCandidate.result.rollouts, positions: everyCandidate.result.ranking.length, wallMs: everyCandidate.wallMs, plantedRank: rankOf(everyCandidate.result.ranking, w), sharedTop3: shared(everyCandidate.result.ranking),
          top: everyCandidate.result.ranking.slice(0, 5).map(label),
        },
      };
      exhaustive.push(entry);
      console.log(`in full on ${w.problem} seed ${w.seed} (${entry.tokens} tokens), planted token's rank and rollouts: triaged ${entry.triaged.plantedRank} with ${entry.triaged.rollouts}; 64 per token ${entry.perToken.plantedRank} with ${entry.perToken.rollouts} (top 3 shared ${entry.perToken.sharedTop3}/3); every candidate position ${entry.everyCandidate.plantedRank} with ${entry.everyCandidate.rollouts} (shared ${entry.everyCandidate.sharedTop3}/3)`);
    }

    const ranks = rows.map((r) => r.plantedRank ?? Number.POSITIVE_INFINITY);
    const summary = {
      chains: rows.length,
      plantedInTop3: rows.filter((r) => (r.plantedRank ?? Infinity) <= 3).length,
      plantedFirst: ranks.filter((r) => r === 1).length,
      rollouts: { mean: mean(rows.map((r) => r.rollouts)), median: median(rows.map((r) => r.rollouts)), max: Math.max(...rows.map((r) => r.rollouts)) },
      baselinePerToken: { mean: mean(rows.map((r) => r.baselinePerToken)), median: median(rows.map((r) => r.baselinePerToken)) },
      baselineEveryCandidate: { mean: mean(rows.map((r) => r.baselineEveryCandidate)), median: median(rows.map((r) => r.baselineEveryCandidate)) },
      /** Baseline rollouts per rollout the search used, per chain. */
      savingPerToken: { median: Number(median(rows.map((r) => r.baselinePerToken / r.rollouts)).toFixed(1)) },
      savingEveryCandidate: { median: Number(median(rows.map((r) => r.baselineEveryCandidate / r.rollouts)).toFixed(1)) },
      wallMs: { median: median(rows.map((r) => r.wallMs)), max: Math.max(...rows.map((r) => r.wallMs)) },
    };
    console.log(`\nplanted token in the top 3: ${summary.plantedInTop3}/${summary.chains} (first: ${summary.plantedFirst}); rollouts median ${summary.rollouts.median} vs baseline median ${summary.baselinePerToken.median} (64 per token) / ${summary.baselineEveryCandidate.median} (64 per token and alternative at every candidate position)`);

    const out = path.join('bench', 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'critical.json'), JSON.stringify({
      date: new Date().toISOString(), node: process.version, solver: PLANTING_SOLVER, options: DEFAULT_CRITICAL_OPTIONS, baselineRolloutsPerToken: BASELINE_ROLLOUTS,
      summary, exhaustive, rows,
    }, null, 2) + '\n');
    console.log(`wrote ${out}/critical.json`);
  } finally {
    await server.close();
  }
}

void main();
