/** MATH-500-style JSONL problem sets (`problem`, `answer`, `solution`, `subject`, `level`,
 * `unique_id` per line) and conversion to and from `*.problem.md` files. */
import { stringify } from 'yaml';
import type { Problem } from './problem';

export interface DatasetRecord {
  problem: string;
  answer?: string;
  solution?: string;
  subject?: string;
  level?: number;
  unique_id?: string;
  tags?: string[];
  source?: string;
}

export interface ParsedDataset {
  records: { line: number; record: DatasetRecord }[];
  /** Lines that are not usable records, each with its line number and why. */
  problems: string[];
}

/** Reads a JSONL problem set; bad lines are reported and skipped, the rest are kept. */
export function parseDataset(text: string): ParsedDataset {
  const records: ParsedDataset['records'] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push(`line ${line}: not JSON`);
      return;
    }
    const r = value as Record<string, unknown>;
    // MATH-500 says `problem`; several public sets say `question`.
    const statement = r?.problem ?? r?.question;
    if (typeof statement !== 'string' || !statement.trim()) {
      problems.push(`line ${line}: no \`problem\` (or \`question\`) text`);
      return;
    }
    const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
    const level = r.level === undefined ? undefined : Number(String(r.level).replace(/^Level\s*/i, ''));
    records.push({
      line,
      record: {
        problem: statement,
        answer: str(r.answer ?? r.gt ?? r.gt_answer),
        solution: str(r.solution),
        subject: str(r.subject ?? r.type),
        level: level !== undefined && Number.isFinite(level) ? level : undefined,
        unique_id: str(r.unique_id ?? r.id ?? r.idx),
        tags: Array.isArray(r.tags) ? r.tags.map(String) : undefined,
        source: str(r.source),
      },
    });
  });
  return { records, problems };
}

export function recordToProblem(record: DatasetRecord, source?: string): Problem {
  return {
    id: record.unique_id,
    answer: record.answer,
    level: record.level,
    subject: record.subject,
    source: record.source ?? source,
    tags: record.tags,
    text: record.problem.trim(),
  };
}

export function problemToRecord(problem: Problem): DatasetRecord {
  const record: DatasetRecord = { problem: problem.text };
  if (problem.answer !== undefined) record.answer = problem.answer;
  if (problem.subject !== undefined) record.subject = problem.subject;
  if (problem.level !== undefined) record.level = problem.level;
  if (problem.id !== undefined) record.unique_id = problem.id;
  if (problem.tags?.length) record.tags = problem.tags;
  if (problem.source !== undefined) record.source = problem.source;
  return record;
}

/** Writes a problem as a `*.problem.md` document (front matter only for the keys it has). */
export function formatProblemFile(problem: Problem): string {
  const meta: Record<string, unknown> = {};
  for (const key of ['id', 'answer', 'level', 'subject', 'source', 'tags'] as const) {
    const value = problem[key];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) meta[key] = value;
  }
  const front = Object.keys(meta).length ? `---\n${stringify(meta, { lineWidth: 0 })}---\n\n` : '';
  return `${front}${problem.text.trim()}\n`;
}

/** A file name for a problem: its id made path-safe ("test/algebra/2584.json" -> "algebra-2584"). */
export function problemFileName(problem: Problem, index: number): string {
  return `${problemSlug(problem.id) || `problem-${index + 1}`}.problem.md`;
}

/** An id made path-safe ("test/algebra/2584.json" -> "algebra-2584"); empty when nothing of it is. */
export function problemSlug(id: string | undefined): string {
  return (id ?? '')
    .replace(/^test\//, '')
    .replace(/\.json$/, '')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
