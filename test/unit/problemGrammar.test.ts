// The TextMate grammar of *.problem.md (media/problem.tmLanguage.json): front matter, math, [asy].
//
// Lines are tokenised with vscode-textmate + vscode-oniguruma, the engine VS Code itself runs. Our
// grammar includes `text.html.markdown` and `source.yaml`, which ship inside VS Code and are not
// installable from npm, so every case runs against small STAND-INS for those two grammars (below;
// they copy the rules of VS Code's Markdown grammar that matter here: paragraphs that end at every
// line, list paragraphs that continue, headings, emphasis, code spans, escapes, shortcut links).
// When the real-VS-Code test host is installed (`.e2e/`, by `npm run test:e2e`), the same cases
// run once more against VS Code's own Markdown and YAML grammars.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, type IGrammar, type IGrammarConfiguration, type IRawGrammar, parseRawGrammar } from 'vscode-textmate';

const root = join(__dirname, '..', '..');
const GRAMMAR = join(root, 'media', 'problem.tmLanguage.json');
const SCOPE = 'text.html.markdown.math-problem';

// ---- stand-ins for the grammars VS Code provides ----------------------------------------------

const standInMarkdown = {
  scopeName: 'text.html.markdown',
  patterns: [{ include: '#block' }],
  repository: {
    block: {
      patterns: [
        { include: '#separator' },
        { include: '#heading' },
        { include: '#blockquote' },
        { include: '#lists' },
        { include: '#fenced_code_block' },
        { include: '#raw_block' },
        { include: '#paragraph' },
      ],
    },
    separator: { match: '(^|\\G)[ ]{0,3}([\\*\\-\\_])([ ]{0,2}\\2){2,}[ \\t]*$\\n?', name: 'meta.separator.markdown' },
    heading: {
      match: '(?:^|\\G)[ ]{0,3}(#{1,6})\\s+(.*?)\\s*$',
      name: 'markup.heading.markdown',
      captures: {
        '1': { name: 'punctuation.definition.heading.markdown' },
        '2': { name: 'entity.name.section.markdown', patterns: [{ include: '#inline' }] },
      },
    },
    blockquote: {
      begin: '(^|\\G)[ ]{0,3}(>) ?',
      while: '(^|\\G)\\s*(>) ?',
      name: 'markup.quote.markdown',
      patterns: [{ include: '#block' }],
    },
    lists: {
      begin: '(^|\\G)([ ]{0,3})([*+-])([ \\t])',
      while: '((^|\\G)([ ]{2,4}|\\t))|(^[ \\t]*$)',
      name: 'markup.list.unnumbered.markdown',
      patterns: [{ include: '#block' }, { include: '#list_paragraph' }],
    },
    list_paragraph: {
      begin: '(^|\\G)(?=\\S)(?![*+->]\\s|[0-9]+\\.\\s)',
      while: '(^|\\G)(?!\\s*$|#|[ ]{0,3}[*+->]|[ ]{0,3}[0-9]+\\.)',
      name: 'meta.paragraph.markdown',
      patterns: [{ include: '#inline' }],
    },
    fenced_code_block: {
      begin: '(^|\\G)(\\s*)(`{3,}|~{3,})\\s*(?=([^`~]*)?$)',
      end: '(^|\\G)(\\2|\\s{0,3})(\\3)\\s*$',
      name: 'markup.fenced_code.block.markdown',
    },
    raw_block: { begin: '(^|\\G)([ ]{4}|\\t)', while: '(^|\\G)([ ]{4}|\\t)', name: 'markup.raw.block.markdown' },
    // As in VS Code: a paragraph continues only onto setext underlines and indented lines, so each
    // ordinary line starts a paragraph of its own.
    paragraph: {
      begin: '(^|\\G)[ ]{0,3}(?=[^ \\t\\n])',
      while: '(^|\\G)((?=\\s*[-=]{3,}\\s*$)|[ ]{4,}(?=[^ \\t\\n]))',
      name: 'meta.paragraph.markdown',
      patterns: [{ include: '#inline' }],
    },
    inline: {
      patterns: [{ include: '#italic' }, { include: '#raw' }, { include: '#escape' }, { include: '#link-ref-shortcut' }],
    },
    // VS Code's opening rule for emphasis, with a simple closer.
    italic: {
      match: '(\\*(?=\\w)|(?<!\\w)\\*|(?<!\\w)\\b_)(?=\\S)(.+?)(?<=\\S)(\\1)',
      name: 'markup.italic.markdown',
    },
    raw: { match: '(`+)((?:[^`]|(?!(?<!`)\\1(?!`))`)*+)(\\1)', name: 'markup.inline.raw.string.markdown' },
    escape: { match: '\\\\[-`*_#+.!(){}\\[\\]\\\\>]', name: 'constant.character.escape.markdown' },
    'link-ref-shortcut': {
      match: '(?<![\\]\\\\])(\\[)((?:[^\\s\\[\\]\\\\]|\\\\[\\[\\]])+?)((?<!\\\\)\\])',
      name: 'meta.link.reference.markdown',
    },
  },
};

