// ESLint flat config. Lives in .config/ (the top level holds only the files the product fixes);
// run through `npm run lint`, which passes --config. Patterns below are relative to the repository root.
import fs from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'console',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'querystring',
  'readline',
  'stream',
  'string_decoder',
  'timers',
  'tls',
  'tty',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

const electronBan = {
  group: ['electron', 'electron/*'],
  message: 'The core and shared code run in plain Node: Electron belongs in electron/main or electron/preload only.',
};
const rendererBan = { group: ['**/renderer/**'], message: 'Only the renderer imports renderer code.' };

// Month close, finality and forecasts follow --as-of / VALDRIX_NOW only if nothing in the core reads
// the wall clock behind the injected one. `Date.now` is banned as a value too (`now: Date.now`).
const wallClockMessage =
  'The core reads time only from the injected clock (electron/core/app/clock.ts): clock.now() for the as-of instant, clock.stamp() for when something happens. Use performance.now() for timers and progress throttling.';
const wallClockBan = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: wallClockMessage },
  { selector: "CallExpression[callee.name='Date']", message: wallClockMessage },
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: wallClockMessage },
];

// Capability modules: each folder of electron/core is a capability whose public face is its index.ts.
// Another capability, and the compositions at the top of electron/core (services.ts, context.ts,
// job-catalog.ts), import only that face, so a capability can be read and changed without reading the
// others' insides. A few modules are public faces of their own, for threads that must not load the
// whole capability: the ledger's row format (the scan worker) and the job system (hosts build it).
const CAPABILITIES = fs
  .readdirSync(new URL('../electron/core/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const EXTRA_FACES = { ledger: ['row-batch'], jobs: ['system'] };
const insideOf = (capabilities) =>
  capabilities.map((name) => `${name}/(?!(?:${['index', ...(EXTRA_FACES[name] ?? [])].join('|')})$).+`).join('|');
const capabilityMessage =
  "Import another capability through its public face (its index.ts), not its internals: add what you need to that capability's index.ts.";
const capabilityBan = (own) => ({
  regex: `^(?:\\.\\./)+(?:${insideOf(CAPABILITIES.filter((name) => name !== own))})`,
  message: capabilityMessage,
});
const compositionBan = { regex: `^\\./(?:${insideOf(CAPABILITIES)})`, message: capabilityMessage };

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'electron/core/store/migrations/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['electron/core/**/*.{ts,tsx,js,mjs}', 'electron/host/**/*.{ts,js,mjs}', 'electron/cli/**/*.{ts,js,mjs}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electronBan, rendererBan] }] },
  },
  {
    files: ['electron/core/*.{ts,js,mjs}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electronBan, rendererBan, compositionBan] }] },
  },
  ...CAPABILITIES.map((own) => ({
    files: [`electron/core/${own}/**/*.{ts,tsx,js,mjs}`],
    rules: { 'no-restricted-imports': ['error', { patterns: [electronBan, rendererBan, capabilityBan(own)] }] },
  })),
  {
    files: ['electron/core/**/*.{ts,tsx,js,mjs}'],
    ignores: [
      // The clock module is where the wall clock is read, once, for everyone.
      'electron/core/app/clock.ts',
    ],
    rules: { 'no-restricted-syntax': ['error', ...wallClockBan] },
  },
  {
    files: ['shared/**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'shared/ is isomorphic: no Node built-ins.' })),
          patterns: [
            electronBan,
            rendererBan,
            { group: ['node:*'], message: 'shared/ is isomorphic: no node: imports.' },
            { group: ['**/electron/**'], message: 'shared/ must not depend on the core or the hosts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronBan,
            { group: ['node:*'], message: 'The renderer reaches the core only through the contract.' },
            { group: ['**/electron/**'], message: 'The renderer reaches the core only through the contract.' },
          ],
        },
      ],
    },
  },
);
