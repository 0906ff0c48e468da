// Ingest benchmark (npm run bench:ingest): generates the large-tenant FOCUS export with the project's own
// generator (50 billing accounts × 200 services × 730 days = 7.3 M rows, about 3.6 GB), then measures
// the import (rows/s, peak RSS of the importing process), the same file through
// `sqlite3 -cmd ".mode csv" DB ".import FILE t"` (before and after the import; the ratio uses the mean), the re-import of the unchanged file (recognised by its
// SHA-256), the re-import of a byte-different copy with the same rows (every snapshot digest compared),
// a restated snapshot (every line of one account and period changed: the line-by-line diff; size with
// BENCH_RESTATE_LINES), cost by service × month over the two years, cost by tag over a month and a
// drill-down to one day × service. Then the same rows as Parquet (FOCUS and CUR 2.0 layouts, snappy and
// zstd: parquet-generator.ts; cached between runs in BENCH_CACHE_DIR, since writing them is slower than
// reading them): rows/s and peak RSS against the CSV import, and the unchanged re-import. Scale it down
// with BENCH_INGEST_ACCOUNTS / _SERVICES / _DAYS; BENCH_INGEST_PARQUET=skip leaves Parquet out,
// BENCH_PARQUET_GROUP_ROWS sets the row-group size (500,000 rows), BENCH_PARQUET_CODECS the codecs.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fixedClock } from '../../electron/core/app/clock';
import { queryLines } from '../../electron/core/costs/lines';
import { queryCosts } from '../../electron/core/costs/query';
import { silentLogger } from '../../electron/core/log/logger';
import { openWorkspace } from '../../electron/core/workspace/workspace';
import { lastDayOfMonth } from '../../shared/dates';
import { generateFocusExport, type GeneratedFocus } from './focus-generator';
import { generateParquetExport, zstdAvailable, type ParquetCodec, type ParquetLayout } from './parquet-generator';
import { soleTotal } from '../support/costs';

const accounts = Number(process.env.BENCH_INGEST_ACCOUNTS ?? 50);
const services = Number(process.env.BENCH_INGEST_SERVICES ?? 200);
const days = Number(process.env.BENCH_INGEST_DAYS ?? 730);
const START = '2024-11-21';
const TARGETS = {
  sqliteRatio: 2.0,
  reimportRatio: 0.5,
  queryMs: 100,
  rssMiB: 1024,
  parquetRssMiB: 512,
  parquetSlowerThanCsv: 1.5,
  parquetReimportRatio: 0.05,
};
const parquetGroupRows = Number(process.env.BENCH_PARQUET_GROUP_ROWS ?? 500_000);
// Writing zstd pages spawns the zstd program per page (about 0.5 s each on a busy machine): at full size
// that is hours the first time, so BENCH_PARQUET_CODECS=SNAPPY leaves it out.
const codecs = (process.env.BENCH_PARQUET_CODECS ?? 'SNAPPY,ZSTD')
  .split(',')
  .filter((codec): codec is 'SNAPPY' | 'ZSTD' => codec === 'SNAPPY' || codec === 'ZSTD');
const cacheDir = process.env.BENCH_CACHE_DIR ?? path.join(os.tmpdir(), 'valdrix-bench-cache');

const root = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? '/tmp', 'valdrix-bench-ingest-'));
const csv = path.join(root, 'focus-large.csv');
const workspaceDir = path.join(root, 'workspace');
const here = path.dirname(new URL(import.meta.url).pathname);
const runTs = path.resolve(here, '../../electron/cli/run-ts.mjs');

function log(line: string) {
  process.stdout.write(`${line}\n`);
}