const standInYaml = {
  scopeName: 'source.yaml',
  patterns: [
    {
      match: '^\\s*([\\w-]+)\\s*(:)',
      captures: { '1': { name: 'entity.name.tag.yaml' }, '2': { name: 'punctuation.separator.key-value.mapping.yaml' } },
    },
    { match: '"[^"]*"', name: 'string.quoted.double.yaml' },
    // Deliberately greedy, like a real block scalar: it would run to the end of the file if the
    // closing fence did not stop it.
    { begin: '\\|\\s*$', end: '(?!)', name: 'string.unquoted.block.yaml' },
    { match: '\\S.*$', name: 'string.unquoted.plain.out.yaml' },
  ],
};

// ---- the real grammars, when the e2e host has been installed ----------------------------------

const vscodeExtensions = join(root, '.e2e', 'cs', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions');

function realGrammarFiles(): Map<string, string> | undefined {
  const markdown = join(vscodeExtensions, 'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json');
  const yamlDir = join(vscodeExtensions, 'yaml', 'syntaxes');
  if (!existsSync(markdown) || !existsSync(yamlDir)) return undefined;
  const files = new Map<string, string>([['text.html.markdown', markdown]]);
  for (const name of readdirSync(yamlDir)) {
    if (!name.endsWith('.json')) continue;
    const path = join(yamlDir, name);
    const { scopeName } = JSON.parse(readFileSync(path, 'utf8')) as { scopeName: string };
    files.set(scopeName, path);
  }
  return files;
}

// ---- tokenising -------------------------------------------------------------------------------

let onig: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  onig ??= oniguruma.loadWASM(readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm')).buffer as ArrayBuffer);
  return onig;
}

async function loadProblemGrammar(external: (scope: string) => IRawGrammar | null, config: IGrammarConfiguration = {}): Promise<IGrammar> {
  await loadOniguruma();
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => (scope === SCOPE ? parseRawGrammar(readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : external(scope)),
  });
  const grammar = await registry.loadGrammarWithConfiguration(SCOPE, 1, config);
  assert.ok(grammar, 'the problem grammar loads');
  return grammar;
}

interface Token { line: number; start: number; end: number; text: string; scopes: string[] }

