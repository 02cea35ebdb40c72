/** Self-correction points in free text: where a reasoning chain stops to reflect ("Wait", "Hmm"),
 * verify ("let me double-check"), try another approach ("Alternatively") or say it went wrong ("I
 * made a mistake"). A marker lexicon with word boundaries, where each marker may stand (opening a
 * clause, for the words that are ordinary English elsewhere: "a wait of 5 minutes", "which is actually
 * 5"), and text that never counts: math, `\text{…}`, quotations and code. Offsets are UTF-16 indices
 * into the text given, so the same function serves a run's step and a whole imported trace. */
import { matchBrace } from '../answer/latex';
import type { AnalysisReference, SelfCorrectionKind } from '../trace/schema';
import { AnswerMatcher, correctionEffects, statedAnswers, type CorrectionEffect } from './correctionEffect';

export interface SelfCorrectionPoint {
  /** The marker's place in the text (`end` exclusive). */
  start: number;
  end: number;
  /** The marker as written ("But wait", "let me double-check"). */
  marker: string;
  kind: SelfCorrectionKind;
}

interface MarkerRule {
  /** How users refer to the marker, to disable it. */
  name: string;
  kind: SelfCorrectionKind;
  /** Regular-expression source, matched case-insensitively between word boundaries. */
  pattern: string;
  /** `clause`: only opening a sentence or clause (after ". ", a line break, or a connective such as
   * "so" or "but"); `anywhere`: any word outside the ignored text. */
  place: 'clause' | 'anywhere';
  /** May also follow a comma mid-sentence ("x = 5, wait, no"). */
  afterComma?: boolean;
  /** What must come right after the marker, when the word has ordinary uses too ("Wait time"). */
  followedBy?: string;
  /** What must not come right after it ("let me check each case" is work, not a check of work). */
  notFollowedBy?: string;
}

const SUBJECTS = String.raw`I(?:'m|'ve)?|we|that(?:'s)?|this|it(?:'s)?|there|the\s+(?:problem|question|answer)`;
/** After "Wait": punctuation, or a word that carries the thought on (not "Wait time", "wait for"). */
const AFTER_WAIT = String.raw`\s*(?:[,.!?;:…—–*]|-(?![\p{L}\d])|$)|\s+(?:no|let|let's|${SUBJECTS}|is|isn't|was|but|maybe|perhaps|actually|hold|so|what|why|how|did|do|does|if|hmm+|now|then|though|again|earlier|a\s+(?:second|sec|minute|moment))(?![\p{L}\d])`;
const MODAL = String.raw`(?:let\s+me|let's|let\s+us|I'll|I\s+will|I\s+should|we\s+should|I\s+need\s+to|we\s+need\s+to|I\s+want\s+to|I\s+must|we\s+must|I\s+can|we\s+can|I'd\s+better)`;
const ADVERB = String.raw`(?:(?:quickly|also|now|just|first|again|carefully|still)\s+)?`;
const CHECK_VERB = String.raw`(?:double[- ]?check|re-?check|check|verify|re-?verify|confirm|re-?examine|sanity[- ]check|cross[- ]check|go\s+back\s+and\s+(?:check|verify))`;
/** "Check each case", "verify whether 91 is prime": the chain doing its work, not checking it. */
const NOT_A_CHECK = String.raw`\s+(?:(?:each|every|all|both|which|how|for\s+(?:each|all|every|which|other)|the\s+(?:cases?|base\s+case|following|possible|remaining|next|other|divisibility|parity))(?![\p{L}\d])|(?:whether|if)\s+(?!(?:this|that|it|my|our|these|those|the\s+(?:answer|result|solution|calculation|computation|value|sum|total))(?![\p{L}\d])))`;
/** Putting a value back into an equation is a check only when the text says what came of it; else it
 * is the next step of solving ("Substituting $x = 97$ back into the first equation, we get y = 94"). */
