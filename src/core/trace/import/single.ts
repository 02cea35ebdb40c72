/** Sources with exactly one record: a plain-text or Markdown trace (paragraphs are steps), and a
 * Reasonscope run file (which needs no conversion). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRunText, RunFileError } from '../parse';
import { addResponse } from './response';
import { RunBuilder } from './runBuilder';
import { unixLines } from './steps';
import { ImportError, type ImportedRun, type RecordOrigin, type TraceSource } from './types';
import { oneLine } from './fields';

/** Whole-file formats are read into memory; past this a file is not a single trace. */
const MAX_TEXT_BYTES = 256 << 20;
/** "Problem:", "Question:" or a "# Problem" heading line opening the file introduces the problem. */
const PROBLEM_OPENING = /^\s*(?:#{1,6}[ \t]*(?:problem|question)\b[^\n]*\n|(?:problem|question)[ \t]*:)/i;
const BLANK_LINE = /\n[ \t]*\n/;

async function readText(file: string): Promise<string> {
  const { size } = await fs.promises.stat(file);
  if (size > MAX_TEXT_BYTES) throw new ImportError(`${path.basename(file)} is ${Math.round(size / 2 ** 20)} MiB, too big for one text trace`);
  return unixLines((await fs.promises.readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
}

type Entry = { label: string; load: () => ImportedRun } | { problem: string };

function oneRecord(file: string, format: TraceSource['format'], entry: Entry): TraceSource {
  const get = (k: number) => {
    if ('problem' in entry) throw new ImportError(entry.problem);
    if (k !== 0) throw new ImportError(`no record ${k}: ${path.basename(file)} holds one trace (record 0)`);
    return entry;
  };
  return {
    path: file,
    format,
    recordCount: 'problem' in entry ? 0 : 1,
    problems: 'problem' in entry ? [entry.problem] : [],
    label: async (k) => `0 · ${get(k).label}`,
    load: async (k) => get(k).load(),
    close: async () => undefined,
  };
}

/** The problem statement, when the text opens with one, and the trace after it. */
function splitProblem(text: string): { problem?: string; trace: string } {
  const opening = PROBLEM_OPENING.exec(text);
  if (!opening) return { trace: text };
  const rest = text.slice(opening[0].length);
  const end = rest.search(BLANK_LINE);
  return end < 0 ? { problem: rest.trim(), trace: '' } : { problem: rest.slice(0, end).trim(), trace: rest.slice(end) };
}

export async function textSource(file: string, origin: Omit<RecordOrigin, 'index'>): Promise<TraceSource> {
  const text = await readText(file);
  if (!text.trim()) return oneRecord(file, 'text', { problem: 'line 1: the file is empty' });
  const { problem, trace } = splitProblem(text);
  const load = () => {
    const run = new RunBuilder({ text: problem ?? `(no problem statement in ${origin.file})` });
    if (problem === undefined) run.warn('the file does not open with "Problem:", so it is all read as the trace');
    addResponse(run, 0, { text: trace });
    return run.finish({ ...origin, index: 0 });
  };
  return oneRecord(file, 'text', { label: [origin.file, problem === undefined ? undefined : oneLine(problem, 60)].filter(Boolean).join(' · '), load });
}

export async function runSource(file: string): Promise<TraceSource> {
  let run;
  try {
    run = parseRunText(await readText(file));
  } catch (err) {
    if (err instanceof ImportError) throw err;
    // Every RunFileError names its line except "the file is empty", which is about line 1.
    throw new ImportError(err instanceof RunFileError && err.line === undefined ? `line 1: ${err.message}` : (err as Error).message);
  }
  const { header, events, tornTail } = run;
  const n = header.strategy.params.n;
  const label = [header.backend.model, header.strategy.name + (typeof n === 'number' ? ` · n=${n}` : ''), oneLine(header.problem.text, 60)].join(' · ');
  const warnings = tornTail ? ['the last line was cut off mid-write (the run crashed or is still being written); it is left out'] : [];
  return oneRecord(file, 'run', { label, load: () => ({ header, events, warnings }) });
}
