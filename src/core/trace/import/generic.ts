/** Generic records: a problem (`problem`, `question`, `query`, `prompt`…) and one response or a
 * list of them (`response`, `output`, `completion`, `code`…; `solution` last, since in datasets
 * that have both it is the reference solution). Each response is a chain; `<think>` and Sky-T1's
 * `<|begin_of_thought|>` sections are read as thinking. Per-response `pred` (the source's extracted
 * answer), `score` (its correctness) and `pred_score` (a reward) are kept when present, as in the
 * Qwen2.5-Math and SkyThought evaluation outputs. */
import { asBoolean, asNumber, firstString, goldAnswer, isObject, oneLine, perSample, recordId, stringList, type JsonObject } from './fields';
import { addResponse } from './response';
import { RunBuilder, UNKNOWN_MODEL, type Verdict } from './runBuilder';
import type { ReadRecord, RecordFormat } from './types';

const PROBLEM_KEYS = ['problem', 'question', 'query', 'prompt', 'instruction', 'input'];
const RESPONSE_KEYS = ['response', 'responses', 'output', 'outputs', 'completion', 'generation', 'generations', 'code', 'solution'];
const VERDICT_KEYS = ['score', 'correct', 'is_correct'];

function responsesOf(record: JsonObject): { key: string; texts: string[] } | undefined {
  for (const key of RESPONSE_KEYS) {
    const texts = stringList(record[key]);
    if (texts) return { key, texts };
  }
  return undefined;
}

function verdictOf(record: JsonObject, i: number, samples: number): Verdict | undefined {
  for (const key of VERDICT_KEYS) {
    const correct = asBoolean(perSample(record[key], i, samples));
    if (correct !== undefined) return { correct, from: `the record's ${key} field` };
  }
  return undefined;
}

export const generic: RecordFormat = {
  format: 'generic-jsonl',
  read(value: unknown): ReadRecord | string {
    if (!isObject(value)) return 'not a JSON object';
    const problem = firstString(value, PROBLEM_KEYS);
    if (!problem) return `no problem text (looked for ${PROBLEM_KEYS.map((k) => `\`${k}\``).join(', ')})`;
    const responses = responsesOf(value);
    if (!responses) return `no response text (looked for ${RESPONSE_KEYS.map((k) => `\`${k}\``).join(', ')})`;
    const { texts } = responses;
    const id = recordId(value);
    const model = firstString(value, ['model', 'generator', 'model_name'])?.value ?? UNKNOWN_MODEL;
    const verdicts = texts.map((_, i) => verdictOf(value, i, texts.length));
    const judged = verdicts.filter((v) => v !== undefined);
    return {
      label: () => [
        id,
        model === UNKNOWN_MODEL ? undefined : model,
        texts.length > 1 ? `${texts.length} responses` : undefined,
        judged.length ? `${judged.filter((v) => v.correct).length}/${judged.length} correct` : undefined,
        oneLine(problem.value, 60),
      ].filter(Boolean).join(' · '),
      convert(origin) {
        const run = new RunBuilder({ id, text: problem.value, answer: goldAnswer(value) }, model);
        texts.forEach((text, i) => {
          const pred = perSample(value.pred, i, texts.length);
          const where = texts.length > 1 ? `response ${i + 1}: ` : '';
          const answerAt = addResponse(run, i, { text, pred: typeof pred === 'string' ? pred : undefined, verdict: verdicts[i], where });
          if (answerAt) run.score(answerAt, 'record.pred_score', asNumber(perSample(value.pred_score, i, texts.length)));
        });
        return run.finish(origin);
      },
    };
  },
};
