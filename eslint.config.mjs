import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.e2e/**', 'test-output/**', 'bench/results/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The engine, CLI and language server run outside VS Code: they must never import its API.
    // The annotation computations are pure too (unit-tested and benchmarked outside VS Code); only
    // editor.ts and commands.ts map them onto the editor. So are the problem-run results and the
    // difficulty pilot's reading (src/extension/problems).
    files: ['src/core/**', 'src/cli/**', 'src/server/**', 'src/extension/annotations/**', 'src/extension/problems/**'],
    ignores: ['src/extension/annotations/editor.ts', 'src/extension/annotations/commands.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core, src/cli, src/server and the pure parts of src/extension must not depend on the VS Code API.' }] }] },
  },
  {
    // The webview renders; it never talks to a model server.
    files: ['webview/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['ollama', '**/core/model/**', 'node:*'], message: 'The webview only renders what the extension sends it.' }] }],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
);
