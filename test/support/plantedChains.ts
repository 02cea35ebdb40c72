/** Chains on the test server that end wrong after the solver's planted wrong step, whose first token
 * is the decision a critical-token search should find. Shared by the analysis tests and benchmark. */
import { OllamaBackend } from '../../src/core/model/ollama';
import { buildSpec, executeRun } from '../../src/core/search/run';
import { prepareRun } from '../../src/core/search/startRun';
import type { RunRecorder } from '../../src/core/trace/recorder';
import { pathTo, type TreeNode } from '../../src/core/trace/tree';
import { sampleProblems } from './helpers';
import type { TestServer } from './ollamaServer';
import { stepTruths, type SolverSettings } from './solver';

/** Solver settings that make wrong chains common; start the server with them. */
export const PLANTING_SOLVER: SolverSettings = { errorRate: 0.5, selfCorrectionRate: 0.35 };

export interface PlantedChain {
  /** The run the chain was sampled in (in memory); analyses write their events to it. */
  recorder: RunRecorder;
  /** The chain's steps from the first. */
  chain: TreeNode[];
  /** The step the solver wrote wrong on purpose. */
  planted: TreeNode;
}

/** Samples `n` chains for a problem and returns those that end wrong after a planted wrong step.
 * Leaving out `answer` samples the run without a gold answer. */
export async function plantedChains(server: TestServer, problem: { problem: string; answer?: string }, seed: number, n = 6): Promise<PlantedChain[]> {
  const backend = new OllamaBackend(server.url);
  const spec = buildSpec({ strategy: 'majority', params: { n }, model: 'qwen2.5:1.5b', sampling: { temperature: 0.8, seed, maxTokens: 1024 }, concurrency: 2, logprobs: true, topLogprobs: 5 });
  const { recorder } = await prepareRun({ backend, problem: { text: problem.problem, ...(problem.answer && { answer: problem.answer }) }, spec });
  await executeRun(backend, recorder, spec);
  const found: PlantedChain[] = [];
  for (const leaf of recorder.tree.nodes.values()) {
    if (leaf.kind !== 'answer') continue;
    const chain = pathTo(recorder.tree, leaf.id).filter((node) => node.kind === 'step');
    // The solver's own account of its steps, which holds whether or not the run knows the gold answer.
    const truths = stepTruths(problem.problem, chain.map((s) => s.text), PLANTING_SOLVER);
    const wrong = truths.indexOf(false);
    if (truths.at(-1) === false && wrong < chain.length - 1) found.push({ recorder, chain, planted: chain[wrong] });
  }
  return found;
}

/** The first wrong chain of each of the first four fixture problems at two seeds: the cases the
 * critical-token and step-importance checks run on. */
export async function plantedCases(server: TestServer): Promise<PlantedChain[]> {
  const cases: PlantedChain[] = [];
  for (const problem of sampleProblems().slice(0, 4)) {
    for (const seed of [7, 21]) cases.push(...(await plantedChains(server, problem, seed)).slice(0, 1));
  }
  return cases;
}
