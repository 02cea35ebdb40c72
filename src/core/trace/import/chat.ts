/** R1-style chat records: `messages` (`role`/`content`, OpenAI style) or `conversations`
 * (`from`/`value`, ShareGPT style). The last assistant turn is the trace: its `<think>…</think>`
 * section (or a separate `reasoning_content`) becomes thinking steps, the rest the visible solution,
 * and the final answer is the last `\boxed{}` of that solution. */
import { asBoolean, firstString, goldAnswer, isObject, oneLine, recordId, type JsonObject } from './fields';
import { addResponse } from './response';
import { RunBuilder, UNKNOWN_MODEL, type Verdict } from './runBuilder';
import type { ReadRecord, RecordFormat } from './types';

interface Turn {
  role: string;
  text: string;
  reasoning?: string;
}

const ROLES: Record<string, string> = { human: 'user', gpt: 'assistant', model: 'assistant', bot: 'assistant' };
const VERDICT_KEYS = ['correct', 'is_correct', 'correctness'];

/** Message content as text: a string, or OpenAI-style parts `[{type: 'text', text}]`. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : undefined));
    if (parts.every((p) => p !== undefined)) return parts.join('');
  }
  return undefined;
}

function readTurns(list: unknown[], field: string): Turn[] | string {
  const turns: Turn[] = [];
  for (const [i, m] of list.entries()) {
    if (!isObject(m)) return `${field}[${i}] is not an object`;
    const role = typeof m.role === 'string' ? m.role : typeof m.from === 'string' ? m.from : undefined;
    const text = contentText(m.content ?? m.value);
    if (role === undefined) return `${field}[${i}] has no \`role\` (or \`from\`)`;
    if (text === undefined) return `${field}[${i}] has no text \`content\` (or \`value\`)`;
    const reasoning = firstString(m, ['reasoning_content', 'reasoning'])?.value;
    turns.push({ role: ROLES[role.toLowerCase()] ?? role.toLowerCase(), text, ...(reasoning !== undefined && { reasoning }) });
  }
  return turns;
}

function verdictOf(record: JsonObject): Verdict | undefined {
  for (const key of VERDICT_KEYS) {
    const correct = asBoolean(record[key]);
    if (correct !== undefined) return { correct, from: `the record's ${key} field` };
  }
  return undefined;
}

export const r1Chat: RecordFormat = {
  format: 'r1-chat',
  read(value: unknown): ReadRecord | string {
    if (!isObject(value)) return 'not a JSON object';
    const field = Array.isArray(value.messages) ? 'messages' : Array.isArray(value.conversations) ? 'conversations' : undefined;
    if (!field) return 'no `messages` or `conversations` list';
    const turns = readTurns(value[field] as unknown[], field);
    if (typeof turns === 'string') return turns;
    const replyAt = turns.map((t) => t.role).lastIndexOf('assistant');
    if (replyAt < 0) return `no assistant message in \`${field}\``;
    const reply = turns[replyAt];
    const question = turns.slice(0, replyAt).reverse().find((t) => t.role === 'user')?.text
      ?? firstString(value, ['problem', 'question'])?.value ?? '(the record has no user message)';
    const model = firstString(value, ['model', 'generator', 'model_name'])?.value ?? UNKNOWN_MODEL;
    const id = recordId(value);
    const gold = goldAnswer(value);
    const verdict = verdictOf(value);
    return {
      label: () => [id, model === UNKNOWN_MODEL ? undefined : model, oneLine(question, 60)].filter(Boolean).join(' · '),
      convert(origin) {
        const run = new RunBuilder({ id, text: question, answer: gold }, model);
        addResponse(run, 0, { text: reply.text, reasoning: reply.reasoning, verdict });
        return run.finish(origin);
      },
    };
  },
};
