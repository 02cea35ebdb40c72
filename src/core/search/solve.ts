/** The `cot` and `majority` strategies: independent chains sampled from the problem, each cut into
 * steps as it streams, answers grouped by vote. Every change is an event on the recorder. */
import { AnswerBallot } from '../answer/ballot';
import { extractAnswer } from '../answer/extract';
import { BackendError, CancelledError, isCancelled } from '../model/errors';
import type { GenerateRequest, ModelBackend, SamplingOptions, StopReason } from '../model/types';
import type { RunRecorder } from '../trace/recorder';
import { storedTokens } from '../trace/tokens';
import { ROOT_ID, type RunEndedEvent, type RunHeader, type ProblemRef } from '../trace/schema';
import { runPool, sleep } from './pool';
import { solveMessages } from './prompt';
import { StepStream, type CutStep } from './stepStream';

export type SolveStrategy = 'cot' | 'majority';

export interface SolveParams {
  strategy: SolveStrategy;
  /** Number of chains (majority); `cot` always draws one. */
  n: number;
  sampling: SamplingOptions;
  /** Chains generated at once; keep it at or below the server's parallel slots. */
  concurrency: number;
  logprobs: boolean;
  topLogprobs: number;
  /** Retries of a chain after a transient error; a retry continues from the steps already written. */
  retries?: number;
}

export function solveHeader(args: {
  runId: string; problem: ProblemRef; backend: ModelBackend; model: string; version?: string; params: SolveParams; reasonscopeVersion: string;
}): RunHeader {
  const { params } = args;
  return {
    type: 'header',
    schema: 1,
    runId: args.runId,
    createdAt: new Date().toISOString(),
    problem: args.problem,
    backend: {
      kind: args.backend.kind,
      host: args.backend.host,
      model: args.model,
      version: args.version,
      logprobs: params.logprobs,
      options: { ...params.sampling, stop: undefined } as RunHeader['backend']['options'],
    },
    strategy: { name: params.strategy, params: { n: sampleCount(params), concurrency: params.concurrency } },
    versions: { reasonscope: args.reasonscopeVersion },
  };
}

function sampleCount(params: SolveParams): number {
  return params.strategy === 'cot' ? 1 : Math.max(1, Math.floor(params.n));
}

export async function runSolve(backend: ModelBackend, recorder: RunRecorder, params: SolveParams, signal?: AbortSignal): Promise<RunEndedEvent> {
  const { header } = recorder;
  const n = sampleCount(params);
  const totals = { promptTokens: 0, completionTokens: 0, requests: 0 };
  const errors: string[] = [];
  recorder.emit({ type: 'node_added', t: recorder.now(), id: ROOT_ID, parent: null, kind: 'root', text: header.problem.text });
  const ballot = new AnswerBallot(header.problem.answer);

  const sample = async (index: number) => {
    let parent = ROOT_ID;
    let step = 0;
    const written: string[] = [];
    let stream = new StepStream();
    let stepStarted = Date.now();
    const latency = () => {
      const now = Date.now();
      const ms = now - stepStarted;
      stepStarted = now;
      return ms;
    };
    const addStep = ({ text, tokens }: CutStep, stopReason?: StopReason) => {
      const id = `s${index}.${step++}`;
      recorder.emit({
        type: 'node_added', t: recorder.now(), id, parent, kind: 'step', text, sample: index,
        ...(tokens.length > 0 && { tokens: storedTokens(tokens), tokenCount: tokens.length }),
        ...(stopReason && { stopReason }),
        latencyMs: latency(),
      });
      parent = id;
      written.push(text);
    };
    for (let attempt = 0; ; attempt++) {
      const seed = params.sampling.seed === undefined ? undefined : params.sampling.seed + index + attempt * 1000;
      const request: GenerateRequest = {
        model: header.backend.model,
        messages: solveMessages(header.problem.text),
        prefix: written.length ? written.join('\n\n') + '\n\n' : undefined,
        options: { ...params.sampling, seed },
        logprobs: params.logprobs,
        topLogprobs: params.logprobs ? params.topLogprobs : undefined,
      };
      totals.requests++;
      try {
        for await (const chunk of backend.generate(request, signal)) {
          if (chunk.kind === 'delta') {
            for (const cut of stream.push(chunk.text, chunk.tokens)) addStep(cut);
          } else {
            totals.promptTokens += chunk.promptTokens ?? 0;
            totals.completionTokens += chunk.completionTokens ?? 0;
            const last = stream.flush();
            if (last) addStep(last, chunk.stopReason);
          }
        }
        break;
      } catch (err) {
        if (isCancelled(err) || signal?.aborted) {
          // Keep what the chain had written so far: a cancelled run loses nothing it received.
          const partial = stream.flush();
          if (partial) addStep(partial, 'cancelled');
          throw new CancelledError();
        }
        const error = err instanceof BackendError ? err : new BackendError('server-error', String(err));
        if (error.transient && attempt < (params.retries ?? 2)) {
          recorder.emit({ type: 'warning', t: recorder.now(), message: `chain ${index + 1}: ${error.message} Retrying from step ${written.length + 1}.` });
          stream = new StepStream(); // the partial step is regenerated from the last complete one
          await sleep(250 * 2 ** attempt, signal).catch(() => undefined);
          continue;
        }
        errors.push(error.message);
        recorder.emit({ type: 'sample_failed', t: recorder.now(), sample: index, ...(parent !== ROOT_ID && { id: parent }), message: error.message });
        return;
      }
    }
    if (parent === ROOT_ID) {
      recorder.emit({ type: 'sample_failed', t: recorder.now(), sample: index, message: 'the model returned an empty response' });
      return;
    }
    const found = extractAnswer(written.join('\n\n'));
    if (found === null) {
      recorder.emit({ type: 'answer_extracted', t: recorder.now(), id: parent, raw: null, normalized: null });
      return;
    }
    const id = `s${index}.answer`;
    recorder.emit({ type: 'node_added', t: recorder.now(), id, parent, kind: 'answer', text: found.answer, sample: index });
    recorder.emit({ type: 'answer_extracted', t: recorder.now(), id, raw: found.answer, rule: found.rule, ...ballot.cast(found.answer) });
  };

  let status: RunEndedEvent['status'] = 'completed';
  try {
    await runPool(n, params.concurrency, signal, sample);
    if (signal?.aborted) status = 'cancelled';
  } catch (err) {
    if (!isCancelled(err)) throw err;
    status = 'cancelled';
  }
  if (status === 'completed' && errors.length === n) status = 'failed';
  const ended: RunEndedEvent = {
    type: 'run_ended',
    t: recorder.now(),
    status,
    // Samples that had not started when the run was cancelled are simply absent.
    result: ballot.result(),
    totals: { ...totals, wallMs: recorder.now() },
    ...(status === 'failed' && { error: errors[0] }),
  };
  recorder.emit(ended);
  return ended;
}
