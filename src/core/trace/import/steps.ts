/** Cutting free-form reasoning into steps: paragraphs (blank lines, as the engine cuts its own
 * chains), sentences for walls of text, and the thinking section of R1-style (`<think>…</think>`)
 * and Sky-T1-style (`<|begin_of_thought|>…<|end_of_thought|>`) traces tagged as such. */
import type { ChainStep } from './runBuilder';

/** A paragraph longer than this with no blank line in it is read sentence by sentence. */
export const WALL_CHARS = 1200;
export const THINKING_TAG = 'thinking';

const PARAGRAPH_BREAK = /\n[ \t]*\n+/;
/** After sentence-final punctuation, before the next non-space: one lookbehind, so linear time. */
const SENTENCE_BREAK = /(?<=[.!?])\s+(?=\S)/;
const THINK_MARKERS = [
  { open: '<think>', close: '</think>' },
  { open: '<|begin_of_thought|>', close: '<|end_of_thought|>' },
];
const SOLUTION_MARKERS = /<\|(?:begin|end)_of_solution\|>/g;

/** A Markdown heading alone on its line ("### Step 2"): it titles the paragraph after it. */
const LONE_HEADING = /^#{1,6}[ \t][^\n]*$/;

/** Windows and old-Mac line ends as `\n`: step splitting looks for blank lines, and an editor showing
 * the text would otherwise count characters differently from the offsets analyses record. */
export function unixLines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function paragraphs(text: string, tags?: string[]): ChainStep[] {
  text = unixLines(text);
  const steps: ChainStep[] = [];
  let heading = '';
  for (const raw of text.split(PARAGRAPH_BREAK)) {
    const paragraph = raw.trim();
    if (!paragraph) continue;
    if (LONE_HEADING.test(paragraph)) {
      heading += `${paragraph}\n\n`;
      continue;
    }
    const pieces = paragraph.length > WALL_CHARS ? paragraph.split(SENTENCE_BREAK) : [paragraph];
    pieces[0] = heading + pieces[0];
    heading = '';
    for (const piece of pieces) steps.push(tags ? { text: piece, tags } : { text: piece });
  }
  if (heading) steps.push(tags ? { text: heading.trim(), tags } : { text: heading.trim() });
  return steps;
}

export interface ReasoningSplit {
  steps: ChainStep[];
  /** Where the final answer is looked for: the text after the thinking, or all of it when the
   * thinking never closes. */
  answerText: string;
  warnings: string[];
}

/** The first `marker` that starts a line (after spaces), -1 if none: a tag quoted mid-sentence, as in
 * documentation about these formats, is not a section boundary. */
function atLineStart(text: string, marker: string): number {
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
    let i = at - 1;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    if (i < 0 || text[i] === '\n') return at;
  }
  return -1;
}

/** Splits a model's output into steps; `reasoning` is a separately delivered thinking text (the
 * `reasoning_content` of DeepSeek-style APIs). */
export function splitReasoning(text: string, reasoning?: string): ReasoningSplit {
  if (reasoning !== undefined) {
    const after = text.replace(SOLUTION_MARKERS, '');
    return { steps: [...paragraphs(reasoning, [THINKING_TAG]), ...paragraphs(after)], answerText: after, warnings: [] };
  }
  for (const { open, close } of THINK_MARKERS) {
    const openAt = atLineStart(text, open);
    // Once open, the section may close mid-line ("…\\).</think>"). Without an opening tag (R1 chat
    // templates put it in the prompt) only a closing tag on its own line counts.
    const closeAt = openAt >= 0 ? text.indexOf(close, openAt + open.length) : atLineStart(text, close);
    if (openAt < 0 && closeAt < 0) continue;
    const start = openAt >= 0 ? openAt + open.length : 0;
    const before = openAt >= 0 ? text.slice(0, openAt) : '';
    const thinking = text.slice(start, closeAt < 0 ? undefined : closeAt);
    const after = closeAt < 0 ? '' : text.slice(closeAt + close.length).replace(SOLUTION_MARKERS, '');
    return {
      steps: [...paragraphs(before), ...paragraphs(thinking, [THINKING_TAG]), ...paragraphs(after)],
      answerText: closeAt < 0 ? thinking : after,
      warnings: closeAt < 0 ? [`the thinking section never closes (no ${close}): the trace was probably cut off`] : [],
    };
  }
  const plain = text.replace(SOLUTION_MARKERS, '');
  return { steps: paragraphs(plain), answerText: plain, warnings: [] };
}