class Doc {
  readonly lines: string[];
  readonly tokens: Token[] = [];
  constructor(grammar: IGrammar, text: string) {
    this.lines = text.split('\n');
    let state = INITIAL;
    this.lines.forEach((line, i) => {
      const r = grammar.tokenizeLine(line, state);
      for (const t of r.tokens) {
        this.tokens.push({ line: i, start: t.startIndex, end: Math.min(t.endIndex, line.length), text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
      }
      state = r.ruleStack;
    });
  }

  /**
   * Tokens covering the `nth` occurrence of `text` in the document (within one line). Brackets
   * pick a part of it: `at('\\frac{«3»x-2}')` is the tokens of that 3 only.
   */
  at(text: string, nth = 0): Token[] {
    const open = text.indexOf('«');
    const close = text.indexOf('»');
    const whole = text.replace('«', '').replace('»', '');
    const [from, to] = open < 0 ? [0, whole.length] : [open, close - 1];
    let found = -1;
    for (let line = 0; line < this.lines.length; line++) {
      for (let i = this.lines[line].indexOf(whole); i >= 0; i = this.lines[line].indexOf(whole, i + 1)) {
        if (++found !== nth) continue;
        const covering = this.tokens.filter((t) => t.line === line && t.start < i + to && t.end > i + from);
        assert.ok(covering.length > 0, `no tokens for ${JSON.stringify(text)}`);
        return covering;
      }
    }
    assert.fail(`${JSON.stringify(whole)} (occurrence ${nth}) is not in the document`);
  }

  /** Every character of `text` carries a scope starting with `scope`. */
  has(text: string, scope: string, nth = 0): void {
    for (const t of this.at(text, nth)) {
      assert.ok(t.scopes.some((s) => s === scope || s.startsWith(`${scope}.`)),
        `${JSON.stringify(text)}: token ${JSON.stringify(t.text)} lacks ${scope}; has ${t.scopes.join(' ')}`);
    }
  }

  /** No character of `text` carries a scope starting with `scope`. */
  lacks(text: string, scope: string, nth = 0): void {
    for (const t of this.at(text, nth)) {
      assert.ok(!t.scopes.some((s) => s === scope || s.startsWith(`${scope}.`)),
        `${JSON.stringify(text)}: token ${JSON.stringify(t.text)} has ${scope}: ${t.scopes.join(' ')}`);
    }
  }
}

// ---- the cases --------------------------------------------------------------------------------

const INLINE = 'markup.math.inline.markdown';
const BLOCK = 'markup.math.block.markdown';
const FRONT = 'meta.embedded.block.frontmatter';

function cases(load: () => Promise<IGrammar>): void {
  let grammar: IGrammar | undefined;
  const doc = async (text: string) => new Doc((grammar ??= await load()), text);

  test('front matter at the top is YAML between scoped fences; the body after it is Markdown with math', async () => {
    const d = await doc(readFileSync(join(root, 'test', 'fixtures', 'problems', 'rational-function-sum.problem.md'), 'utf8'));
    d.has('---', 'punctuation.definition.tag.begin.frontmatter', 0);
    d.lacks('---', FRONT, 0);
    d.has('answer', FRONT);
    d.has('answer', 'entity.name.tag.yaml');
    d.has('\\frac{14}{3}', FRONT);
    d.lacks('\\frac{14}{3}', 'markup.math'); // the answer in YAML is a YAML value, not math
    d.has('---', 'punctuation.definition.tag.end.frontmatter', 1);
    d.lacks('---', FRONT, 1);
    d.lacks('If ', FRONT);
    d.has('f(x) = \\frac{3x-2}{x-2}', INLINE);
    d.has('\\frac', 'support.function.math.tex', 1);
    d.has('\\frac{«3»x-2}', 'constant.numeric.math.tex');
    d.has('f(-2) +f(-1)+f(0)', INLINE);
    d.lacks('? Express your answer', 'markup.math');
  });

  test('the front matter closes at its fence even after a YAML block scalar', async () => {
    const d = await doc('---\nanswer: |\n  x\n---\nFind $y$.');
    d.has('  x', FRONT);
    d.lacks('Find', FRONT);
    d.has('$«y»$', INLINE);
  });

  test('--- further down is Markdown, not front matter', async () => {
    const d = await doc('Intro text.\n\n---\nid: not-front-matter\n---\n');
    d.lacks('id: not-front-matter', FRONT);
    d.lacks('---', 'punctuation.definition.tag', 0);
  });

  test('$x^2$ is inline math with its delimiters, operators and numbers scoped', async () => {
    const d = await doc('Compute $x^2$ now.');
    d.has('$', 'punctuation.definition.math.begin.markdown', 0);
    d.has('$', 'punctuation.definition.math.end.markdown', 1);
    d.has('x^2', INLINE);
    d.has('^', 'keyword.operator', 0);
    d.has('2', 'constant.numeric.math.tex');
    d.lacks('Compute ', 'markup.math');
    d.lacks(' now.', 'markup.math');
  });

  test('math wins over Markdown emphasis: * and _ inside $…$ are operators, not italics', async () => {
    const d = await doc('If $a*b = 6$ and $c*d = 8$, find $x_1 + y_1$.');
    for (const text of ['a*b = 6', ' and ', 'c*d = 8', 'x_1 + y_1']) d.lacks(text, 'markup.italic');
    d.has('a*b = 6', INLINE);
    d.has('c*d = 8', INLINE);
    d.has('*', 'keyword.operator.math.tex', 0);
    d.has('_', 'keyword.operator.script.math.tex', 0);
    d.lacks(' and ', 'markup.math');
  });

  test('$$ … $$ spans lines as display math; the text after it is not math', async () => {
    const d = await doc('Show that\n$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$\nholds.');
    d.has('$$', 'punctuation.definition.math.begin.markdown', 0);
    d.has('\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}', BLOCK);
    d.has('\\sum', 'support.function.math.tex');
    d.has('{', 'punctuation.definition.group.begin.math.tex', 0);
    d.has('1', 'constant.numeric.math.tex', 0);
    d.has('$$', 'punctuation.definition.math.end.markdown', 1);
    d.lacks('holds.', 'markup.math');
    d.lacks('Show that', 'markup.math');
  });

  test('\\( … \\) is inline math and \\[ … \\] display math, on one line or across lines', async () => {
    const d = await doc('Let \\(x = \\sqrt{2}\\) be given.\n\n\\[\n\\left( x + 1 \\right)^2 = 3\n\\]\nand \\[y = 4\\] too.');
    d.has('x = \\sqrt{2}', INLINE);
    d.has('\\sqrt', 'support.function.math.tex');
    d.has('\\(', 'punctuation.definition.math.begin.markdown');
    d.has('\\)', 'punctuation.definition.math.end.markdown');
    d.lacks(' be given.', 'markup.math');
    d.has('\\left( x + 1 \\right)^2 = 3', BLOCK);
    d.has('\\left', 'keyword.control');
    d.has('3', 'constant.numeric.math.tex', 0);
    d.has('y = 4', BLOCK);
    d.lacks(' too.', 'markup.math');
    d.lacks('and ', 'markup.math');
  });

  test('\\$5 is a dollar amount, not math; so is $5 and $10 without a closing $ after a non-space', async () => {
    const d = await doc('It costs \\$5 and \\$10 in total.\n\nPay $5 and $10 today.');
    d.lacks('\\$5 and \\$10 in total.', 'markup.math');
    d.has('\\$', 'constant.character.escape', 0);
    d.lacks('$5 and $10 today.', 'markup.math');
  });

  test('\\text{…} inside math reads as prose; commands and numbers around it are tokens', async () => {
    const d = await doc('The perimeter is $2(21\\text{ inches})=\\boxed{42}$ inches.');
    d.has(' inches', 'string.unquoted.text.math.tex', 0);
    d.has('\\text', 'support.function');
    d.has('\\boxed', 'support.function.math.tex');
    d.has('42', 'constant.numeric.math.tex');
    d.lacks(' inches.', 'markup.math');
  });

  test('[asy] … [/asy] is raw Asymptote code, not math or Markdown, even after text on its line', async () => {
    const d = await doc('Which is largest? [asy]\ndraw((0,0)--(1,1));\n\nlabel("$A$", (0,0), W);\n[/asy] Explain $x$.\n\n[asy]\nlabel("$B$", (1,0));\n[/asy]');
    d.lacks('Which is largest? ', 'markup.raw');
    d.has('asy', 'entity.name.tag', 0);
    d.has('draw((0,0)--(1,1));', 'markup.raw.block.asymptote');
    d.has('label("$A$", (0,0), W);', 'markup.raw.block.asymptote');
    d.lacks('$A$', 'markup.math');
    d.lacks('[asy]', 'meta.link'); // not a Markdown shortcut link
    d.has('Explain $«x»$', INLINE);
    d.lacks('Explain ', 'markup.raw');
    d.has('label("$B$", (1,0));', 'markup.raw.block.asymptote');
    d.lacks('$B$', 'markup.math');
  });

  test('a code span keeps its $ literal; math after it still counts', async () => {
    const d = await doc('Type `$x$` to get $y$.');
    d.has('`$x$`', 'markup.inline.raw');
    d.lacks('$x$', 'markup.math');
    d.has('$«y»$', INLINE);
  });

  test('math in headings, list items and block quotes', async () => {
    const d = await doc('# Find $h_1$\n\n- item $i^2$\n  $$\n  \\int_0^1 t\\,dt\n  $$\n\n> quoted $q$');
    d.has('h_1', INLINE);
    d.has('i^2', INLINE);
    d.has('\\int_0^1 t\\,dt', BLOCK);
    d.has('\\,', 'constant.character.escape.math.tex');
    d.has('$«q»$', INLINE);
  });

  test('a fenced code block keeps its $ literal', async () => {
    const d = await doc('```\necho $HOME $PATH\n```\n$z$');
    d.lacks('echo $HOME $PATH', 'markup.math');
    d.has('$«z»$', INLINE);
  });

  test('every bundled sample: its statement is outside the front matter and every $…$ pair is math', async () => {
    const dir = join(root, 'media', 'samples');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.problem.md'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      const d = await doc(text);
      const body = d.lines.findIndex((l, i) => i > 0 && l === '---') + 1;
      assert.ok(body > 1, `${name}: front matter closes`);
      for (let i = 1; i < body - 1; i++) d.has(d.lines[i], FRONT, 0);
      for (const t of d.tokens.filter((t) => t.line >= body && t.text.trim() !== '')) {
        assert.ok(!t.scopes.includes(FRONT), `${name}: ${t.text} is not front matter`);
      }
      for (const m of text.slice(text.indexOf('\n---', 3) + 4).matchAll(/\$([^$]+)\$/g)) d.has(`$«${m[1]}»$`, INLINE);
    }
  });
}

const standIns = (scope: string) => {
  if (scope === 'text.html.markdown') return standInMarkdown as unknown as IRawGrammar;
  if (scope === 'source.yaml') return standInYaml as unknown as IRawGrammar;
  return null;
};

describe('problem grammar (stand-in Markdown and YAML grammars)', () => {
  cases(() => loadProblemGrammar(standIns));

  test('bracket pair colouring: ( ) [ ] in math may stay open, as in [0, 1); { } and \\( \\) still pair', async () => {
    // What VS Code does with the grammar contribution's unbalancedBracketScopes (balanced: '*').
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: { grammars: { scopeName: string; unbalancedBracketScopes?: string[] }[] };
    };
    const contribution = pkg.contributes.grammars.find((g) => g.scopeName === SCOPE);
    const grammar = await loadProblemGrammar(standIns, {
      balancedBracketSelectors: ['*'],
      unbalancedBracketSelectors: contribution?.unbalancedBracketScopes ?? [],
    });
    const line = 'On $[0, 1)$ the set $\\{x^{2}\\}$ is \\(f(x)\\) (see [1]).';
    const { tokens } = grammar.tokenizeLine2(line, INITIAL);
    const BALANCED_BRACKETS = 1 << 10; // vscode-textmate's EncodedTokenAttributes bit for "brackets here pair"
    const pairs = (needle: string, nth = 0) => {
      let at = -1;
      for (let k = 0; k <= nth; k++) at = line.indexOf(needle, at + 1);
      let metadata = 0;
      for (let i = 0; i < tokens.length; i += 2) if (tokens[i] <= at) metadata = tokens[i + 1];
      return (metadata & BALANCED_BRACKETS) !== 0;
    };
    assert.equal(pairs('[0'), false, 'the [ of a half-open interval is not an unclosed bracket');
    assert.equal(pairs('1)'), false);
    assert.equal(pairs('\\{'), false, 'an escaped brace is a set delimiter, not a group');
    assert.equal(pairs('{2}'), true, 'TeX groups pair');
    assert.equal(pairs('\\('), true, 'math delimiters pair');
    assert.equal(pairs('(see'), true, 'prose brackets pair');
    assert.equal(pairs('[1]'), true);
  });
});

