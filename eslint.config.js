// Lint, including the layer table of ARCHITECTURE.md at error level: a wrong import fails CI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Node built-ins by their bare module names only (the `node:` prefix catches the rest); paths
// are never matched, so a renderer folder named util/ is fine.
const nodeBuiltins = ['node:*', 'fs', 'fs/promises', 'path', 'child_process', 'os', 'crypto', 'worker_threads', 'http', 'net', 'url', 'util', 'stream', 'zlib'];

const layer = (files, forbidden, message, exactNames = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { paths: exactNames.map((name) => ({ name, message })), patterns: forbidden.map((group) => ({ group, message })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/', '**/dist/', 'test-results/', 'playwright-report/', 'bench/out/', 'samples/scenario/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  layer(
    ['core/**/*.ts'],
    [['electron', 'electron/*'], ['react', 'react-dom', 'react/*', 'react-dom/*'], ['**/renderer/**', '**/electron/**', '**/cli/**']],
    'core/ is the pure domain: it never imports Electron, React, renderer/, electron/ or cli/ (ARCHITECTURE.md).',
  ),
  layer(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    [['node:*'], ['@duckdb/*'], ['electron', 'electron/*'], ['**/electron/**', '**/cli/**'], ['**/core/**', '!**/core/api.ts', '!**/core/model/*.ts']],
    'renderer/ talks only to WorkbenchApi: no Node built-ins, DuckDB, Electron or core internals (ARCHITECTURE.md).',
    nodeBuiltins.filter((n) => !n.includes('*')),
  ),
  layer(
    ['electron/**/*.ts'],
    [['**/renderer/**', '!**/renderer/dist/**'], ['**/cli/**']],
    'electron/ loads the built renderer bundle and uses core/; it never imports renderer/ or cli/ sources (ARCHITECTURE.md).',
  ),
  layer(
    ['cli/**/*.ts'],
    [['electron', 'electron/*'], ['**/renderer/**', '**/electron/**'], ['react', 'react-dom']],
    'cli/ uses core/ only: never Electron or renderer/ (ARCHITECTURE.md).',
  ),
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
