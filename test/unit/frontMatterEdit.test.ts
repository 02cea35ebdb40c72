import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseProblemFile } from '../../src/core/problem/problemFile';
import { setFrontMatterKey } from '../../src/core/authoring/frontMatterEdit';

function apply(text: string, key: string, value: string, comment?: string): string {
  const { span, newText } = setFrontMatterKey(text, key, value, comment);
  return text.slice(0, span.start) + newText + text.slice(span.end);
}

describe('setFrontMatterKey', () => {
  test('replaces an existing key in place, its old comment with it', () => {
    const text = '---\nid: p1\ndifficulty: easy  # llama 8/8\nanswer: 3\n---\n\nFind $x$.\n';
    assert.equal(apply(text, 'difficulty', 'hard', 'qwen2.5:1.5b 2/8 correct'), '---\nid: p1\ndifficulty: hard  # qwen2.5:1.5b 2/8 correct\nanswer: 3\n---\n\nFind $x$.\n');
    assert.equal(apply(text, 'answer', '"\\frac{1}{2}"'), '---\nid: p1\ndifficulty: easy  # llama 8/8\nanswer: "\\frac{1}{2}"\n---\n\nFind $x$.\n');
  });

  test('a multi-line value is replaced entirely, the keys after it stay', () => {
    const text = '---\nanswer: |\n  \\frac{1}{2}\n\n  or so\ntags:\n- algebra\n- easy\n# keep this\nlevel: 2\n---\nBody\n';
    assert.equal(apply(text, 'answer', '4'), '---\nanswer: 4\ntags:\n- algebra\n- easy\n# keep this\nlevel: 2\n---\nBody\n');
    assert.equal(apply(text, 'tags', '[geometry]'), '---\nanswer: |\n  \\frac{1}{2}\n\n  or so\ntags: [geometry]\n# keep this\nlevel: 2\n---\nBody\n');
  });

  test('a missing key goes before the closing ---, with its comment', () => {
    const text = '---\nid: p1\n---\nFind $x$.\n';
    const out = apply(text, 'difficulty', 'medium', 'qwen2.5:1.5b 4/8 correct');
    assert.equal(out, '---\nid: p1\ndifficulty: medium  # qwen2.5:1.5b 4/8 correct\n---\nFind $x$.\n');
    assert.equal(parseProblemFile(apply(text, 'answer', '"3"')).answer, '3');
  });

  test('nested keys of the same name are not top-level keys', () => {
    const text = '---\nmeta:\n  answer: 1\n---\nQ\n';
    assert.equal(apply(text, 'answer', '2'), '---\nmeta:\n  answer: 1\nanswer: 2\n---\nQ\n');
  });

  test('without front matter a block is created at the top, after a byte order mark', () => {
    assert.equal(apply('Find $x$ if $x+1=2$.\n', 'answer', '1'), '---\nanswer: 1\n---\n\nFind $x$ if $x+1=2$.\n');
    assert.equal(apply('\uFEFFFind $x$.\n', 'answer', '1'), '\uFEFF---\nanswer: 1\n---\n\nFind $x$.\n');
    assert.equal(apply('', 'answer', '1'), '---\nanswer: 1\n---\n');
    // An unclosed block is not front matter: a proper one goes on top.
    assert.equal(apply('---\nid: x\nFind.\n', 'answer', '1'), '---\nanswer: 1\n---\n\n---\nid: x\nFind.\n');
  });

  test('CRLF documents stay CRLF, multi-line values included', () => {
    const text = '\uFEFF---\r\nid: p1\r\nanswer: 2  # old\r\n---\r\nFind $x$.\r\n';
    assert.equal(apply(text, 'answer', '|-\n  x = 1\n  y = 2', 'a system'), '\uFEFF---\r\nid: p1\r\nanswer: |-  # a system\r\n  x = 1\r\n  y = 2\r\n---\r\nFind $x$.\r\n');
    assert.equal(apply(text, 'level', '3'), '\uFEFF---\r\nid: p1\r\nanswer: 2  # old\r\nlevel: 3\r\n---\r\nFind $x$.\r\n');
    assert.equal(apply('Find $x$.\r\n', 'answer', '1'), '---\r\nanswer: 1\r\n---\r\n\r\nFind $x$.\r\n');
    const parsed = parseProblemFile(apply(text, 'answer', '|-\n  x = 1\n  y = 2', 'a system'));
    assert.equal(parsed.answer, 'x = 1\ny = 2');
  });

  test('offsets are UTF-16 code units, so text with astral characters before the key is edited in the right place', () => {
    const text = '---\ntitle: 𝔽 fields 😀\nanswer: 1\n---\nQ\n';
    const edit = setFrontMatterKey(text, 'answer', '2');
    assert.equal(text.slice(edit.span.start, edit.span.end), 'answer: 1');
    assert.equal(apply(text, 'answer', '2'), '---\ntitle: 𝔽 fields 😀\nanswer: 2\n---\nQ\n');
  });
});
