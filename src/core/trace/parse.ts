/** Parses run-file text. Browser-safe (no Node APIs), so the webview and tests share it. */
import { RUN_SCHEMA_VERSION, type RunEvent, type RunHeader } from './schema';

export class RunFileError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'RunFileError';
  }
}

export interface ParsedRun {
  header: RunHeader;
  events: RunEvent[];
  /** True when the last line was cut off mid-write (a crash); it is dropped, nothing else is lost. */
  tornTail: boolean;
}

const EVENT_TYPES = new Set([
  'node_added', 'step_scored', 'step_labeled', 'node_pruned', 'node_selected',
  'answer_extracted', 'sample_failed', 'warning', 'mcts_backup', 'run_resumed', 'run_ended',
  'token_probed', 'self_correction', 'answer_probed', 'step_importance',
]);

export function parseHeader(line: string): RunHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new RunFileError('the first line is not JSON; a run file starts with a header line', 1);
  }
  const h = value as Partial<RunHeader>;
  if (h?.type !== 'header') throw new RunFileError('the first line is not a run header (type "header")', 1);
  if (h.schema !== RUN_SCHEMA_VERSION) {
    throw new RunFileError(`unsupported run schema ${String(h.schema)}; this version reads schema ${RUN_SCHEMA_VERSION}`, 1);
  }
  if (!h.problem || typeof h.problem.text !== 'string' || !h.backend || !h.strategy) {
    throw new RunFileError('the header lacks problem, backend or strategy', 1);
  }
  return h as RunHeader;
}

export function parseEvent(line: string, lineNo: number): RunEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new RunFileError('not valid JSON', lineNo);
  }
  const type = (value as { type?: unknown })?.type;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
    throw new RunFileError(`unknown event type ${JSON.stringify(type)}`, lineNo);
  }
  return value as RunEvent;
}

export function parseRunText(text: string): ParsedRun {
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  // A file written by RunWriter ends every line with \n; a last line without one may be torn.
  const last = complete ? lines.length - 1 : lines.length;
  if (last === 0 || lines[0].trim() === '') throw new RunFileError('the file is empty; it is not a run file');
  const header = parseHeader(lines[0]);
  const events: RunEvent[] = [];
  let tornTail = false;
  for (let i = 1; i < last; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const isTail = i === last - 1 && !complete;
    try {
      events.push(parseEvent(line, i + 1));
    } catch (err) {
      if (isTail) tornTail = true;
      else throw err;
    }
  }
  return { header, events, tornTail };
}
