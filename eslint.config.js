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
    // A page function that returns a Cytoscape call made for chaining (cy.fit(), ele.addClass(…)) hands the Core or a
    // collection to Playwright, which serializes its whole object graph: gigabytes on a big drawing (it crashed the
    // renderer bench's page). Write the call as a statement in a block body.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name=/^(evaluate|waitForFunction)$/] > ArrowFunctionExpression[body.type='CallExpression'][body.callee.property.name=/^(fit|center|viewport|reset|resize|animate|batch|add|remove|addClass|removeClass|toggleClass|select|unselect|layout|run|mount|destroy|panBy|zoom|pan)$/][body.arguments.length>0], CallExpression[callee.property.name=/^(evaluate|waitForFunction)$/] > ArrowFunctionExpression[body.type='CallExpression'][body.callee.property.name=/^(fit|center|reset|resize|batch|unselect|run|destroy)$/]",
        message: 'This page function returns what a chaining Cytoscape call returns (the Core or a collection): Playwright would serialize it whole. Use a block body.',
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