const CHECK_OUTCOME = String.raw`(?=[^\n]{0,240}?(?:\b(?:to\s+(?:check|verify|confirm)|works?|holds?|checks?\s+out|correct|satisf\w*|true|consistent|matches)\b|[✓✔]))`;
const APPROACH = String.raw`(?:another|a\s+different|an\s+alternative|a\s+better|a\s+simpler|a\s+cleaner|an\s+easier|a\s+more\s+direct)\s+(?:approach|way|method|strategy|route|tack)`;
const BE = String.raw`(?:'s|\s+is|\s+was|\s+seems|\s+looks|\s+must\s+be)`;
const WRONG = String.raw`(?:(?:definitely|clearly|obviously|also|still|all|quite)\s+)?(?:wrong|incorrect|not\s+(?:quite\s+)?(?:right|correct)|a\s+mistake|an\s+error|off)`;

const RULES: readonly MarkerRule[] = [
  { name: 'but wait', kind: 'reflection', pattern: String.raw`but\s+wait(?:\s+a\s+(?:second|sec|minute|moment))?`, place: 'clause', afterComma: true, followedBy: AFTER_WAIT },
  { name: 'no wait', kind: 'correction', pattern: String.raw`no,?\s+wait`, place: 'clause', afterComma: true, followedBy: AFTER_WAIT },
  { name: 'wait', kind: 'reflection', pattern: String.raw`wait(?:\s+a\s+(?:second|sec|minute|moment))?`, place: 'clause', afterComma: true, followedBy: AFTER_WAIT },
  { name: 'hold on', kind: 'reflection', pattern: String.raw`hold\s+on(?:\s+a\s+(?:second|sec|minute|moment))?`, place: 'clause', afterComma: true, followedBy: String.raw`\s*(?:[,.!;:…—–]|-(?![\p{L}\d]))` },
  { name: 'hmm', kind: 'reflection', pattern: String.raw`hm{2,}`, place: 'anywhere' },
  { name: 'actually', kind: 'reflection', pattern: 'actually', place: 'clause' },
  { name: 'on second thought', kind: 'reflection', pattern: String.raw`on\s+(?:second|further)\s+thought`, place: 'clause' },
  { name: 'oops', kind: 'correction', pattern: 'oops', place: 'clause', afterComma: true },
  { name: 'scratch that', kind: 'correction', pattern: String.raw`scratch\s+that`, place: 'clause' },
  { name: 'alternatively', kind: 'alternative', pattern: 'alternatively', place: 'clause' },
  {
    name: 'another approach', kind: 'alternative', place: 'clause', afterComma: true,
    pattern: String.raw`(?:(?:(?:maybe|perhaps)\s+(?:I|we)\s+(?:should|can|could|need\s+to)\s+|${MODAL}\s+)(?:try|use|take|consider|think\s+of|think\s+about|look\s+for|find|attempt)\s+(?:this\s+)?${APPROACH}|${APPROACH}(?=\s*(?::|is|would\s+be|might\s+be|could\s+be|to\s+(?:see|solve|do|think)))|(?:let\s+me|let's|let\s+us)\s+(?:approach|tackle|think\s+about|look\s+at)\s+(?:this|it|the\s+problem)\s+(?:differently|another\s+way|from\s+another\s+angle))`,
  },
  // "Let me make sure" checks; "I need to make sure no number repeats" states a condition.
  { name: 'let me check', kind: 'verification', pattern: String.raw`(?:${MODAL}\s+${ADVERB}|to\s+)${CHECK_VERB}|(?:let\s+me|let's|let\s+us)\s+${ADVERB}make\s+sure`, place: 'clause', afterComma: true, notFollowedBy: NOT_A_CHECK },
  { name: 'double-checking', kind: 'verification', pattern: String.raw`(?:double[- ]?checking|re-?checking|verifying|verification|sanity\s+check|checking|check)(?=\s*:)|(?:double[- ]?checking|re-?checking|verifying)`, place: 'clause', notFollowedBy: NOT_A_CHECK },
  { name: 'just to be sure', kind: 'verification', pattern: String.raw`(?:as\s+a\s+(?:quick\s+)?(?:sanity\s+)?check|just\s+to\s+(?:be\s+(?:sure|safe|certain)|double[- ]?check|make\s+sure|check|verify|confirm))`, place: 'clause', afterComma: true },
  { name: 'plug back', kind: 'verification', pattern: String.raw`(?:(?:let\s+me|let's|let\s+us|if\s+I|if\s+we|we\s+can|I'll)\s+)?(?:plug|plugging|substitute|substituting|put|putting)\s+(?:\S+\s+){0,6}?back\s+in(?:to)?`, place: 'clause', followedBy: CHECK_OUTCOME },
  {
    name: 'reconsider', kind: 'reflection', place: 'clause', afterComma: true,
    pattern: String.raw`${MODAL}\s+${ADVERB}(?:reconsider|re-?evaluate|re-?think|think\s+again|revisit|re-?read|go\s+back|step\s+back|take\s+a\s+step\s+back|think\s+(?:about\s+)?(?:this|it|that)\s+(?:again|more\s+carefully))`,
  },
  {
    name: 'I made a mistake', kind: 'correction', place: 'clause',
    pattern: String.raw`(?:I\s+(?:think|see|realize|realise|guess|believe|notice)\s+(?:that\s+)?)?(?:I(?:'ve|\s+have|\s+must\s+have|\s+might\s+have|\s+may\s+have)?\s+(?:made|make)\s+(?:a|an|another|the\s+same|some)\s+(?:\w+\s+)?(?:mistake|error|miscalculation|slip)s?|there(?:'s|\s+is|\s+was|\s+must\s+be)\s+(?:a|an)\s+(?:\w+\s+)?(?:mistake|error)\s+(?:in\s+my|here|somewhere|above)|my\s+(?:mistake|bad|error)|I\s+(?:miscalculated|messed\s+up|was\s+wrong|misread|misapplied|mixed\s+up|slipped\s+up|got\s+(?:it|that|this)\s+wrong))`,
  },
  {
    name: "that's wrong", kind: 'correction', place: 'clause',
    pattern: String.raw`(?:(?:that|this|it)${BE}\s+${WRONG}|(?:that|this|it)\s+(?:can't|cannot|can\s+not|couldn't|could\s+not)\s+be\s+(?:right|correct|true)|(?:that|this|it)\s+(?:doesn't|does\s+not|didn't|did\s+not)\s+(?:seem\s+right|look\s+right|make\s+sense|add\s+up|check\s+out)|something(?:'s|\s+is)\s+(?:wrong|off|not\s+right))`,
  },
];

