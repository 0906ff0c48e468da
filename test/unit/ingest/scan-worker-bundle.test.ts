import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

// Every import starts a scan worker, and what its bundle loads at start is paid before the first row:
// zod alone took about 90 ms of a worker's 160 ms start.
describe('the scan worker bundle', () => {
  it('loads neither zod nor the Parquet decoder when it starts', async () => {
    const result = await build({
      entryPoints: [path.join(root, 'electron/core/ingest/scan-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = result.metafile.inputs;
    const staticImporters = (pattern: RegExp) =>
      Object.entries(inputs)
        .filter(([, input]) => input.imports.some((i) => pattern.test(i.path) && i.kind === 'import-statement'))
        .map(([file]) => file)
        .filter((file) => !file.includes('node_modules'));
    expect(staticImporters(/node_modules\/zod\//)).toEqual([]);
    expect(staticImporters(/node_modules\/hyparquet/)).toEqual([]);
  });
});
