import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Rollup } from 'vite';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const define = { __VALDRIX_VERSION__: JSON.stringify(version) };

// zod's sources carry /*#__PURE__*/ hints in places Rollup cannot use; that warning is noise.
const onwarn = (warning: Rollup.RollupLog, warn: (warning: Rollup.RollupLog) => void) => {
  if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
};

export default defineConfig({
  main: {
    define,
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          'job-worker': resolve('electron/core/jobs/worker-thread.ts'),
          'ingest-worker': resolve('electron/core/ingest/scan-worker.ts'),
        },
        onwarn,
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron'): bundle its dependencies (zod, the contract).
      externalizeDeps: false,
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS.
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
        onwarn,
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      minify: true,
      // Loaded from disk or loopback, never over a network: one bundle under 1 MB is fine for now.
      chunkSizeWarningLimit: 1024,
      rollupOptions: {
        input: { index: resolve('renderer/index.html') },
        onwarn,
      },
    },
  },
});
