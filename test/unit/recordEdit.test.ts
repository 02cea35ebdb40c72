import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseProblemDocument } from '../../src/core/authoring/problemDocument';
import { setRecordKey } from '../../src/core/authoring/recordEdit';

function apply(text: string, line: number, key: string, json: string): string {
  const edit = setRecordKey(text, line, key, json);
  assert.ok(edit, `an edit for line ${line}`);
  return text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
}

const MATH500 = fs.readFileSync(path.resolve(__dirname, '../../media/samples/math500.jsonl'), 'utf8');

describe('setRecordKey', () => {
  test('a missing key goes before the closing brace, spaced like the line; the rest stays byte-identical (a real MATH-500 record)', () => {
    const lines = MATH500.split('\n').slice(0, 3);
    const text = `${lines.join('\n')}\n`;
    const out = apply(text, 2, 'difficulty', '"hard"');
    const [first, second, third] = out.split('\n');
    assert.equal(first, lines[0]);
    assert.equal(third, lines[2]);
    assert.equal(second, `${lines[1].slice(0, -1)}, "difficulty": "hard"}`);
    assert.equal((JSON.parse(second) as { difficulty: string }).difficulty, 'hard');
    // The escapes in the statement are untouched: the record reads as it did, plus the key.
    const before = parseProblemDocument(text, 'set.jsonl').units[1];
    const after = parseProblemDocument(out, 'set.jsonl').units[1];
    assert.equal(after.statement.text, before.statement.text);
    assert.equal(after.answer?.text, before.answer?.text);
  });

  test('an existing key keeps its place; only its value changes (the last of a repeated key)', () => {
    assert.equal(apply('{"problem": "x", "difficulty": "easy", "answer": "1"}\n', 1, 'difficulty', '"hard"'), '{"problem": "x", "difficulty": "hard", "answer": "1"}\n');
    assert.equal(apply('{"difficulty":"easy","problem":"x","difficulty":null}', 1, 'difficulty', '"medium"'), '{"difficulty":"easy","problem":"x","difficulty":"medium"}');
    // A key written with escapes is the same key.
    assert.equal(apply('{"problem": "x", "diff\\u0069culty": "easy"}', 1, 'difficulty', '"hard"'), '{"problem": "x", "diff\\u0069culty": "hard"}');
  });

  test('compact lines get compact members; spaces inside the braces stay where they were; an empty object gets the key alone', () => {
    assert.equal(apply('{"problem":"a \\"b\\" \\\\c","answer":"\\\\frac{1}{2}"}', 1, 'difficulty', '"easy"'), '{"problem":"a \\"b\\" \\\\c","answer":"\\\\frac{1}{2}","difficulty":"easy"}');
    assert.equal(apply('{ "problem": "x" }', 1, 'difficulty', '"easy"'), '{ "problem": "x", "difficulty": "easy" }');
    assert.equal(apply('{"problem":"x"}', 1, 'difficulty', '"easy"'), '{"problem":"x","difficulty":"easy"}');
    assert.equal(apply('{}', 1, 'difficulty', '"easy"'), '{"difficulty": "easy"}');
    // A value that is an object or array, and a brace inside a string, are skipped as values.
    assert.equal(apply('{"problem": "} {", "tags": ["a", {"b": "}"}]}', 1, 'difficulty', '"hard"'), '{"problem": "} {", "tags": ["a", {"b": "}"}], "difficulty": "hard"}');
  });

  test('CRLF files keep their line ends; blank lines and a byte order mark count as the parser counts them', () => {
    const text = '\uFEFF{"problem": "a"}\r\n\r\n{"problem": "b"}\r\n{"problem": "c"}';
    const out = apply(text, 3, 'difficulty', '"medium"');
    assert.equal(out, '\uFEFF{"problem": "a"}\r\n\r\n{"problem": "b", "difficulty": "medium"}\r\n{"problem": "c"}');
    assert.equal(parseProblemDocument(out, 'set.jsonl').units.find((u) => u.line === 3)?.fields.at(-1)?.value, 'medium');
    assert.equal(apply(text, 1, 'difficulty', '"easy"'), '\uFEFF{"problem": "a", "difficulty": "easy"}\r\n\r\n{"problem": "b"}\r\n{"problem": "c"}');
    assert.equal(apply(text, 4, 'difficulty', '"hard"'), '\uFEFF{"problem": "a"}\r\n\r\n{"problem": "b"}\r\n{"problem": "c", "difficulty": "hard"}');
  });

  test('no edit for a line that is missing, blank, not JSON or not an object', () => {
    const text = '{"problem": "a"}\n\n{"problem": \n[1, 2]\n';
    for (const line of [0, 2, 3, 4, 6, 1.5]) assert.equal(setRecordKey(text, line, 'difficulty', '"hard"'), undefined, `line ${line}`);
  });
});

test('the line an edit is addressed by is the line the reader gave the record (byte order mark, CRLF, blank lines)', () => {
  const text = '\ufeff{"problem": "a"}\r\n\r\n{"problem": "b", "answer": "2"}\r\n\n{"problem": "c"}';
  const units = parseProblemDocument(text, 'set.jsonl').units;
  assert.deepEqual(units.map((u) => u.line), [1, 3, 5]);
  for (const unit of units) {
    const edit = setRecordKey(text, unit.line!, 'difficulty', '"hard"')!;
    assert.ok(edit.span.start > unit.span.start && edit.span.end < unit.span.end, `line ${unit.line}`);
  }
});
