/** Where the problem and the assistant prefix are in each kind of request. */
import { tokenize } from './tokens';

export interface PromptParts {
  /** System and user text, where the solver looks for the problem. */
  userText: string;
  /** Assistant text to continue. */
  prefix: string;
  /** Tokens the prompt would take, for prompt_eval_count / usage. */
  promptTokens: number;
}

export interface ChatMessageLike {
  role: string;
  content: string;
}

/** Start-of-reply markers of the chat templates raw prompts are rendered with (ChatML, Llama 3). */
const ASSISTANT_MARKERS = ['<|im_start|>assistant\n', '<|start_header_id|>assistant<|end_header_id|>\n\n'];
/** Every role header a chat template adds around a message, counted once per message. */
const TEMPLATE_TOKENS_PER_MESSAGE = 4;

/** Chat: a final assistant message is a prefill to continue; the rest is the conversation. */
export function chatPrompt(messages: readonly ChatMessageLike[]): PromptParts {
  const last = messages[messages.length - 1];
  const prefill = last?.role === 'assistant';
  const conversation = prefill ? messages.slice(0, -1) : messages;
  const userText = conversation.map((m) => m.content).join('\n\n');
  const prefix = prefill ? last.content : '';
  return parts(userText, prefix, messages.length * TEMPLATE_TOKENS_PER_MESSAGE);
}

/** /api/generate without raw: the prompt is the user message, templated by the server. */
export function templatedPrompt(prompt: string, system: string | undefined): PromptParts {
  return parts(system ? `${system}\n\n${prompt}` : prompt, '', 2 * TEMPLATE_TOKENS_PER_MESSAGE);
}

/** A prompt already rendered with a chat template: the reply so far follows the last assistant marker. */
export function rawPrompt(prompt: string): PromptParts {
  const marker = lastMarker(prompt, ASSISTANT_MARKERS);
  return marker ? parts(prompt.slice(0, marker.at), prompt.slice(marker.end), 0) : parts(prompt, '', 0);
}

/** /v1/completions: a raw prompt, or a "Problem: … Solution:" transcript whose solution is continued. */
export function completionPrompt(prompt: string): PromptParts {
  const solutionLine = /(?:^|\n)Solution:[ \t]*\n?/g;
  let solution: { at: number; end: number } | undefined;
  for (const match of prompt.matchAll(solutionLine)) solution = { at: match.index, end: match.index + match[0].length };
  const marker = lastMarker(prompt, ASSISTANT_MARKERS);
  const start = [solution, marker].filter((m) => m !== undefined).sort((a, b) => b.at - a.at)[0];
  return start ? parts(prompt.slice(0, start.at), prompt.slice(start.end), 0) : parts(prompt, '', 0);
}

function lastMarker(text: string, markers: readonly string[]): { at: number; end: number } | undefined {
  const found = markers
    .map((m) => ({ at: text.lastIndexOf(m), end: text.lastIndexOf(m) + m.length }))
    .filter((m) => m.at >= 0)
    .sort((a, b) => b.at - a.at);
  return found[0];
}

function parts(userText: string, prefix: string, templateTokens: number): PromptParts {
  return { userText, prefix, promptTokens: tokenize(userText).length + tokenize(prefix).length + templateTokens };
}