/** Words around a marker that say what kind of point it is ("Wait, no", "Hmm, let me verify"). */
const CUES: readonly { kind: SelfCorrectionKind; re: RegExp }[] = [
  {
    kind: 'correction',
    re: String.raw`^[\s,.!;:…—–-]*no(?:\s*[,.!;:…—–]|\s+(?:that|it|this|I|wait|actually|hold)\b|$)|\b(?:wrong|incorrect|mistake|mistaken|miscalculat\w*|error|oops|messed\s+up)\b|\b(?:not|isn't|wasn't)\s+(?:quite\s+)?(?:right|correct)\b|\b(?:can't|cannot|couldn't)\s+be\s+(?:right|correct|true)\b|\b(?:doesn't|does\s+not|didn't)\s+(?:seem\s+right|make\s+sense|add\s+up|check\s+out)\b|\b(?:seems?|looks?)\s+(?:off|wrong|incorrect)\b|,\s*not\s+(?=[-\d$\\(])|\bI\s+(?:forgot|missed|overlooked|overcounted|undercounted|double[- ]counted|counted\s+\w+(?:\s+\w+)?\s+twice)\b|\b(?:should\s+not|shouldn't|should\s+have)\b`,
  },
  {
    kind: 'verification',
    re: String.raw`\b(?:double[- ]?check\w*|re-?check\w*|check(?:ing)?|verif\w*|confirm\w*|make\s+sure|sanity)\b|\b(?:plug|plugging|substitut\w*)\s+(?:\S+\s+){0,6}?back\b`,
  },
  { kind: 'alternative', re: String.raw`\b${APPROACH}\b|\bapproach\s+(?:this|it)\s+differently\b|\balternatively\b` },
].map(({ kind, re }) => ({ kind: kind as SelfCorrectionKind, re: new RegExp(apostrophes(re), 'gi') }));
/** Words that take an error cue back: "to make sure I didn't make a mistake", "check for errors",
 * "let me see if I made a mistake". */
