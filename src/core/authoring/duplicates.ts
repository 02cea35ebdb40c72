/** Contamination check: which benchmark problem does a statement nearly repeat? The datasets are
 * indexed once (token-bigram shingles in an inverted index); a lookup touches only the problems that
 * share a discriminating shingle with the statement and scores those exactly. */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { parseDataset } from '../problem/dataset';
import type { DuplicateFinder, DuplicateMatch } from './types';

// LaTeX spellings of one thing, and markup that does not change the problem, so a reformatted copy
// reads the same.
const REWRITES: [RegExp, string][] = [
  [/``|''|[“”„‟″]/g, '"'],
  [/[‘’‚‛′`]/g, "'"],
  [/\\[dt]frac(?![a-z])/g, '\\frac'],
  [/\\[dt]binom(?![a-z])/g, '\\binom'],
  [/\\le(?![a-z])/g, '\\leq'],
  [/\\ge(?![a-z])/g, '\\geq'],
  [/\\ne(?![a-z])/g, '\\neq'],
  [/\\[lc]?dots(?![a-z])|\.\.\./g, ' \\dots '],
  [/\\(?:left|right|bigg?[lr]?|displaystyle|textstyle|text|textbf|textit|textrm|mathrm|mbox|emph|q?quad)(?![a-z])/g, ' '],
  [/\\[,;:! ]|~/g, ' '],
  [/\\[()[\]]|\$/g, ' '],
];

// Words, numbers, LaTeX command names and single symbols; braces only group, so they are dropped
// (`\frac12` and `\frac{1}{2}` read alike).
const TOKEN = /\\[a-z]+|\\[^a-z\s]|\p{L}+|\p{N}+(?:\.\p{N}+)?|[^\s\p{L}\p{N}{}]/gu;

/** The statement as the tokens that are compared. */
function duplicateTokens(statement: string): string[] {
  let s = statement.normalize('NFKC').toLowerCase();
  for (const [pattern, replacement] of REWRITES) s = s.replace(pattern, replacement);
  return s.match(TOKEN) ?? [];
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The statement's token bigrams (padded, so the first and last token count too), hashed, sorted and
 * unique. A 32-bit collision only adds a shared bigram, so similarities stay exact in practice. */
export function duplicateShingles(statement: string): Uint32Array {
  const tokens = duplicateTokens(statement);
  if (!tokens.length) return new Uint32Array(0);
  const hashes = ['\u0002', ...tokens, '\u0003'].map(hashString);
  const out = new Uint32Array(hashes.length - 1);
  for (let i = 1; i < hashes.length; i++) {
    let h = Math.imul(hashes[i - 1], 0x9e3779b1) ^ hashes[i];
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    out[i - 1] = (h ^ (h >>> 13)) >>> 0;
  }
  out.sort();
  let n = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[n++] = out[i];
  return out.slice(0, n);
}

function sharedCount(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared;
}

/** Below this many bigrams on its smaller side, containment is discounted: a short text is
 * "contained" in a long one by accident too easily. */
const CONTAINMENT_FULL_AT = 20;

/**
 * Dice over the bigram sets, or the containment of the smaller set in the larger one when that is
 * higher (a benchmark problem pasted into a longer statement, or a trimmed copy of one), discounted
 * for short texts.
 */
export function bigramSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (!a.length || !b.length) return 0;
  const shared = sharedCount(a, b);
  const small = Math.min(a.length, b.length);
  const dice = (2 * shared) / (a.length + b.length);
  const containment = (shared / small) * Math.min(1, small / CONTAINMENT_FULL_AT);
  return Math.max(dice, containment);
}

interface Entry {
  dataset: string;
  id: string;
  path: string;
  line: number;
  statement: string;
  shingles: Uint32Array;
}

/** A shingle in more problems than this (and than 2% of them) finds candidates by the hundred and
 * tells none apart ("what is", "the value"); lookups skip it unless the statement has nothing rarer. */
const COMMON_AT_LEAST = 16;
/** Candidates scored exactly per lookup: those sharing at least half as many discriminating shingles
 * as the best-sharing one, at most 8. Scoring is most of a lookup's time; a near-duplicate shares far
 * more shingles than anything else, so it is always among them (see bench/authoring.ts). */
const CANDIDATE_HITS = 0.5;
const MAX_CANDIDATES = 8;
/** Posting keys fit V8's small integers: a Map keyed by heap numbers is several times slower. A
 * collision there only adds a candidate. */
const SMI_SHIFT = 2;

export class DuplicateIndex implements DuplicateFinder {
  private readonly entries: Entry[] = [];
  private readonly postings = new Map<number, number[]>();
  /** Per-entry hit counts of the current lookup, kept zeroed between lookups. */
  private hits = new Uint32Array(0);

  /** Indexes the problems of JSONL problem sets (the lines that are problems; others are skipped). */
  static fromDatasets(datasets: { name: string; path: string; text: string }[]): DuplicateIndex {
    const index = new DuplicateIndex();
    for (const { name, path, text } of datasets) {
      for (const { line, record } of parseDataset(text).records) {
        index.add({ dataset: name, id: record.unique_id ?? `line ${line}`, path, line, statement: record.problem, shingles: duplicateShingles(record.problem) });
      }
    }
    index.hits = new Uint32Array(index.entries.length);
    return index;
  }

  get size(): number {
    return this.entries.length;
  }

  private add(entry: Entry): void {
    const id = this.entries.push(entry) - 1;
    for (const h of entry.shingles) {
      const list = this.postings.get(h >>> SMI_SHIFT);
      if (list) list.push(id);
      else this.postings.set(h >>> SMI_SHIFT, [id]);
    }
  }

  /** The most similar problem (on a tie, the one sharing more discriminating shingles). */
  nearest(statement: string): DuplicateMatch | undefined {
    const query = duplicateShingles(statement);
    if (!query.length || !this.entries.length) return undefined;
    const common = Math.max(COMMON_AT_LEAST, Math.ceil(0.02 * this.entries.length));
    let lists: number[][] = [];
    for (const h of query) {
      const list = this.postings.get(h >>> SMI_SHIFT);
      if (list) lists.push(list);
    }
    const rare = lists.filter((l) => l.length < common);
    if (rare.length) lists = rare;
    const touched: number[] = [];
    for (const list of lists) {
      for (const id of list) if (this.hits[id]++ === 0) touched.push(id);
    }
    if (!touched.length) return undefined;
    touched.sort((a, b) => this.hits[b] - this.hits[a]);
    const enough = this.hits[touched[0]] * CANDIDATE_HITS;
    const candidates = touched.slice(0, MAX_CANDIDATES).filter((id) => this.hits[id] >= enough);
    for (const id of touched) this.hits[id] = 0;
    let best: { id: number; similarity: number } | undefined;
    for (const id of candidates) {
      const similarity = bigramSimilarity(query, this.entries[id].shingles);
      if (!best || similarity > best.similarity) best = { id, similarity };
    }
    if (!best) return undefined;
    const { dataset, id, path, line, statement: matched } = this.entries[best.id];
    return { dataset, id, path, line, similarity: best.similarity, statement: matched };
  }
}

/** Reads and indexes the datasets; one that cannot be read or holds no problems is an error message,
 * and the others are still indexed. */
export function loadDuplicateIndex(datasets: { name: string; path: string }[]): { index: DuplicateIndex; errors: string[] } {
  const read: { name: string; path: string; text: string }[] = [];
  const errors: string[] = [];
  for (const { name, path } of datasets) {
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      errors.push(`cannot read the problem set ${path} (${why}): statements are not checked against ${name}; fix the path or remove it from the duplicate datasets`);
      continue;
    }
    const { records, problems } = parseDataset(text);
    if (!records.length) errors.push(`${path} has no problems (${problems[0] ?? 'the file is empty'}): statements are not checked against ${name}; give a JSONL file with a \`problem\` on each line`);
    else read.push({ name, path, text });
  }
  return { index: DuplicateIndex.fromDatasets(read), errors };
}

/** A dataset the user names by its file (a setting, `--duplicates`) is called after it: `my-set.jsonl`
 * → "my-set". */
export function datasetFromPath(file: string): { name: string; path: string } {
  return { name: nodePath.basename(file).replace(/\.jsonl$/i, ''), path: file };
}
