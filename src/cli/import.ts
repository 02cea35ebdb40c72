/** `reasonscope import`: traces produced elsewhere (ProcessBench, PRM800K, R1-style chats,
 * thought-anchors folders, generic JSONL, text) into run files, one record or all of them. Records
 * that cannot be read are reported with where they are; the others are still written. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImportError, openTraceSource, TRACE_FORMATS, type ImportedRun, type TraceFormat, type TraceSource } from '../core/trace/import';
import { RunWriter } from '../core/trace/runFile';
import { replay } from '../core/trace/tree';
import { numberFlag, parse, UsageError } from './args';

export async function importCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, {
    format: { type: 'string', short: 'f' },
    list: { type: 'boolean' },
    record: { type: 'string', short: 'r' },
    all: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
  });
  if (positionals.length !== 1) throw new UsageError('import takes one trace file or folder');
  const format = values.format as TraceFormat | undefined;
  if (format !== undefined && !TRACE_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${TRACE_FORMATS.join(', ')}; got "${format}"`);
  if (values.list && (values.all || values.record !== undefined || values.out !== undefined)) throw new UsageError('--list only lists; it takes no --record, --all or --out');
  if (values.all && values.record !== undefined) throw new UsageError('give either --record N or --all');
  if (values.all && values.out === undefined) throw new UsageError('--all needs --out DIR, the folder for the run files');
  const record = numberFlag(values.record, 'record', { min: 0, integer: true }) ?? 0;

  const input = positionals[0];
  const name = path.basename(input);
  const source = await openTraceSource(input, { format, signal }).catch((err: unknown) => {
    throw err instanceof ImportError ? new Error(`${name}: ${err.message}`) : err;
  });
  try {
    for (const problem of source.problems) console.error(`${name}: ${problem}`);
    if (values.list) {
      await listRecords(source);
      return 0;
    }
    if (values.all) return await importAll(source, name, values.out as string, signal);
    if (source.recordCount === 0) throw new Error(`${name} has no readable records`);
    const run = await source.load(record).catch((err: unknown) => {
      throw err instanceof ImportError ? new Error(`${name}: ${err.message}`) : err;
    });
    const out = values.out ?? path.join('.reasonscope', 'runs', runFileName(input, record));
    save(run, out);
    for (const w of run.warnings) console.error(`warning: ${w}`);
    console.log(`${name} record ${record} (${source.format}) → ${out}: ${summary(run)}`);
    return 0;
  } finally {
    await source.close();
  }
}

/** One label line per record; stops quietly when the reader goes away (`… --list | head`). */
async function listRecords(source: TraceSource): Promise<void> {
  let readerGone = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    readerGone = true;
  });
  for (let i = 0; i < source.recordCount && !readerGone; i++) {
    console.log(await source.label(i).catch((err: Error) => `${i} · unreadable: ${err.message}`));
  }
}

async function importAll(source: TraceSource, name: string, dir: string, signal: AbortSignal): Promise<number> {
  fs.mkdirSync(dir, { recursive: true });
  let written = 0;
  let failed = 0;
  for (let i = 0; i < source.recordCount; i++) {
    signal.throwIfAborted();
    try {
      save(await source.load(i), path.join(dir, runFileName(source.path, i)));
      written++;
    } catch (err) {
      if (!(err instanceof ImportError) && !(err as NodeJS.ErrnoException).code) throw err;
      console.error(`${name}: ${(err as Error).message}`);
      failed++;
    }
  }
  const unread = failed + source.problems.length;
  console.log(`Imported ${written} of ${source.recordCount + source.problems.length} records of ${name} (${source.format}) into ${dir}`
    + (unread ? `; ${unread} could not be read (listed above)` : ''));
  return unread ? 1 : 0;
}

/** `<file stem>-<record>.run.jsonl`, e.g. `gsm8k-12.run.jsonl`. */
function runFileName(input: string, record: number): string {
  const stem = path.basename(input).replace(/(\.run)?\.[^.]*$/, '');
  return `${stem}-${record}.run.jsonl`;
}

function save(run: ImportedRun, out: string): void {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  let writer: RunWriter;
  try {
    writer = RunWriter.create(out, run.header);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw Object.assign(new Error(`${out} already exists; choose another --out`), { code: 'EEXIST' });
    throw err;
  }
  try {
    for (const event of run.events) writer.write(event);
  } finally {
    writer.close();
  }
}

/** One line on what the run holds: chains, steps, the first labelled error, the answer and its verdict. */
function summary(run: ImportedRun): string {
  const tree = replay(run.header, run.events);
  const nodes = [...tree.nodes.values()];
  const chains = new Set(nodes.filter((n) => n.sample !== undefined).map((n) => n.sample)).size;
  const steps = nodes.filter((n) => n.kind === 'step' && n.sample !== undefined).length;
  const firstError = nodes.find((n) => n.sample !== undefined && (n.label?.label === 'first-error' || n.label?.label === 'incorrect'));
  const answers = nodes.filter((n) => n.answer);
  const parts = [chains > 1 ? `${chains} chains, ${steps} steps` : `${steps} steps`];
  if (firstError) parts.push(`first error at step ${firstError.depth}`);
  if (answers.length === 1) {
    const { normalized, correct, correctFrom } = answers[0].answer ?? {};
    const verdict = correct === undefined ? '' : ` ${correct ? '✓' : '✗'}${correctFrom ? ` (${correctFrom})` : ''}`;
    parts.push(`${normalized === null ? 'no answer found' : `answer ${normalized}`}${verdict}`);
  } else if (answers.length > 1) {
    const result = tree.ended?.result;
    const right = answers.filter((n) => n.answer?.correct).length;
    parts.push(`majority answer ${result?.answer ?? 'none'} · ${right}/${answers.length} chains correct`);
  }
  if (run.warnings.length) parts.push(`${run.warnings.length} warning${run.warnings.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