const real = realGrammarFiles();
describe('problem grammar (VS Code\'s own Markdown and YAML grammars)', { skip: real ? false : 'needs the e2e host: npm run pretest:e2e' }, () => {
  cases(() => loadProblemGrammar((scope) => {
    const path = real?.get(scope);
    return path ? parseRawGrammar(readFileSync(path, 'utf8'), path) : null;
  }));
});

describe('problem language configuration (media/problem-language.json)', () => {
  const config = JSON.parse(readFileSync(join(root, 'media', 'problem-language.json'), 'utf8')) as { wordPattern: string };
  /** The word VS Code finds at `offset`: the wordPattern match that contains it. */
  const wordAt = (line: string, offset: number) =>
    [...line.matchAll(new RegExp(config.wordPattern, 'g'))].find((m) => m.index <= offset && offset <= m.index + m[0].length)?.[0];

  test('a LaTeX command is one word with its backslash, so completion replaces all of it', () => {
    const line = 'If $f(x) = \\frac{3x-2}{x-2}$ and \\';
    assert.equal(wordAt(line, line.indexOf('frac') + 2), '\\frac');
    assert.equal(wordAt(line, line.indexOf('\\frac') + 1), '\\frac');
    assert.equal(wordAt(line, line.length), '\\'); // just typed: the completion range starts at the backslash
    assert.equal(wordAt('\\sqrt{2}+\\alpha', 12), '\\alpha');
    assert.equal(wordAt(line, 1), 'If');
  });
});
