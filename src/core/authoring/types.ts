/** The authoring model shared by the checks, the language server and `reasonscope check`: a problem
 * document (a `*.problem.md` file or a MATH-500-style JSONL problem set) read into problem units whose
 * texts map back to exact document offsets, and the findings the checks report on them. */

/** A range of the document in UTF-16 offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A text read out of the document (a YAML scalar, a JSON string with its escapes decoded, the
 * Markdown body) with the way back: index in `text` → offset in the document. */
export interface MappedText {
  text: string;
  /** Document offset of `text[index]`; `index === text.length` gives the offset just past it. */
  offsetAt(index: number): number;
}

/** A front-matter key or a JSON record key with its value. */
export interface Field {
  key: string;
  keySpan: Span;
  /** The value as written (for JSON: the literal, quotes included). */
  valueSpan: Span;
  /** The parsed value (YAML/JSON semantics). */
  value: unknown;
}

/** One problem: the whole `*.problem.md` file, or one record (line) of a problem set. */
export interface ProblemUnit {
  /** The unit's extent: the whole file, or the JSONL line. */
  span: Span;
  /** 1-based line of the record in a JSONL problem set; undefined for `*.problem.md`. */
  line?: number;
  id?: string;
  /** The problem statement; empty text when there is none. */
  statement: MappedText;
  /** The `answer` value; undefined when the key is missing. */
  answer?: MappedText;
  fields: Field[];
  /** Where per-problem annotations go (first heading or first statement line; the record's line). */
  titleSpan: Span;
  /** Where a missing key would be inserted (front matter end / before the record's closing brace),
   * undefined when the document has no place for one (a file without front matter gets a new block). */
  insertAt?: number;
  /** Why the unit could not be read as intended (YAML syntax, a front matter that is not a mapping or
   * is never closed, a line that is not JSON); the checks report these first. */
  readErrors?: ReadError[];
}

/** A problem found while reading a unit, before any check runs. */
export interface ReadError {
  code: Extract<FindingCode, 'yaml-syntax' | 'front-matter-shape' | 'not-json'>;
  message: string;
  span: Span;
}

export type DocumentKind =
  /** A `*.problem.md` file. */
  | 'problem'
  /** A JSONL file whose records are problems (recognised by content). */
  | 'problem-set'
  /** Anything else (a JSONL trace file, …): not checked. */
  | 'other';

export interface ProblemDocument {
  kind: DocumentKind;
  text: string;
  units: ProblemUnit[];
  /** `*.problem.md` only: the `---` block, when there is one. */
  frontMatter?: { span: Span; contentSpan: Span };
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A text change, in document offsets. */
export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  /** The code action's title, e.g. "Add `answer:` to the front matter". */
  title: string;
  edits: TextEdit[];
  /** The fix a user would almost always want (code actions mark it preferred). */
  preferred?: boolean;
}

export type FindingCode =
  | 'yaml-syntax'
  | 'front-matter-shape'
  | 'unknown-key'
  | 'bad-value'
  | 'missing-answer'
  | 'empty-answer'
  | 'answer-unparsed'
  | 'prefer-frac'
  | 'latex-error'
  | 'unbalanced-math'
  | 'unbalanced-brace'
  | 'empty-problem'
  | 'not-json'
  | 'near-duplicate';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  span: Span;
  message: string;
  fixes?: Fix[];
  /** near-duplicate: the matching benchmark problem, for "Open the duplicate problem". */
  duplicate?: DuplicateMatch;
}

/** A known benchmark problem that a statement nearly repeats. */
export interface DuplicateMatch {
  /** Dataset name, e.g. "MATH-500". */
  dataset: string;
  /** The problem's id in the dataset (`unique_id`), or `line N` when it has none. */
  id: string;
  /** The dataset file and 1-based line of the record, to open it. */
  path: string;
  line: number;
  /** 0–1; 1 means the same statement after normalisation. */
  similarity: number;
  /** The matching statement (for hovers). */
  statement: string;
}

/** Looks statements up in the benchmark problems (built once; see duplicates.ts). */
export interface DuplicateFinder {
  nearest(statement: string): DuplicateMatch | undefined;
}

export interface CheckOptions {
  /** Omitted: no contamination check. */
  duplicates?: DuplicateFinder;
  /** Similarity at or above which a statement is reported as a near-duplicate (default 0.8). */
  duplicateThreshold?: number;
  /** Polled between problems so a long problem set can be abandoned when the request is cancelled. */
  isCancelled?: () => boolean;
}
