// Lint for the whole repo (flat config, not type-aware so it stays fast: `tsc -p <layer>` does the
// type checking). Besides style, this file enforces the layering described in docs/ARCHITECTURE.md:
//   shared/                      isomorphic: no electron, no Node built-ins, no DOM / Node globals
//   electron/{core,server,headless}  Node only: never electron (dynamic import or require included)
//   electron/preload             sandboxed: electron only, no Node built-ins, no app code but shared/
//   renderer/                    browser: no electron, no Node built-ins, nothing from electron/;
//                                only stores (stores/, features/*/*-store.ts) use the API client
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every Node built-in, bare (`fs`, `fs/promises`) or with the `node:` prefix. */
const nodeBuiltins = {
  regex: `^(node:.*|(${builtinModules.map(escape).join('|')})(/.*)?)$`,
  caseSensitive: true,
};

const electronModule = { regex: '^electron(/.*)?$', caseSensitive: true };

const layer = (message, ...patterns) => patterns.map((p) => ({ ...p, message }));

const noElectron = layer("This layer must run without Electron: keep 'electron' inside electron/main and electron/preload.", electronModule);
const noNode = (where) => layer(`${where} must not use Node built-ins.`, nodeBuiltins);
const noRelative = (message, ...dirs) =>
  layer(message, { regex: `^(\\.\\./)+(${dirs.join('|')})(/|$)`, caseSensitive: true });

/** Also catch `import('electron')` and `require('electron')`, which no-restricted-imports does not see. */
const noElectronSyntax = [
  'error',
  {
    selector: "ImportExpression[source.value=/^electron(\\u002F|$)/]",
    message: "This layer must run without Electron: no import('electron').",
  },
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\u002F|$)/]",
    message: "This layer must run without Electron: no require('electron').",
  },
];

const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval',
    'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone', 'fetch',
    'AbortController', 'AbortSignal', 'TextEncoder', 'TextDecoder',
  ].map((name) => [name, 'readonly']),
);

const browserOnlyGlobals = ['window', 'document', 'navigator', 'location', 'history', 'localStorage', 'sessionStorage', 'fetch', 'XMLHttpRequest', 'EventSource', 'WebSocket', 'indexedDB'];
const nodeOnlyGlobals = ['process', 'Buffer', 'require', 'module', 'exports', '__dirname', '__filename', 'global', 'setImmediate'];

const unusedOptions = {
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
};

export default defineConfig([
  globalIgnores(['out/', 'dist/', 'node_modules/', 'coverage/', 'test-results/', 'data/', '.kiln/', '.scratch/']),

  { files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'], extends: [js.configs.recommended] },
  { files: ['**/*.{ts,mts,cts,tsx}'], extends: [tseslint.configs.recommended] },
  // `_`-prefixed names are deliberately unused (callback arguments, ignored tuple slots).
  { files: ['**/*.{js,mjs,cjs}'], rules: { 'no-unused-vars': ['error', unusedOptions] } },
  {
    files: ['**/*.{ts,mts,cts,tsx}'],
    rules: { 'no-unused-vars': 'off', '@typescript-eslint/no-unused-vars': ['error', unusedOptions] },
  },
  // Plain JS (config files, scripts, bin/) runs under Node.
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: nodeGlobals } },

  // ---- layering -------------------------------------------------------------------------------
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noElectron,
            ...noNode('shared/ (isomorphic code)'),
            ...noRelative('shared/ imports nothing from the layers built on it.', 'electron', 'renderer'),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[...browserOnlyGlobals, ...nodeOnlyGlobals].map((name) => ({
          name,
          message: `shared/ runs in Node and the browser: no \`${name}\` here (pass what you need in).`,
        })),
      ],
      'no-restricted-syntax': noElectronSyntax,
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/server/**/*.ts', 'electron/headless/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noElectron,
            ...noRelative('The core, server and CLI never import the Electron shell or the UI.', 'main', 'preload', 'renderer'),
          ],
        },
      ],
      'no-restricted-syntax': noElectronSyntax,
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNode('The sandboxed preload (it can require only electron)'),
            ...noRelative('The preload exposes { invoke, on } only: no app code but shared/.', 'core', 'main', 'server', 'headless', 'renderer'),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: noRelative('The main process talks to the UI over IPC only.', 'renderer', 'preload') },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...layer("The renderer reaches the core through the API client only, never 'electron'.", electronModule),
            ...noNode('The renderer (it also runs in ordinary browsers)'),
            ...noRelative('The renderer imports shared/ only, nothing from electron/.', 'electron'),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...nodeOnlyGlobals.map((name) => ({ name, message: `The renderer runs in a browser: no \`${name}\`.` })),
      ],
    },
  },
  {
    // One caller of the client: stores (shared ones in stores/, a feature's own as
    // features/<feature>/*-store.ts). Components read stores (types from api/ are fine).
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/stores/**', 'renderer/src/features/*/*-store.ts', 'renderer/src/api/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\.?/)+api(/.*)?$',
              caseSensitive: true,
              allowTypeImports: true,
              message: 'Only stores (renderer/src/stores, features/*/*-store.ts) call the API client; use a store here.',
            },
          ],
        },
      ],
    },
  },
]);
