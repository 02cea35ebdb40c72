/** Everything before the first token: check the server and the model, gate logprobs on the
 * server version, then open the run file. Failing here leaves no empty run file behind. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelBackend } from '../model/types';
import { RunRecorder } from '../trace/recorder';
import { RunWriter } from '../trace/runFile';
import type { ProblemRef } from '../trace/schema';
import { REASONSCOPE_VERSION } from '../version';
import { solveHeader, type SolveParams } from './solve';

export interface SolveJob {
  backend: ModelBackend;
  model: string;
  problem: ProblemRef;
  params: SolveParams;
  /** Where to write the run; omit for an in-memory run. */
  outFile?: string;
}

export interface PreparedSolve {
  recorder: RunRecorder;
  params: SolveParams;
  /** Said once to the user, and recorded in the run as warnings. */
  notices: string[];
}

export async function prepareSolve(job: SolveJob, signal?: AbortSignal): Promise<PreparedSolve> {
  const info = await job.backend.serverInfo(signal);
  await job.backend.showModel(job.model, signal); // throws model-not-found with the fix in its message
  const notices: string[] = [];
  let params = job.params;
  if (params.logprobs && !info.logprobs.supported) {
    notices.push(`Token logprobs are off: ${info.logprobs.reason}. The run continues without token analysis.`);
    params = { ...params, logprobs: false };
  }
  const header = solveHeader({
    runId: newRunId(),
    problem: job.problem,
    backend: job.backend,
    model: job.model,
    version: info.version,
    params,
    reasonscopeVersion: REASONSCOPE_VERSION,
  });
  let writer: RunWriter | undefined;
  if (job.outFile) {
    fs.mkdirSync(path.dirname(job.outFile), { recursive: true });
    writer = RunWriter.create(job.outFile, header);
  }
  const recorder = new RunRecorder(header, writer);
  for (const message of notices) recorder.emit({ type: 'warning', t: 0, message });
  return { recorder, params, notices };
}

export function newRunId(now = new Date()): string {
  return `${stamp(now)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** `<stem>-<strategy>-<YYYYMMDD-HHMMSS>.run.jsonl`, the default run file name. */
export function defaultRunFileName(problemStem: string, strategy: string, now = new Date()): string {
  const stem = problemStem.replace(/\.problem$/, '').replace(/[^\w.-]+/g, '-').slice(0, 60) || 'problem';
  return `${stem}-${strategy}-${stamp(now)}.run.jsonl`;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