const NEGATED = new RegExp(apostrophes(String.raw`\b(?:didn't|did\s+not|don't|do\s+not|haven't|have\s+not|no|any|without|avoid|for|(?:if|whether)\s+(?:I|we))\s+(?:\w+\s+){0,2}$`), 'i');
const PRECEDENCE: readonly SelfCorrectionKind[] = ['correction', 'verification', 'alternative', 'reflection'];
/** Words that open a clause before a marker ("So let me check", "But actually"). */
const CONNECTIVE = /(?:^|[^\p{L}\d'])(so|now|but|and|well|okay|ok|oh|ah|hmm+|wait|no|yes|right|first|also|then|again|still|however|hence|thus|therefore|anyway|alright|hm)\s*,?\s*$/iu;
/** Between two markers of one point: punctuation and filler only ("Wait. Hmm, no, actually"). */
const JOINS = /^(?:[\s,.!?;:…—–-]|\b(?:so|and|but|oh|okay|ok|well|no|yes|hmm+)\b)*$/i;
const SENTENCE_END = /[.!?](?=\s|$)|\n/g;
const WINDOW_CHARS = 240;

export interface LexiconOptions {
  /** More markers, as phrases ("let me see again"); they count opening a clause. Kind: reflection unless given. */
  extraMarkers?: (string | { phrase: string; kind?: SelfCorrectionKind })[];
  /** Built-in markers to leave out, by name (see `MARKER_NAMES`). */
  disabledMarkers?: string[];
}

/** The built-in markers' names, for `disabledMarkers`. */
export const MARKER_NAMES: readonly string[] = RULES.map((r) => r.name);

interface CompiledRule extends MarkerRule {
  re: RegExp;
  follow?: RegExp;
  notFollow?: RegExp;
}

export class Lexicon {
  private readonly rules: CompiledRule[];

  constructor(opts: LexiconOptions = {}) {
    const disabled = new Set((opts.disabledMarkers ?? []).map((n) => n.trim().toLowerCase()));
    const unknown = [...disabled].filter((n) => !MARKER_NAMES.some((m) => m.toLowerCase() === n));
    if (unknown.length) throw new Error(`unknown self-correction marker${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the markers are: ${MARKER_NAMES.join(', ')}`);
    const extra: MarkerRule[] = (opts.extraMarkers ?? []).map((m) => {
      const { phrase, kind = 'reflection' } = typeof m === 'string' ? { phrase: m } : m;
      if (!phrase.trim()) throw new Error('an extra self-correction marker is empty; give the words it is made of');
      if (!PRECEDENCE.includes(kind)) throw new Error(`marker "${phrase}": kind must be one of ${PRECEDENCE.join(', ')}, got "${String(kind)}"`);
      const pattern = phrase.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(String.raw`\s+`);
      return { name: phrase.trim(), kind, pattern, place: 'clause' };
    });
    this.rules = [...RULES.filter((r) => !disabled.has(r.name.toLowerCase())), ...extra].map((rule) => ({
      ...rule,
      re: new RegExp(String.raw`(?<![\p{L}\d_'’-])(?:${apostrophes(rule.pattern)})(?![\p{L}\d_])`, 'giu'),
      ...(rule.followedBy && { follow: new RegExp(`^(?:${apostrophes(rule.followedBy)})`, 'iu') }),
      ...(rule.notFollowedBy && { notFollow: new RegExp(`^(?:${apostrophes(rule.notFollowedBy)})`, 'iu') }),
    }));
  }

  /** The self-correction points of `text`, in order. Markers in one sentence, or with only
   * punctuation and filler between them ("But wait. Let me double-check."), make one point, whose kind
   * is the strongest its markers and sentence show: correction, verification, alternative, reflection. */
  find(text: string): SelfCorrectionPoint[] {
    const ignored = ignoredText(text);
    const matches: { start: number; end: number; kind: SelfCorrectionKind }[] = [];
    for (const rule of this.rules) {
      rule.re.lastIndex = 0;
      for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
        const start = m.index;
        const end = start + m[0].length;
        if (ignored[start] || ignored[end - 1]) continue;
        if (rule.place === 'clause' && !opensClause(text, start, rule.afterComma ?? false)) continue;
        const rest = text.slice(end, end + 80);
        if (rule.follow && !rule.follow.test(rest)) continue;
        if (rule.notFollow?.test(rest)) continue;
        matches.push({ start, end, kind: rule.kind });
      }
    }
    // Earliest first; of two starting together the longer ("But wait" over "But").
    matches.sort((a, b) => a.start - b.start || b.end - a.end);
    const points: SelfCorrectionPoint[] = [];
    let group: typeof matches = [];
    const close = () => {
      if (group.length) points.push(this.point(text, group));
      group = [];
    };
    for (const match of matches) {
      const last = group.at(-1);
      if (last && match.start < last.end) continue; // inside a longer marker
      if (last && !sameMoment(text, group[0].start, last.end, match.start)) close();
      group.push(match);
    }
    close();
    return points;
  }

  private point(text: string, group: { start: number; end: number; kind: SelfCorrectionKind }[]): SelfCorrectionPoint {
    const first = group[0];
    const last = group[group.length - 1];
    const window = text.slice(first.end, sentenceEnd(text, last.end, first.start + WINDOW_CHARS));
    const kinds = new Set(group.map((m) => m.kind));
    for (const cue of CUES) if (showsCue(window, cue)) kinds.add(cue.kind);
    const kind = PRECEDENCE.find((k) => kinds.has(k)) ?? 'reflection';
    return { start: first.start, end: first.end, marker: text.slice(first.start, first.end), kind };
  }
}

/** Typographic apostrophes too: "that’s wrong" is "that's wrong". */
function apostrophes(pattern: string): string {
  return pattern.replace(/'/g, "['’]");
}

const DEFAULT_LEXICON = new Lexicon();

function showsCue(window: string, cue: { kind: SelfCorrectionKind; re: RegExp }): boolean {
  for (const m of window.matchAll(cue.re)) {
    if (cue.kind !== 'correction' || !NEGATED.test(window.slice(Math.max(0, m.index - 40), m.index))) return true;
  }
  return false;
}

/** Self-correction points with the built-in lexicon, or with `lexicon`. */
export function findSelfCorrections(text: string, lexicon: Lexicon = DEFAULT_LEXICON): SelfCorrectionPoint[] {
  return lexicon.find(text);
}

export type SelfCorrectionFinding = SelfCorrectionPoint & CorrectionEffect;

/** The points of a whole text (an imported trace, a chain) with their effects: the answers stated
 * before and after each, compared with `reference` when there is one. */
export function analyzeSelfCorrections(text: string, opts: { reference?: AnalysisReference; lexicon?: Lexicon; matcher?: AnswerMatcher } = {}): SelfCorrectionFinding[] {
  const points = findSelfCorrections(text, opts.lexicon);
  const effects = correctionEffects(text, points.map((p) => p.start), statedAnswers(text), opts.reference, opts.matcher);
  return points.map((p, i) => ({ ...p, ...effects[i] }));
}

/** Whether a marker at `next` belongs to the point whose markers run from `first` to `lastEnd`: it
 * is in the same sentence ("Wait, the interest compounds, so I was wrong"), or only punctuation and
 * filler stand between ("Wait. Let me double-check."). */
function sameMoment(text: string, first: number, lastEnd: number, next: number): boolean {
  if (next - first >= WINDOW_CHARS) return false;
  return next < sentenceEnd(text, lastEnd, first + WINDOW_CHARS) || JOINS.test(text.slice(lastEnd, next));
}

/** Where the sentence holding `from` ends (at most `limit`). */
function sentenceEnd(text: string, from: number, limit: number): number {
  SENTENCE_END.lastIndex = from;
  const m = SENTENCE_END.exec(text);
  return Math.min(m ? m.index + 1 : text.length, Math.max(limit, from));
}

/** Whether a marker at `start` opens a sentence or clause. */
function opensClause(text: string, start: number, afterComma: boolean, depth = 0): boolean {
  let j = start - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t' || text[j] === '*' || text[j] === '_')) j--;
  if (j < 0) return true;
  const c = text[j];
  if ('\n.!?;:(…—–"“‘[>#'.includes(c)) return true;
  if (c === '-') return j === 0 || /\s/.test(text[j - 1]);
  if (c === ',') return afterComma || (depth > 0);
  if (depth >= 3) return false;
  const before = text.slice(Math.max(0, j - 24), j + 1);
  const connective = CONNECTIVE.exec(before);
  if (!connective) return false;
  const wordStart = j + 1 - before.length + connective.index + connective[0].indexOf(connective[1]);
  // "So let me check" opens a clause; "and so let me check" only if "and" does, and so on back.
  return opensClause(text, wordStart, true, depth + 1);
}

const MATH_OPENERS: readonly { open: string; close: string; blankLines: boolean }[] = [
  { open: '$$', close: '$$', blankLines: false },
  { open: '\\[', close: '\\]', blankLines: true },
  { open: '\\(', close: '\\)', blankLines: false },
  { open: '$', close: '$', blankLines: false },
];
const TEXT_COMMANDS = /\\(?:text|textbf|textit|textrm|texttt|mathrm|mathbf|mbox|operatorname|emph)\s*\{/g;
const ENVIRONMENT = /\\begin\{([a-zA-Z*]+)\}/g;
const QUOTE_PAIRS: readonly [string, string][] = [['"', '"'], ['“', '”'], ['‘', '’'], ['`', '`']];
/** Longest quotation or inline span taken as one; past it an opening mark is a stray. */
const MAX_SPAN = 1000;

/** A mask of the text no marker may come from: math (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`,
 * environments), `\text{…}`-like commands anywhere, quotations and code spans. An opening mark with
 * no close in its paragraph (a stray `$` in "costs $5") masks nothing. */
function ignoredText(text: string): Uint8Array {
  const mask = new Uint8Array(text.length + 1);
  const fill = (from: number, to: number) => mask.fill(1, from, Math.min(to, text.length));
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (c !== '$' && c !== '\\') continue;
    const math = MATH_OPENERS.find((m) => text.startsWith(m.open, i));
    if (!math) continue;
    const close = findClose(text, i + math.open.length, math.close, math.blankLines);
    if (close < 0) {
      i += math.open.length - 1;
      continue;
    }
    fill(i, close + math.close.length);
    i = close + math.close.length - 1;
  }
  for (const m of text.matchAll(ENVIRONMENT)) {
    const end = text.indexOf(`\\end{${m[1]}}`, m.index);
    if (end >= 0) fill(m.index, end);
  }
  for (const m of text.matchAll(TEXT_COMMANDS)) {
    const open = m.index + m[0].length - 1;
    const close = matchBrace(text, open);
    if (close > 0) fill(m.index, close);
  }
  for (const [open, close] of QUOTE_PAIRS) maskQuotes(text, open, close, fill);
  maskSingleQuotes(text, fill);
  return mask;
}

/** The index of `close` after `from` (not escaped), within one paragraph unless `blankLines`. */
function findClose(text: string, from: number, close: string, blankLines: boolean): number {
  const limit = Math.min(text.length, from + (blankLines ? 5 * MAX_SPAN : MAX_SPAN));
  for (let i = from; i < limit; i++) {
    if (text[i] === '\\' && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (!blankLines && text[i] === '\n' && /^\n[ \t]*\n/.test(text.slice(i, i + 8))) return -1;
    if (text.startsWith(close, i)) return i;
  }
  return -1;
}

function maskQuotes(text: string, open: string, close: string, fill: (from: number, to: number) => void): void {
  for (let at = text.indexOf(open); at >= 0; at = text.indexOf(open, at + 1)) {
    const end = findClose(text, at + 1, close, false);
    if (end < 0) continue;
    fill(at, end + 1);
    at = end;
  }
}

/** 'Quoted' words with straight single quotes: an opening quote follows a space or bracket (an
 * apostrophe follows a letter: "let's"), a closing one is followed by a space or punctuation. */
function maskSingleQuotes(text: string, fill: (from: number, to: number) => void): void {
  const re = /(?<=^|[\s([{])'(?=\S)([^'\n]{1,200}?)(?<=\S)'(?=$|[\s.,;:!?)\]}])/g;
  for (const m of text.matchAll(re)) fill(m.index, m.index + m[0].length);
}