function childImport(
  file = csv,
  dir = workspaceDir,
): {
  ms: number;
  maxRssMiB: number;
  result: {
    rowsRead: number;
    inserted: number;
    updated: number;
    unchanged: number;
    totals: { currency: string; billed: string }[];
  };
} {
  const child = spawnSync(process.execPath, [runTs, path.join(here, 'ingest-child.ts'), dir, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`import child failed with ${child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ReturnType<typeof childImport>;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type ParquetRun =
  | { layout: ParquetLayout; codec: ParquetCodec; written: false; reason: string }
  | {
      layout: ParquetLayout;
      codec: ParquetCodec;
      written: true;
      fileMiB: number;
      rowGroupRows: number;
      importSeconds: number;
      rowsPerSecond: number;
      peakRssMiB: number;
      /** CSV rows/s ÷ Parquet rows/s: how many times slower than the CSV import (≤ 1 is as fast or faster). */
      csvRatio: number;
      reimportSeconds: number;
      reimportPeakRssMiB: number;
      reimportRatio: number;
    };

/** The generated rows as Parquet, written once per shape and kept in the cache directory. */
async function cachedParquet(layout: ParquetLayout, codec: ParquetCodec): Promise<{ file: string; fresh: boolean }> {
  fs.mkdirSync(cacheDir, { recursive: true });
  const file = path.join(
    cacheDir,
    `large-${accounts}x${services}x${days}-${START}-${layout}-${codec.toLowerCase()}-${parquetGroupRows}-v2.parquet`,
  );
  if (fs.existsSync(file)) return { file, fresh: false };
  const partial = `${file}.${process.pid}.partial`;
  await generateParquetExport({
    file: partial,
    layout,
    codec,
    accounts,
    services,
    days,
    start: START,
    rowGroupRows: parquetGroupRows,
  });
  fs.renameSync(partial, file);
  return { file, fresh: true };
}

async function parquetRuns(generated: GeneratedFocus, csvRowsPerSecond: number): Promise<ParquetRun[]> {
  const runs: ParquetRun[] = [];
  const zstd = zstdAvailable();
  for (const layout of ['focus', 'cur2'] as const) {
    for (const codec of codecs) {
      if (codec === 'ZSTD' && !zstd) {
        runs.push({
          layout,
          codec,
          written: false,
          reason: 'no zstd compressor: Node 20 has none and `zstd` is not installed',
        });
        continue;
      }
      log(`Parquet ${layout} ${codec}: writing (or reusing) ${generated.rows.toLocaleString('en-US')} rows …`);
      const at = performance.now();
      const { file, fresh } = await cachedParquet(layout, codec);
      const fileMiB = fs.statSync(file).size / 2 ** 20;
      log(
        `  ${fresh ? 'written' : 'cached'}: ${fileMiB.toFixed(1)} MiB${fresh ? ` in ${((performance.now() - at) / 1000).toFixed(1)} s` : ''}`,
      );
      const dir = path.join(root, `workspace-${layout}-${codec.toLowerCase()}`);
      const imported = childImport(file, dir);
      if (soleTotal(imported.result).billed !== generated.billedTotal) {
        throw new Error(
          `Parquet ${layout} ${codec}: billed ${soleTotal(imported.result).billed} ≠ generated ${generated.billedTotal}`,
        );
      }
      const again = childImport(file, dir);
      if (again.result.inserted !== 0 || again.result.unchanged !== generated.rows) {
        throw new Error(`Parquet ${layout} ${codec}: re-import changed data: ${JSON.stringify(again.result)}`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
      const rowsPerSecond = imported.result.rowsRead / (imported.ms / 1000);
      const run: ParquetRun = {
        layout,
        codec,
        written: true,
        fileMiB,
        rowGroupRows: parquetGroupRows,
        importSeconds: imported.ms / 1000,
        rowsPerSecond,
        peakRssMiB: imported.maxRssMiB,
        csvRatio: csvRowsPerSecond / rowsPerSecond,
        reimportSeconds: again.ms / 1000,
        reimportPeakRssMiB: again.maxRssMiB,
        reimportRatio: again.ms / imported.ms,
      };
      log(
        `  import ${run.importSeconds.toFixed(1)} s, ${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s (CSV ${Math.round(csvRowsPerSecond).toLocaleString('en-US')}), peak RSS ${run.peakRssMiB.toFixed(0)} MiB; unchanged re-import ${run.reimportSeconds.toFixed(2)} s, ${run.reimportPeakRssMiB.toFixed(0)} MiB`,
      );
      runs.push(run);
    }
  }
  return runs;
}

try {
  log(`Generating ${accounts} accounts × ${services} services × ${days} days into ${csv} …`);
  const started = performance.now();
  const generated = await generateFocusExport({ file: csv, accounts, services, days, start: START });
  const generateMs = performance.now() - started;
  log(
    `  ${generated.rows.toLocaleString('en-US')} rows, ${(generated.bytes / 2 ** 30).toFixed(2)} GiB in ${(generateMs / 1000).toFixed(1)} s`,
  );

  // sqlite3 runs right before and right after our import, and the ratio uses their mean: this machine's
  // speed drifts by a fifth over minutes (sqlite3 alone measured 48–66 s on one day), and one sequential
  // pair would carry that drift into the ratio.
  const sqliteDb = path.join(root, 'sqlite3-import.db');
  const sqlite3Import = (when: string) => {
    log(`sqlite3 .import of the same file (${when}) …`);
    const at = performance.now();
    execFileSync('sqlite3', ['-cmd', '.mode csv', sqliteDb, `.import ${csv} t`], { stdio: 'inherit' });
    const ms = performance.now() - at;
    fs.rmSync(sqliteDb, { force: true });
    log(`  ${(ms / 1000).toFixed(1)} s`);
    return ms;
  };
  const sqliteBeforeMs = sqlite3Import('before our import');

  log('Importing (child process) …');
  const first = childImport();
  if (soleTotal(first.result).billed !== generated.billedTotal) {
    throw new Error(`imported billed total ${soleTotal(first.result).billed} ≠ generated ${generated.billedTotal}`);
  }
  log(
    `  ${(first.ms / 1000).toFixed(1)} s, ${Math.round(first.result.rowsRead / (first.ms / 1000)).toLocaleString('en-US')} rows/s, peak RSS ${first.maxRssMiB.toFixed(0)} MiB, billed ${soleTotal(first.result).billed} (= generator's exact sum)`,
  );

  const sqliteAfterMs = sqlite3Import('after our import');
  const sqliteMs = (sqliteBeforeMs + sqliteAfterMs) / 2;

  log('Re-importing the unchanged file …');
  const second = childImport();
  if (second.result.inserted !== 0 || second.result.unchanged !== generated.rows) {
    throw new Error(`re-import changed data: ${JSON.stringify(second.result)}`);
  }
  log(
    `  ${(second.ms / 1000).toFixed(1)} s, peak RSS ${second.maxRssMiB.toFixed(0)} MiB (inserted 0, unchanged ${second.result.unchanged})`,
  );

  // The same rows in different bytes (a re-export with a trailing blank line): no shortcut, every snapshot
  // digest is compared, nothing is written.
  log('Re-importing a byte-different copy with the same rows (digest comparison) …');
  const copy = path.join(root, 'focus-large-reexport.csv');
  fs.copyFileSync(csv, copy);
  fs.appendFileSync(copy, '\n');
  const third = childImport(copy);
  fs.rmSync(copy, { force: true });
  if (third.result.inserted !== 0 || third.result.unchanged !== generated.rows) {
    throw new Error(`re-export re-import changed data: ${JSON.stringify(third.result)}`);
  }
  log(
    `  ${(third.ms / 1000).toFixed(1)} s, peak RSS ${third.maxRssMiB.toFixed(0)} MiB (${(third.ms / first.ms).toFixed(2)} × the first import)`,
  );

  // A restated snapshot: one account and billing period whose every line changed amount. The diff pairs
  // old and new lines; it must stay near-linear in the snapshot's size.
  const restateLines = Number(process.env.BENCH_RESTATE_LINES ?? 300_000);
  const restateDir = path.join(root, 'restate-workspace');
  const restateOriginal = path.join(root, 'restate-v1.csv');
  const restateRevised = path.join(root, 'restate-v2.csv');
  const restateShape = { accounts: 1, services: Math.ceil(restateLines / 30), days: 30, start: '2026-09-01' };
  await generateFocusExport({ file: restateOriginal, ...restateShape });
  const restateGenerated = await generateFocusExport({ file: restateRevised, ...restateShape, seed: 7 });
  const restateFirst = childImport(restateOriginal, restateDir);
  const restated = childImport(restateRevised, restateDir);
  if (
    restated.result.updated !== restateGenerated.rows ||
    soleTotal(restated.result).billed !== restateGenerated.billedTotal
  ) {
    throw new Error(`restated import is wrong: ${JSON.stringify(restated.result)}`);
  }
  log(
    `Restated snapshot (${restateGenerated.rows.toLocaleString('en-US')} lines, every one changed): first import ${(restateFirst.ms / 1000).toFixed(1)} s, restated import with line-by-line diff ${(restated.ms / 1000).toFixed(1)} s`,
  );

  const workspace = openWorkspace(workspaceDir, {
    clock: fixedClock(new Date('2026-11-21T12:00:00Z')),
    logger: silentLogger(),
  });
  const end = new Date(Date.parse(`${START}T00:00:00Z`) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const lastDay = lastDayOfMonth(end.slice(0, 7));
  const sqlite = workspace.store.sqlite;
  const timed = <T>(ask: () => T, samplesWanted = 20) => {
    const samples: number[] = [];
    let answer: T | undefined;
    for (let i = 0; i < samplesWanted; i++) {
      const t = performance.now();
      answer = ask();
      samples.push(performance.now() - t);
    }
    return { p50: percentile(samples, 50), p95: percentile(samples, 95), answer: answer! };
  };
  const timeQuery = (from: string, to: string) => {
    const { p50, p95, answer } = timed(() =>
      queryCosts(sqlite, { from, to, by: ['service', 'month'], status: 'all', asOf: '2026-11-21' }),
    );
    return { p50, p95, rows: answer.rows.length, grain: answer.grain };
  };
  const monthly = timeQuery(`${START.slice(0, 7)}-01`, lastDay);
  const daily = timeQuery(START, end);
  // Questions only lines answer: a tag over one month, and a drill-down from one chart cell (day × service).
  const tagMonth = `${START.slice(0, 7)}`;
  const byTag = timed(() =>
    queryCosts(sqlite, {
      from: `${tagMonth}-01`,
      to: lastDayOfMonth(tagMonth),
      by: ['tag:team'],
      status: 'all',
      asOf: '2026-11-21',
    }),
  );
  const drillDown = timed(() =>
    queryLines(sqlite, { from: START, to: START, filters: { service: ['Service 007'] }, limit: 100, offset: 0 }),
  );
  workspace.close();
  log(
    `Cost by service × month over two years: p50 ${monthly.p50.toFixed(1)} ms, p95 ${monthly.p95.toFixed(1)} ms (${monthly.rows} rows, ${monthly.grain} rollup); exact day range: p95 ${daily.p95.toFixed(1)} ms (${daily.grain} rollup)`,
  );
  log(
    `Cost by tag over one month: p95 ${byTag.p95.toFixed(1)} ms (${byTag.answer.grain}); drill-down to one day × service: p95 ${drillDown.p95.toFixed(1)} ms (${drillDown.answer.lines.length} lines)`,
  );

  const csvRowsPerSecond = first.result.rowsRead / (first.ms / 1000);
  const parquet = process.env.BENCH_INGEST_PARQUET === 'skip' ? [] : await parquetRuns(generated, csvRowsPerSecond);

  const ratio = first.ms / sqliteMs;
  const reimport = second.ms / first.ms;
  const summary = {
    rows: generated.rows,
    gib: generated.bytes / 2 ** 30,
    importSeconds: first.ms / 1000,
    rowsPerSecond: first.result.rowsRead / (first.ms / 1000),
    peakRssMiB: first.maxRssMiB,
    sqlite3ImportSeconds: sqliteMs / 1000,
    sqlite3ImportRunsSeconds: [sqliteBeforeMs / 1000, sqliteAfterMs / 1000],
    ratioToSqlite3: ratio,
    reimportSeconds: second.ms / 1000,
    reimportRatio: reimport,
    reexportReimportSeconds: third.ms / 1000,
    reexportReimportRatio: third.ms / first.ms,
    restatedSnapshotLines: restateGenerated.rows,
    restatedSnapshotImportSeconds: restated.ms / 1000,
    queryServiceByMonthP95Ms: monthly.p95,
    queryServiceByMonthDailyRangeP95Ms: daily.p95,
    queryTagMonthP95Ms: byTag.p95,
    drillDownDayServiceP95Ms: drillDown.p95,
    parquet,
  };
  fs.mkdirSync('test-results', { recursive: true });
  fs.writeFileSync('test-results/bench-ingest.json', `${JSON.stringify(summary, null, 2)}\n`);
  log('');
  log(
    `import/sqlite3 ratio ${ratio.toFixed(2)} (target ≤ ${TARGETS.sqliteRatio}) ${ratio <= TARGETS.sqliteRatio ? 'OK' : 'MISSED'}`,
  );
  log(
    `re-import/import ${reimport.toFixed(2)} (target ≤ ${TARGETS.reimportRatio}) ${reimport <= TARGETS.reimportRatio ? 'OK' : 'MISSED'}; byte-different re-export ${(third.ms / first.ms).toFixed(2)}`,
  );
  log(
    `service × month p95 ${monthly.p95.toFixed(1)} ms (target ≤ ${TARGETS.queryMs}) ${monthly.p95 <= TARGETS.queryMs ? 'OK' : 'MISSED'}`,
  );
  log(
    `peak RSS ${first.maxRssMiB.toFixed(0)} MiB (target < ${TARGETS.rssMiB}) ${first.maxRssMiB < TARGETS.rssMiB ? 'OK' : 'MISSED'}`,
  );
  for (const run of parquet) {
    const name = `Parquet ${run.layout} ${run.codec}`;
    if (!run.written) {
      log(`${name}: not measured (${run.reason})`);
      continue;
    }
    const ok = (pass: boolean) => (pass ? 'OK' : 'MISSED');
    log(
      `${name}: peak RSS ${run.peakRssMiB.toFixed(0)} MiB (target < ${TARGETS.parquetRssMiB}) ${ok(run.peakRssMiB < TARGETS.parquetRssMiB)}; ${Math.round(run.rowsPerSecond).toLocaleString('en-US')} rows/s, CSV/Parquet time ${run.csvRatio.toFixed(2)} (target ≤ ${TARGETS.parquetSlowerThanCsv}) ${ok(run.csvRatio <= TARGETS.parquetSlowerThanCsv)}; re-import/import ${run.reimportRatio.toFixed(3)} (target ≤ ${TARGETS.parquetReimportRatio}) ${ok(run.reimportRatio <= TARGETS.parquetReimportRatio)}`,
    );
  }
  log('Figures written to test-results/bench-ingest.json');
} finally {
  if (!process.env.BENCH_KEEP) fs.rmSync(root, { recursive: true, force: true });
}
