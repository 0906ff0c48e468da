// ESLint flat config. Lives in .config/ (the top level holds only the files the product fixes);
// run through `npm run lint`, which passes --config. Patterns below are relative to the repository root.
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
