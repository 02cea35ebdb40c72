/** `reasonscope check`: the editor's problem checks over `*.problem.md` files and JSONL problem sets,
 * as `path:line:col: severity code: message` lines (or JSON) for CI and pre-commit hooks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { checkProblemDocument } from '../core/authoring/checks';
import { datasetFromPath, loadDuplicateIndex } from '../core/authoring/duplicates';
import { parseProblemDocument } from '../core/authoring/problemDocument';
import type { CheckOptions, DuplicateMatch, Finding, Severity } from '../core/authoring/types';
import { numberFlag, parse, UsageError } from './args';

const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];
const CHECKED = /\.problem\.md$|\.jsonl$/i;

interface Located {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  duplicate?: DuplicateMatch;
}

interface FileResult {
  path: string;
  kind: string;
  problems: number;
  findings: Located[];
}

export function checkCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, {
    json: { type: 'boolean' },
    'no-duplicates': { type: 'boolean' },
    duplicates: { type: 'string', multiple: true },
    threshold: { type: 'string' },
  });
  if (!positionals.length) throw new UsageError('check takes one or more *.problem.md files, JSONL problem sets or folders');
  const threshold = numberFlag(values.threshold, 'threshold', { min: 0 });
  if (threshold !== undefined && threshold > 1) throw new UsageError(`--threshold must be between 0 and 1, got "${values.threshold}"`);
  if (values['no-duplicates'] && values.duplicates?.length) throw new UsageError('give either --no-duplicates or --duplicates, not both');
  const files = positionals.flatMap(filesOf);

  const options: CheckOptions = { duplicateThreshold: threshold };
  const problems: string[] = [];
  if (!values['no-duplicates']) {
    const datasets = [{ name: 'MATH-500', path: math500Path() }, ...(values.duplicates ?? []).map(datasetFromPath)];
    const { index, errors } = loadDuplicateIndex(datasets);
    options.duplicates = index;
    problems.push(...errors);
  }

  const results: FileResult[] = [];
  const skipped: string[] = [];
  for (const { file, named } of files) {
    const result = checkFile(file, options);
    if (typeof result === 'string') problems.push(result);
    else if (result.kind === 'other') {
      // A folder holds trace and run JSONL files too; only a file the user named is worth a word.
      if (named) skipped.push(file);
    } else results.push(result);
  }

  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, results.reduce((n, r) => n + r.findings.filter((f) => f.severity === s).length, 0)])) as Record<Severity, number>;
  const problemCount = results.reduce((n, r) => n + r.problems, 0);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ files: results, skipped, errors: problems, summary: { files: results.length, problems: problemCount, ...counts } })}\n`);
  } else {
    for (const r of results) for (const f of r.findings) process.stdout.write(`${r.path}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${f.message}\n`);
    for (const file of skipped) process.stderr.write(`${file}: not a problem file or problem set; skipped\n`);
    for (const p of problems) process.stderr.write(`reasonscope check: ${p}\n`);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    process.stderr.write(`checked ${plural(results.length, 'file')} (${plural(problemCount, 'problem')}): ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info + counts.hint, 'note')}\n`);
  }
  // A dataset that could not be read means the contamination check did not fully run: not a pass.
  return counts.error || problems.length ? 1 : 0;
}

/** The named file, or the problem files and JSONL files under a folder (dot-folders and
 * node_modules left out), sorted for stable output. */
function filesOf(arg: string): { file: string; named: boolean }[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(arg);
  } catch {
    throw new UsageError(`cannot read ${arg}: no such file or folder`);
  }
  if (!stat.isDirectory()) return [{ file: arg, named: true }];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') walk(full);
      } else if (CHECKED.test(entry.name)) found.push(full);
    }
  };
  walk(arg);
  return found.sort().map((file) => ({ file, named: false }));
}

function checkFile(file: string, options: CheckOptions): FileResult | string {
  let text: string;
  try {
    // Run and trace JSONL files in a folder can be hundreds of megabytes: their first record tells them
    // from problem sets before the rest is read.
    if (/\.jsonl$/i.test(file) && parseProblemDocument(firstRecord(file), file).kind === 'other') return { path: file, kind: 'other', problems: 0, findings: [] };
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return `cannot read ${file}: ${(err as Error).message}`;
  }
  const doc = parseProblemDocument(text, file);
  if (doc.kind === 'other') return { path: file, kind: doc.kind, problems: 0, findings: [] };
  const position = positions(text);
  const findings = checkProblemDocument(doc, options).map((f: Finding): Located => {
    const start = position(f.span.start);
    const end = position(f.span.end);
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: f.severity, code: f.code, message: f.message, ...(f.duplicate && { duplicate: f.duplicate }) };
  });
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { path: file, kind: doc.kind, problems: doc.units.length, findings };
}

/** The start of the file up to the end of its first non-empty line (or all of it, when shorter). */
function firstRecord(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 16);
    const decoder = new StringDecoder('utf8');
    let head = '';
    for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) {
      head += decoder.write(chunk.subarray(0, n));
      const content = head.search(/\S/);
      if (content >= 0 && head.includes('\n', content)) return head;
    }
    return head + decoder.end();
  } finally {
    fs.closeSync(fd);
  }
}

/** Offset → 1-based line and column (UTF-16 code units, as editors and LSP count them). Editors drop a
 * byte order mark when they read the file, so the first line's columns start after it. */
function positions(text: string): (offset: number) => { line: number; column: number } {
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: Math.max(0, offset - starts[lo]) + 1 };
  };
}

/** MATH-500 ships in the package: media/samples/ next to dist/ (the bundle) or two levels above
 * src/cli/ (running from source). */
function math500Path(): string {
  const candidates = [path.resolve(__dirname, '..', 'media', 'samples', 'math500.jsonl'), path.resolve(__dirname, '..', '..', 'media', 'samples', 'math500.jsonl')];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}
