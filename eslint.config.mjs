// ESLint (flat config): typescript-eslint's recommended rules, no import cycles, and the layers of
// the code base (README, "Architecture"):
//   src/engine    never imports vscode, src/host or src/cli
//   src/protocol  imports nothing from src/engine, src/host or src/cli
//   src/cli       does not import src/host
//   webview/      imports only src/protocol and itself
//   vscode        only in src/host and src/extension.ts
// `createConfig(root)` builds the config for a tree rooted at `root`; the unit test in
// test/unit/lint runs it on small files in a temporary folder to show that violations fail.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const noVscode = {
  paths: [{ name: 'vscode', message: 'Only src/host (and src/extension.ts) may import vscode.' }],
};

/** @param {string} root the folder holding src/, webview/ and test/ */
export function createConfig(root) {
  const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });
  return tseslint.config(
    {
      // What .gitignore leaves out, the fixtures (generated), and the media.
      ignores: ['dist/**', 'node_modules/**', 'out/**', '.vscode-e2e/**', '.bench-tmp/**', '.cache/**', 'tmp/**', 'test/fixtures/**', 'test/browser/screenshots/**', 'media/**', 'models/**'],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
      files: ['**/*.{ts,mts,js,mjs}'],
      plugins: { 'import-x': importX },
      settings: {
        'import-x/extensions': ['.ts', '.mts', '.js', '.mjs'],
        'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
        'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] },
        'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] })],
      },
      languageOptions: {
        ecmaVersion: 2022,
        sourceType: 'module',
        globals: {
          process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly',
          setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
          setImmediate: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly',
          TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly',
          fetch: 'readonly', performance: 'readonly', globalThis: 'readonly',
        },
      },
      rules: {
        'import-x/no-restricted-paths': [
          'error',
          {
            basePath: root,
            zones: [
              zone('./src/engine', './src/host', 'src/engine must not import src/host.'),
              zone('./src/engine', './src/cli', 'src/engine must not import src/cli.'),
              zone('./src/engine', './src/extension.ts', 'src/engine must not import the extension entry.'),
              zone('./src/protocol', './src/engine', 'src/protocol must not import src/engine.'),
              zone('./src/protocol', './src/host', 'src/protocol must not import src/host.'),
              zone('./src/protocol', './src/cli', 'src/protocol must not import src/cli.'),
              zone('./src/cli', './src/host', 'src/cli must not import src/host.'),
              zone('./webview', './src', 'webview/ may import only src/protocol and itself.', ['./protocol']),
              zone('./webview', './test', 'webview/ may import only src/protocol and itself.'),
              zone('./webview', './bench', 'webview/ may import only src/protocol and itself.'),
              zone('./webview', './scripts', 'webview/ may import only src/protocol and itself.'),
            ],
          },
        ],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
        '@typescript-eslint/no-explicit-any': 'error',
        '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      },
    },
    // Functions handed to the browser (page.waitForFunction and the like), and the browser tests' fake host.
    {
      files: ['scripts/e2e/**/*.mjs', 'test/browser/**/*.{js,mjs}', 'test/e2e/**/*.mjs'],
      languageOptions: {
        globals: {
          document: 'readonly',
          window: 'readonly',
          getComputedStyle: 'readonly',
          HTMLCanvasElement: 'readonly',
          sessionStorage: 'readonly',
          requestAnimationFrame: 'readonly',
          MutationObserver: 'readonly',
        },
      },
    },
    // The `embedlab` launcher is CommonJS.
    {
      files: ['bin/**/*.js'],
      languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly' } },
      rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
    // No runtime import cycles in the product code (`import type` is erased and cannot form one).
    // Tests, benches and scripts import the product but nothing imports them: they cannot close a cycle
    // through it, and leaving them out halves the lint's time.
    {
      files: ['src/**/*.ts', 'webview/**/*.ts'],
      rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
    },
    // vscode only in the host.
    {
      files: ['src/**/*.ts', 'webview/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{mjs,ts}'],
      ignores: ['src/host/**', 'src/extension.ts'],
      rules: { 'no-restricted-imports': ['error', noVscode] },
    },
    // webview/ runs in the browser: no node built-ins or packages either.
    {
      files: ['webview/**/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            ...noVscode,
            patterns: [
              {
                regex: '^(?!\\.)',
                message: 'webview/ may import only src/protocol and itself (relative imports).',
              },
            ],
          },
        ],
      },
    },
  );
}

export default createConfig(import.meta.dirname);
