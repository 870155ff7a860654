// Flat config. Besides the TypeScript rules, it enforces the layering of ARCHITECTURE.md:
// src never imports electron or UI code, only src/store touches better-sqlite3, the renderer sees
// nothing of src but the API contract, and electron/ has no React.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const UI_PACKAGES = ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', 'cytoscape', 'cytoscape-*'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.ci/out/**', 'test/fixtures/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/store/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'src/ is the engine: no Electron.' },
          { name: 'better-sqlite3', message: 'Only src/store talks to SQLite.' },
        ],
        patterns: [{ group: UI_PACKAGES, message: 'src/ is the engine: no UI libraries.' }],
      }],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'src/ is the engine: no Electron.' }],
        patterns: [{ group: UI_PACKAGES, message: 'src/ is the engine: no UI libraries.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'The renderer reaches the engine only through window.blastmap.' },
          { name: 'better-sqlite3', message: 'The renderer never sees SQL.' },
        ],
        patterns: [
          // A regex: gitignore-style groups cannot re-include a file below an excluded directory.
          { regex: '(^|/)src/(?!api/contract(\\.js)?$)', message: 'The renderer imports only the API contract from src/.' },
          { group: ['node:*'], message: 'The renderer runs sandboxed: no Node modules.' },
        ],
      }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: UI_PACKAGES, message: 'electron/ wires the API to IPC; UI code lives in renderer/.' }],
      }],
    },
  },
);
