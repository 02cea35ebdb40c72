/** `reasonscope grade`: is each predicted answer the gold one? One JSONL verdict per pair, a summary on stderr. */
import * as fs from 'node:fs';
import { extractAnswer, type ExtractionRule } from '../core/answer/extract';
import { DEFAULT_TIME_LIMIT_MS, gradeAnswer } from '../core/answer/grade';
import { numberFlag, parse, UsageError } from './args';

export interface GradePair { line: number; pred: string; gold: string; expected?: boolean }
export type PairsOrErrors = { pairs: GradePair[]; errors: string[] };
export interface PairOptions { extract: boolean; lastNumber: boolean; timeLimitMs: number }

export interface Graded {
  line: number;
  pred: string;
  gold: string;
  equal: boolean;
  reason: string;
  expected?: boolean;
  predRule?: ExtractionRule | null;
  goldRule?: ExtractionRule | null;
}

export function gradeCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, {
    pred: { type: 'string' },
    gold: { type: 'string' },
    extract: { type: 'boolean' },
    'last-number': { type: 'boolean' },
    format: { type: 'string' },
    'time-limit': { type: 'string' },
  });
  const timeLimitMs = numberFlag(values['time-limit'], 'time-limit', { min: 1 }) ?? DEFAULT_TIME_LIMIT_MS;
  const format = values.format;
  if (format !== undefined && format !== 'tsv' && format !== 'jsonl') throw new UsageError(`--format must be "tsv" or "jsonl", got "${format}"`);
  const { pairs, errors } = loadPairs(positionals, values.pred, values.gold, format);

  const started = performance.now();
  const graded: Graded[] = [];
  for (const pair of pairs) {
    const row = gradePair(pair, { extract: values.extract === true, lastNumber: values['last-number'] === true, timeLimitMs });
    graded.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
  for (const error of errors) process.stderr.write(`${error}\n`);
  process.stderr.write(`${summary(graded, errors.length, performance.now() - started)}\n`);
  return errors.length ? 1 : 0;
}

/** One pair's verdict; with `extract`, on the answers pulled out of both texts (each left whole when no rule fires). */
export function gradePair(pair: GradePair, opts: PairOptions): Graded {
  let pred = pair.pred;
  let gold = pair.gold;
  const extraction: Partial<Graded> = {};
  if (opts.extract) {
    // Without a rule that fires, the text itself is the answer (a bare gold answer such as `\frac{14}{3}`).
    const p = extractAnswer(pred, { lastNumberFallback: opts.lastNumber });
    const g = extractAnswer(gold);
    pred = p?.answer ?? pred;
    gold = g?.answer ?? gold;
    extraction.predRule = p?.rule ?? null;
    extraction.goldRule = g?.rule ?? null;
  }
  const verdict = gradeAnswer(pred, gold, { timeLimitMs: opts.timeLimitMs });
  return { line: pair.line, pred, gold, ...verdict, ...(pair.expected !== undefined && { expected: pair.expected }), ...extraction };
}

function loadPairs(positionals: string[], pred: string | undefined, gold: string | undefined, format: string | undefined): PairsOrErrors {
  if (pred !== undefined || gold !== undefined) {
    if (pred === undefined || gold === undefined) throw new UsageError('give both --pred and --gold');
    if (positionals.length) throw new UsageError('give either --pred/--gold or a file of pairs, not both');
    return { pairs: [{ line: 1, pred, gold }], errors: [] };
  }
  if (positionals.length !== 1) throw new UsageError('grade takes --pred "…" --gold "…", or one file of pairs (TSV or JSONL; - for stdin)');
  const file = positionals[0];
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const jsonl = format ? format === 'jsonl' : /\.jsonl?$/i.test(file) || /^\s*\{/.test(text.split('\n').find((l) => l.trim() && !l.startsWith('#')) ?? '');
  return parsePairs(text, jsonl ? 'jsonl' : 'tsv');
}

/**
 * Pairs from TSV (`pred<TAB>gold[<TAB>expected]`, further columns ignored, `#` comments) or JSONL
 * (`pred`, `gold`, optional `expected`). A bad line is a located error; the others are still read.
 */
export function parsePairs(text: string, format: 'tsv' | 'jsonl'): PairsOrErrors {
  const pairs: GradePair[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim() || (format === 'tsv' && raw.startsWith('#'))) return;
    const pair = format === 'tsv' ? tsvPair(raw, line) : jsonlPair(raw, line);
    if (typeof pair === 'string') errors.push(`line ${line}: ${pair}`);
    else pairs.push(pair);
  });
  return { pairs, errors };
}

function tsvPair(raw: string, line: number): GradePair | string {
  const cells = raw.split('\t');
  if (cells.length < 2) return 'expected pred<TAB>gold[<TAB>expected]';
  const expected = cells.length > 2 ? label(cells[2].trim()) : undefined;
  if (expected === null) return `expected label must be 1/0 or true/false, got "${cells[2]}"`;
  return { line, pred: cells[0], gold: cells[1], ...(expected !== undefined && { expected }) };
}

function jsonlPair(raw: string, line: number): GradePair | string {
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch {
    return 'not JSON';
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) return 'not a JSON object';
  const { pred, gold, expected } = record as Record<string, unknown>;
  for (const [name, value] of [['pred', pred], ['gold', gold]] as const) {
    if (value === undefined) return `no \`${name}\` field`;
    if (typeof value !== 'string' && typeof value !== 'number') return `\`${name}\` is not a string`;
  }
  const expectedEqual = expected === undefined ? undefined : expected === true || expected === 1 ? true : expected === false || expected === 0 ? false : null;
  if (expectedEqual === null) return '`expected` must be true/false or 1/0';
  return { line, pred: String(pred), gold: String(gold), ...(expectedEqual !== undefined && { expected: expectedEqual }) };
}

function label(cell: string): boolean | null | undefined {
  if (cell === '') return undefined;
  if (cell === '1' || cell.toLowerCase() === 'true') return true;
  if (cell === '0' || cell.toLowerCase() === 'false') return false;
  return null;
}

function summary(graded: Graded[], unreadable: number, ms: number): string {
  const equal = graded.filter((g) => g.equal).length;
  const lines = [`graded ${graded.length} pair${graded.length === 1 ? '' : 's'}: ${equal} equal, ${graded.length - equal} not equal${unreadable ? ` · ${unreadable} unreadable line${unreadable === 1 ? '' : 's'}` : ''} · ${Math.round(graded.length / Math.max(ms / 1000, 1e-6))} pairs/s`];
  const labelled = graded.filter((g) => g.expected !== undefined);
  if (labelled.length) {
    const wrong = labelled.filter((g) => g.expected !== g.equal);
    lines.push(`accuracy ${labelled.length - wrong.length}/${labelled.length} (${((100 * (labelled.length - wrong.length)) / labelled.length).toFixed(1)}%) against the expected labels`);
    for (const g of wrong) lines.push(`  line ${g.line}: expected ${g.expected ? 'equal' : 'not equal'}, graded ${g.equal ? 'equal' : 'not equal'} — ${g.pred.slice(0, 60)} | ${g.gold.slice(0, 60)} — ${g.reason}`);
  }
  return lines.join('\n');
}
