/** Everything before the first token: check the server and the model, gate logprobs on the
 * server version, then open the run file. Failing here leaves no empty run file behind. Also the
 * way back into a stopped run: `resumeRun` reopens its log and appends to it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelBackend } from '../model/types';
import type { Scorer } from '../reward/types';
import type { ParsedRun } from '../trace/parse';
import { readRunFile, RunWriter } from '../trace/runFile';
import { RunRecorder } from '../trace/recorder';
import type { ProblemRef, RunHeader } from '../trace/schema';
import { REASONSCOPE_VERSION } from '../version';
import { runHeader, type RunSpec } from './run';
import { resolveParams } from './strategy';
import { strategyNamed } from './strategies';

export interface RunJob {
  backend: ModelBackend;
  problem: ProblemRef;
  spec: RunSpec;
  /** Where to write the run; omit for an in-memory run. */
  outFile?: string;
}

export interface PreparedRun {
  recorder: RunRecorder;
  spec: RunSpec;
  /** Said once to the user, and recorded in the run as warnings. */
  notices: string[];
}

export async function prepareRun(job: RunJob, signal?: AbortSignal): Promise<PreparedRun> {
  const spec = await checkServer(job.backend, job.spec, signal);
  const header = runHeader({
    runId: newRunId(),
    problem: job.problem,
    backend: job.backend,
    version: spec.version,
    spec: spec.spec,
    reasonscopeVersion: REASONSCOPE_VERSION,
  });
  let writer: RunWriter | undefined;
  if (job.outFile) {
    fs.mkdirSync(path.dirname(job.outFile), { recursive: true });
    writer = RunWriter.create(job.outFile, header);
  }
  const recorder = new RunRecorder(header, writer);
  for (const message of spec.notices) recorder.emit({ type: 'warning', t: 0, message });
  return { recorder, spec: spec.spec, notices: spec.notices };
}

export interface ResumeOptions {
  backend: ModelBackend;
  /** The scorer named in the run's header, rebuilt by the caller (it may need a model server). */
  scorer?: Scorer;
  /** Overrides the concurrency the run was started with (a different server may have more slots). */
  concurrency?: number;
}

/** Reopens a run file to continue it: what it logged is replayed, nodes already generated are not
 * generated again, and new events are appended. A torn last line (a crash mid-write) is cut off
 * first so the file stays valid JSONL. */
export async function resumeRun(file: string, opts: ResumeOptions, signal?: AbortSignal): Promise<PreparedRun> {
  const run = await readRunFile(file);
  if (run.header.importedFrom) throw new Error(`${path.basename(file)} was imported from another format and is read-only`);
  const strategy = strategyNamed(run.header.strategy.name);
  const { concurrency, ...params } = run.header.strategy.params;
  const saved: RunSpec = {
    strategy: strategy.name,
    params: resolveParams(strategy, params),
    generation: generationOf(run.header),
    concurrency: opts.concurrency ?? (typeof concurrency === 'number' ? concurrency : 1),
    ...(run.header.budget && { budget: run.header.budget }),
    ...(opts.scorer && { scorer: opts.scorer }),
  };
  if (run.header.scorer && opts.scorer?.name !== run.header.scorer.name) {
    throw new Error(`this run was scored by ${run.header.scorer.name}; resume it with the same scorer`);
  }
  const checked = await checkServer(opts.backend, saved, signal);
  if (run.tornTail) await cutTornTail(file);
  const recorder = RunRecorder.resume(run.header, run.events, RunWriter.append(file));
  recorder.emit({ type: 'run_resumed', t: recorder.now() });
  for (const message of checked.notices) recorder.emit({ type: 'warning', t: recorder.now(), message });
  return { recorder, spec: checked.spec, notices: checked.notices };
}

/** The generation settings a run was started with, from its header (resume and branches draw alike). */
export function generationOf(header: RunHeader): RunSpec['generation'] {
  const { seed, ...sampling } = header.backend.options;
  if (seed === undefined) throw new Error('this run has no seed in its header, so it cannot be resumed exactly');
  return {
    model: header.backend.model,
    sampling: { ...sampling, seed },
    logprobs: header.backend.logprobs,
    topLogprobs: header.backend.topLogprobs ?? 5,
  };
}

/** The server is up, has the model, and can give logprobs (else they are turned off, with a notice). */
export async function checkServer(backend: ModelBackend, spec: RunSpec, signal?: AbortSignal): Promise<{ spec: RunSpec; notices: string[]; version?: string }> {
  const info = await backend.serverInfo(signal);
  await backend.showModel(spec.generation.model, signal); // throws model-not-found with the fix in its message
  const notices: string[] = [];
  if (spec.generation.logprobs && !info.logprobs.supported) {
    notices.push(`Token logprobs are off: ${info.logprobs.reason}. The run continues without token analysis.`);
    spec = { ...spec, generation: { ...spec.generation, logprobs: false } };
  }
  const slots = await backend.parallelSlots?.(signal);
  if (slots !== undefined && spec.concurrency > slots) {
    notices.push(`The server generates ${slots} request${slots === 1 ? '' : 's'} at once; running ${slots} at a time instead of ${spec.concurrency} (more would only queue there).`);
    spec = { ...spec, concurrency: slots };
  }
  if (spec.scorer?.needsLogprobs && !spec.generation.logprobs) {
    throw new Error(`the ${spec.scorer.name} scorer reads token logprobs, which this run does not have (${info.logprobs.supported ? 'they are turned off' : info.logprobs.reason}); choose another scorer`);
  }
  return { spec, notices, version: info.version };
}

/** Cuts a torn last line (a crash mid-write) off a run file, so appending keeps it valid JSONL. */
/** A finished run reopened to add to it (branches, analyses): refused when it was imported (read-only)
 * or has not ended — a run still writing it would interleave lines with ours; a line torn by a crash
 * after it ended is cut first. `purpose` completes "… before <purpose>" in the errors. */
export async function reopenEndedRun(file: string, purpose: string): Promise<{ run: ParsedRun; recorder: RunRecorder }> {
  const name = path.basename(file);
  const run = await readRunFile(file);
  if (run.header.importedFrom) throw new Error(`${name} was imported from another format and is read-only; \`reasonscope import\` it into a run file first`);
  const last = [...run.events].reverse().find((e) => e.type === 'run_ended' || e.type === 'run_resumed');
  if (last?.type !== 'run_ended') throw new Error(`${name} has not ended (it is still running, or stopped without finishing): resume it or let it end before ${purpose}`);
  if (run.tornTail) await cutTornTail(file);
  return { run, recorder: RunRecorder.resume(run.header, run.events, RunWriter.append(file)) };
}

export async function cutTornTail(file: string): Promise<void> {
  const text = await fs.promises.readFile(file, 'utf8');
  await fs.promises.truncate(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
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
