/**
 * One import in its own process, so the benchmark can report this process's peak RSS. Prints one JSON
 * line: {ms, result, maxRssMiB}.
 */
import { fixedClock } from '../../electron/core/app/clock';
import { importCostFiles } from '../../electron/core/ingest/import';
import { openWorkspace } from '../../electron/core/workspace/workspace';

const [dir, ...files] = process.argv.slice(2);
// Bundled (as the benchmark runs it), the migrations are not beside this file: the benchmark names them.
const workspace = openWorkspace(dir!, {
  clock: fixedClock(new Date('2026-11-21T12:00:00Z')),
  create: true,
  migrationsFolder: process.env.BENCH_MIGRATIONS_FOLDER,
});
const started = performance.now();
const result = await importCostFiles(
  { store: workspace.store, audit: workspace.audit, now: () => workspace.clock.now(), logger: workspace.logger },
  { paths: files, format: 'auto', source: 'bench', skipBadRows: false, alertThresholdPct: '2', alertMinAmount: '0' },
  {
    onProgress: (p) => {
      if (process.env.BENCH_VERBOSE)
        process.stderr.write(`\r${p.phase} ${p.rowsRead} rows ${Math.round(p.bytesRead / 1e6)} MB`);
    },
  },
);
const ms = performance.now() - started;
workspace.close();
const { rowsRead, inserted, unchanged, updated, removed, totals } = result;
process.stdout.write(
  `${JSON.stringify({ ms, result: { rowsRead, inserted, unchanged, updated, removed, totals }, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
