/** Opt-in checks against a real Ollama (≥ 0.12.11): set REASONSCOPE_OLLAMA_HOST, and optionally
 * REASONSCOPE_OLLAMA_MODEL (default qwen2.5:1.5b, which must be pulled). Skipped otherwise. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { BackendError } from '../../src/core/model/errors';
import { OllamaBackend } from '../../src/core/model/ollama';
import { prepareScorer } from '../../src/core/reward';
import { buildSpec, executeRun } from '../../src/core/search/run';
import { prepareRun } from '../../src/core/search/startRun';
import { readRunFile } from '../../src/core/trace/runFile';
import { answerGroups, replay } from '../../src/core/trace/tree';
import { problemText, tempDir } from '../support/helpers';

const host = process.env.REASONSCOPE_OLLAMA_HOST;
const model = process.env.REASONSCOPE_OLLAMA_MODEL ?? 'qwen2.5:1.5b';
const skip = host ? false : 'set REASONSCOPE_OLLAMA_HOST (e.g. http://127.0.0.1:11434) to run against a real Ollama';

describe('real Ollama', { skip }, () => {
  const backend = new OllamaBackend(host ?? '');

  test('version gate and model list', async () => {
    const info = await backend.serverInfo();
    assert.equal(info.logprobs.supported, true, info.logprobs.reason);
    assert.ok((await backend.listModels()).some((m) => m.name === model), `pull ${model} first`);
  });

  test('streams a prefix continuation with token logprobs and top alternatives', async () => {
    let text = '';
    let tokens = 0;
    let top = 0;
    let done = false;
    for await (const chunk of backend.generate({
      model,
      messages: [{ role: 'user', content: 'Count from 1 to 10, separated by commas.' }],
      prefix: '1, 2, 3,',
      options: { temperature: 0, seed: 1, maxTokens: 24 },
      logprobs: true,
      topLogprobs: 3,
    })) {
      if (chunk.kind === 'delta') {
        text += chunk.text;
        tokens += chunk.tokens?.length ?? 0;
        top += chunk.tokens?.filter((t) => (t.top?.length ?? 0) > 0).length ?? 0;
      } else done = true;
    }
    assert.ok(done);
    assert.match(text, /4/);
    assert.ok(!text.trimStart().startsWith('1,'), `continues the prefix: ${JSON.stringify(text)}`);
    assert.ok(tokens > 0 && top > 0);
  });

  test('a missing model is reported as such', async () => {
    await assert.rejects(backend.showModel('reasonscope-no-such-model:1b'), (e: BackendError) => e.code === 'model-not-found');
  });

  test('majority of 2 on a MATH-500 problem writes a replayable run', async () => {
    const outFile = path.join(tempDir(), 'real.run.jsonl');
    const prepared = await prepareRun({
      backend, outFile, problem: { text: problemText(), answer: '\\frac{14}{3}' },
      spec: buildSpec({ strategy: 'majority', params: { n: 2 }, model, sampling: { temperature: 0.7, seed: 1, maxTokens: 1024 }, concurrency: 2, logprobs: true, topLogprobs: 3 }),
    });
    const ended = await executeRun(backend, prepared.recorder, prepared.spec).finally(() => prepared.recorder.close());
    assert.equal(ended.status, 'completed');
    const run = await readRunFile(outFile);
    const tree = replay(run.header, run.events);
    assert.equal(answerGroups(tree).reduce((s, g) => s + g.votes, 0), 2);
  });

  test('a small beam search scored by the judge (the same model) records judge scores and selects a completed beam', async () => {
    const outFile = path.join(tempDir(), 'real-beam.run.jsonl');
    const scorer = await prepareScorer('judge', { backend, model });
    const prepared = await prepareRun({
      backend, outFile, problem: { text: problemText(), answer: '\\frac{14}{3}' },
      spec: buildSpec({ strategy: 'beam', params: { n: 2, beamWidth: 2, maxIterations: 6, lookahead: 0 }, model, sampling: { seed: 1, maxTokens: 256 }, concurrency: 2, logprobs: true, topLogprobs: 3, scorer }),
    });
    const ended = await executeRun(backend, prepared.recorder, prepared.spec).finally(() => prepared.recorder.close());
    assert.equal(ended.status, 'completed', ended.error);
    const run = await readRunFile(outFile);
    const scores = run.events.filter((e) => e.type === 'step_scored');
    assert.ok(scores.length > 0 && scores.every((e) => e.scorer === `judge:${model}` && e.score >= 0 && e.score <= 1));
    assert.ok(ended.result?.selected, 'a completed beam is selected');
  });
});

