// Ingest benchmark (npm run bench:ingest). At every size a user has (100 k, 1 M and 7.3 M rows: 50 billing
// accounts × 200 services × 10, 100 or 730 days) and in two file shapes (narrow: the 31 columns most
// exports fill, two tag keys; wide: every FOCUS 1.2 column, commitment discounts, 12–20 tag keys), it
// generates a FOCUS export with the project's own generator and measures the import (rows/s, peak RSS
// of the importing process) against the same file through `sqlite3 -cmd ".mode csv" DB ".import FILE t"`
// (run before and after the import; the ratio uses the mean), and the re-import of the unchanged file
// (recognised by its SHA-256). For the narrow shape also: the re-import of a byte-different copy with the
// same rows (every snapshot digest compared), and the same rows as Parquet (FOCUS and CUR 2.0 layouts,
// snappy and zstd: parquet-generator.ts, cached between runs in BENCH_CACHE_DIR since writing them is
// slower than reading them): rows/s and peak RSS against the CSV import, and the unchanged re-import.
// On the largest narrow workspace: a restated snapshot (every line of one account and period changed:
// the line-by-line diff; size with BENCH_RESTATE_LINES), cost by service × month over two years, cost by
// tag over a month and a drill-down to one day × service.
//
// The import runs bundled, the importing process and its scan worker, as the app ships them
// (electron-vite bundles main.js and ingest-worker.js): from source, each worker thread first compiles
// its TypeScript through tsx (0.3–0.7 s), and the importing thread runs through tsx's loader (about
// 0.1 s per 100,000 rows), time a user of the app never waits for.
//
// Choose with BENCH_INGEST_SIZES (100k,1M,7.3M), BENCH_INGEST_SHAPES (narrow,wide), or one custom size
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
import { soleTotal } from '../support/costs';
import { generateFocusExport } from './focus-generator';
import { generateParquetExport, zstdAvailable, type ParquetCodec, type ParquetLayout } from './parquet-generator';

type Shape = 'narrow' | 'wide';
interface Size {
  label: string;
  accounts: number;
  services: number;
  days: number;
}

const START = '2024-11-21';
const NAMED_SIZES: Record<string, Size> = {
  '100k': { label: '100k', accounts: 50, services: 200, days: 10 },
  '1M': { label: '1M', accounts: 50, services: 200, days: 100 },
  '7.3M': { label: '7.3M', accounts: 50, services: 200, days: 730 },
};
const sizes: Size[] = process.env.BENCH_INGEST_DAYS
  ? [
      {
        label: 'custom',
        accounts: Number(process.env.BENCH_INGEST_ACCOUNTS ?? 50),
        services: Number(process.env.BENCH_INGEST_SERVICES ?? 200),
        days: Number(process.env.BENCH_INGEST_DAYS),
      },
    ]
  : (process.env.BENCH_INGEST_SIZES ?? '100k,1M,7.3M').split(',').map((name) => {
      const size = NAMED_SIZES[name.trim()];
      if (!size)
        throw new Error(`BENCH_INGEST_SIZES: unknown size ${name} (known: ${Object.keys(NAMED_SIZES).join(', ')})`);
      return size;
    });
const shapes = (process.env.BENCH_INGEST_SHAPES ?? 'narrow,wide').split(',').map((name) => {
  if (name !== 'narrow' && name !== 'wide') throw new Error(`BENCH_INGEST_SHAPES: unknown shape ${name}`);
  return name as Shape;
});
const rowsOf = (size: Size) => size.accounts * size.services * size.days;

const TARGETS = {
  /** import ÷ sqlite3 .import: at 100,000 rows a fixed cost weighs more. */
  sqliteRatio: (rows: number) => (rows <= 200_000 ? 2.5 : 2.0),
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
const here = path.dirname(new URL(import.meta.url).pathname);

function log(line: string) {
  process.stdout.write(`${line}\n`);
}

interface Bundle {
  /** The importing process (ingest-child.ts). */
  child: string;
  /** The scan worker it starts. */
  worker: string;
}

/** The importing process and the scan worker, each one bundled file as electron-vite builds the app. */
async function bundleImport(): Promise<Bundle> {
  return {
    // Native modules stay outside: the driver, and the keychain the audit capability may load.
    child: await bundle(path.join(here, 'ingest-child.ts'), 'ingest-child.mjs', ['better-sqlite3', '@napi-rs/keyring']),
    worker: await bundle(path.resolve(here, '../../electron/core/ingest/scan-worker.ts'), 'ingest-worker.mjs', []),
  };
}

const bundleParent = path.resolve(here, '../../node_modules/.cache');
fs.mkdirSync(bundleParent, { recursive: true });
const bundleDir = fs.mkdtempSync(path.join(bundleParent, 'bench-ingest-'));

async function bundle(entry: string, name: string, external: string[]): Promise<string> {
  const { build } = await import('esbuild');
  // Inside the project, so that the bundle's external packages (the SQLite driver) resolve.
  const outfile = path.join(bundleDir, name);
  await build({
    entryPoints: [entry],
    external,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    // Bundled CommonJS dependencies call require, which an ES module lacks.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  return outfile;
}

interface ChildImport {
  ms: number;
  maxRssMiB: number;
  result: {
    rowsRead: number;
    inserted: number;
    updated: number;
    unchanged: number;
    totals: { currency: string; billed: string }[];
  };
}

function childImport(file: string, dir: string, bundled: Bundle): ChildImport {
  const child = spawnSync(process.execPath, [bundled.child, dir, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      VALDRIX_INGEST_WORKER: bundled.worker,
      BENCH_MIGRATIONS_FOLDER: path.resolve(here, '../../electron/core/store/migrations'),
    },
  });
  if (child.status !== 0) throw new Error(`import child failed with ${child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ChildImport;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
}

/** Files up to this many rows are imported SMALL_FILE_REPEATS times (see csvRun). */
const SMALL_FILE_ROWS = 200_000;
const SMALL_FILE_REPEATS = 3;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Columns in a generated CSV's header line (its names carry no commas or quotes). */
function headerColumns(file: string): number {
  const head = Buffer.alloc(64 * 1024);
  const fd = fs.openSync(file, 'r');
  try {
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read).toString('utf8').split('\n', 1)[0]!.split(',').length;
  } finally {
    fs.closeSync(fd);
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en-US');
const ok = (pass: boolean) => (pass ? 'OK' : 'MISSED');

interface CsvRun {
  size: string;
  shape: Shape;
  rows: number;
  columns: number;
  gib: number;
  importSeconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  sqlite3ImportSeconds: number;
  sqlite3ImportRunsSeconds: number[];
  /** Every first import measured (several for small files), in seconds; importSeconds is their median. */
  importRunsSeconds: number[];
  ratioToSqlite3: number;
  ratioTarget: number;
  reimportSeconds: number;
  reimportRatio: number;
  reexportReimportSeconds: number | null;
  reexportReimportRatio: number | null;
}

type ParquetRun =
  | { size: string; layout: ParquetLayout; codec: ParquetCodec; written: false; reason: string }
  | {
      size: string;
      layout: ParquetLayout;
      codec: ParquetCodec;
      written: true;
      rows: number;
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

/** One CSV size and shape: generate, sqlite3 before, import, sqlite3 after, unchanged re-import. */
async function csvRun(
  size: Size,
  shape: Shape,
  bundled: Bundle,
): Promise<{ run: CsvRun; csv: string; workspace: string; billed: string }> {
  const csv = path.join(root, `focus-${size.label}-${shape}.csv`);
  const workspace = path.join(root, `workspace-${size.label}-${shape}`);
  log(`\n[${size.label} ${shape}] generating ${rowsOf(size).toLocaleString('en-US')} rows into ${csv} …`);
  const at = performance.now();
  const generated = await generateFocusExport({ file: csv, ...size, start: START, shape });
  const columns = headerColumns(csv);
  log(
    `  ${generated.rows.toLocaleString('en-US')} rows × ${columns} columns, ${(generated.bytes / 2 ** 30).toFixed(2)} GiB in ${seconds(performance.now() - at)}`,
  );

  const sqliteDb = path.join(root, 'sqlite3-import.db');
  // sqlite3 runs right before and right after our import, and the ratio uses their mean: this machine's
  // speed drifts by a fifth over minutes, and one sequential pair would carry that drift into the ratio.
  const sqlite3Import = (when: string) => {
    const started = performance.now();
    execFileSync('sqlite3', ['-cmd', '.mode csv', sqliteDb, `.import ${csv} t`], { stdio: 'inherit' });
    const ms = performance.now() - started;
    fs.rmSync(sqliteDb, { force: true });
    log(`  sqlite3 .import (${when}): ${seconds(ms)}`);
    return ms;
  };
  // One first import of a large file takes long enough that this machine's drift averages out; at 100 k
  // rows an import is under 2 s and a single pair swung the ratio by ±0.3 from one run to the next, so
  // small files are imported several times, each between two sqlite3 runs, and the medians are compared.
  const repeats = generated.rows <= SMALL_FILE_ROWS ? SMALL_FILE_REPEATS : 1;
  const sqliteRuns = [sqlite3Import('before')];
  const imports: ChildImport[] = [];
  for (let attempt = 0; attempt < repeats; attempt++) {
    fs.rmSync(workspace, { recursive: true, force: true });
    const imported = childImport(csv, workspace, bundled);
    if (soleTotal(imported.result).billed !== generated.billedTotal) {
      throw new Error(
        `imported billed total ${soleTotal(imported.result).billed} ≠ generated ${generated.billedTotal}`,
      );
    }
    log(
      `  import${repeats > 1 ? ` ${attempt + 1}/${repeats}` : ''}: ${seconds(imported.ms)}, ${perSecond(imported.result.rowsRead, imported.ms)} rows/s, peak RSS ${imported.maxRssMiB.toFixed(0)} MiB, billed ${soleTotal(imported.result).billed} (= the generator's exact sum)`,
    );
    imports.push(imported);
    sqliteRuns.push(sqlite3Import('after'));
  }
  const first = [...imports].sort((a, b) => a.ms - b.ms)[Math.floor(imports.length / 2)]!;
  const sqliteMs = repeats > 1 ? median(sqliteRuns) : (sqliteRuns[0]! + sqliteRuns[1]!) / 2;

  const second = childImport(csv, workspace, bundled);
  if (second.result.inserted !== 0 || second.result.unchanged !== generated.rows) {
    throw new Error(`re-import changed data: ${JSON.stringify(second.result)}`);
  }
  log(`  unchanged re-import: ${(second.ms / 1000).toFixed(2)} s, peak RSS ${second.maxRssMiB.toFixed(0)} MiB`);

  // The same rows in different bytes (a re-export with a trailing blank line): no shortcut, every snapshot
  // digest is compared, nothing is written.
  let third: ChildImport | null = null;
  if (shape === 'narrow') {
    const copy = path.join(root, 'focus-reexport.csv');
    fs.copyFileSync(csv, copy);
    fs.appendFileSync(copy, '\n');
    third = childImport(copy, workspace, bundled);
    fs.rmSync(copy, { force: true });
    if (third.result.inserted !== 0 || third.result.unchanged !== generated.rows) {
      throw new Error(`re-export re-import changed data: ${JSON.stringify(third.result)}`);
    }
    log(
      `  byte-different copy, same rows: ${seconds(third.ms)} (${(third.ms / first.ms).toFixed(2)} × the first import)`,
    );
  }
  const ratio = first.ms / sqliteMs;
  return {
    csv,
    workspace,
    billed: generated.billedTotal,
    run: {
      size: size.label,
      shape,
      rows: generated.rows,
      columns,
      gib: generated.bytes / 2 ** 30,
      importSeconds: first.ms / 1000,
      rowsPerSecond: first.result.rowsRead / (first.ms / 1000),
      peakRssMiB: first.maxRssMiB,
      sqlite3ImportSeconds: sqliteMs / 1000,
      sqlite3ImportRunsSeconds: sqliteRuns.map((ms) => ms / 1000),
      importRunsSeconds: imports.map((run) => run.ms / 1000),
      ratioToSqlite3: ratio,
      ratioTarget: TARGETS.sqliteRatio(generated.rows),
      reimportSeconds: second.ms / 1000,
      reimportRatio: second.ms / first.ms,
      reexportReimportSeconds: third ? third.ms / 1000 : null,
      reexportReimportRatio: third ? third.ms / first.ms : null,
    },
  };
}

/** The size's rows as Parquet, written once per shape and kept in the cache directory. */
async function cachedParquet(
  size: Size,
  layout: ParquetLayout,
  codec: ParquetCodec,
): Promise<{ file: string; fresh: boolean }> {
  fs.mkdirSync(cacheDir, { recursive: true });
  const file = path.join(
    cacheDir,
    `large-${size.accounts}x${size.services}x${size.days}-${START}-${layout}-${codec.toLowerCase()}-${parquetGroupRows}-v2.parquet`,
  );
  if (fs.existsSync(file)) return { file, fresh: false };
  const partial = `${file}.${process.pid}.partial`;
  await generateParquetExport({ file: partial, layout, codec, ...size, start: START, rowGroupRows: parquetGroupRows });
  fs.renameSync(partial, file);
  return { file, fresh: true };
}

async function parquetRuns(size: Size, billed: string, csv: CsvRun, bundled: Bundle): Promise<ParquetRun[]> {
  const runs: ParquetRun[] = [];
  const zstd = zstdAvailable();
  for (const layout of ['focus', 'cur2'] as const) {
    for (const codec of codecs) {
      if (codec === 'ZSTD' && !zstd) {
        runs.push({
          size: size.label,
          layout,
          codec,
          written: false,
          reason: 'no zstd compressor: Node 20 has none and `zstd` is not installed',
        });
        continue;
      }
      const at = performance.now();
      const { file, fresh } = await cachedParquet(size, layout, codec);
      const fileMiB = fs.statSync(file).size / 2 ** 20;
      log(
        `  Parquet ${layout} ${codec}: ${fresh ? 'written' : 'cached'}, ${fileMiB.toFixed(1)} MiB${fresh ? ` in ${seconds(performance.now() - at)}` : ''}`,
      );
      const dir = path.join(root, `workspace-${size.label}-${layout}-${codec.toLowerCase()}`);
      // Small files are imported several times, as the CSV is (csvRun), and compared by their medians.
      const imports: ChildImport[] = [];
      for (let attempt = 0; attempt < (csv.rows <= SMALL_FILE_ROWS ? SMALL_FILE_REPEATS : 1); attempt++) {
        fs.rmSync(dir, { recursive: true, force: true });
        const attemptImport = childImport(file, dir, bundled);
        if (soleTotal(attemptImport.result).billed !== billed) {
          throw new Error(
            `Parquet ${layout} ${codec}: billed ${soleTotal(attemptImport.result).billed} ≠ generated ${billed}`,
          );
        }
        imports.push(attemptImport);
      }
      const imported = [...imports].sort((a, b) => a.ms - b.ms)[Math.floor(imports.length / 2)]!;
      const again = childImport(file, dir, bundled);
      if (again.result.inserted !== 0 || again.result.unchanged !== csv.rows) {
        throw new Error(`Parquet ${layout} ${codec}: re-import changed data: ${JSON.stringify(again.result)}`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
      const rowsPerSecond = imported.result.rowsRead / (imported.ms / 1000);
      const run: ParquetRun = {
        size: size.label,
        layout,
        codec,
        written: true,
        rows: imported.result.rowsRead,
        fileMiB,
        rowGroupRows: parquetGroupRows,
        importSeconds: imported.ms / 1000,
        rowsPerSecond,
        peakRssMiB: imported.maxRssMiB,
        csvRatio: csv.rowsPerSecond / rowsPerSecond,
        reimportSeconds: again.ms / 1000,
        reimportPeakRssMiB: again.maxRssMiB,
        reimportRatio: again.ms / imported.ms,
      };
      log(
        `    import ${seconds(imported.ms)}${imports.length > 1 ? ` (median of ${imports.map((run) => seconds(run.ms)).join(', ')})` : ''}, ${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s (CSV ${Math.round(csv.rowsPerSecond).toLocaleString('en-US')}), peak RSS ${run.peakRssMiB.toFixed(0)} MiB; unchanged re-import ${run.reimportSeconds.toFixed(2)} s, ${run.reimportPeakRssMiB.toFixed(0)} MiB`,
      );
      runs.push(run);
    }
  }
  return runs;
}

/** Restated snapshot, then queries on the largest narrow workspace. */
async function restateAndQueries(size: Size, workspaceDir: string, bundled: Bundle) {
  // A restated snapshot: one account and billing period whose every line changed amount. The diff pairs
  // old and new lines; it must stay near-linear in the snapshot's size.
  const restateLines = Number(process.env.BENCH_RESTATE_LINES ?? 300_000);
  const restateDir = path.join(root, 'restate-workspace');
  const restateOriginal = path.join(root, 'restate-v1.csv');
  const restateRevised = path.join(root, 'restate-v2.csv');
  const restateShape = { accounts: 1, services: Math.ceil(restateLines / 30), days: 30, start: '2026-09-01' };
  await generateFocusExport({ file: restateOriginal, ...restateShape });
  const restateGenerated = await generateFocusExport({ file: restateRevised, ...restateShape, seed: 7 });
  const restateFirst = childImport(restateOriginal, restateDir, bundled);
  const restated = childImport(restateRevised, restateDir, bundled);
  if (
    restated.result.updated !== restateGenerated.rows ||
    soleTotal(restated.result).billed !== restateGenerated.billedTotal
  ) {
    throw new Error(`restated import is wrong: ${JSON.stringify(restated.result)}`);
  }
  log(
    `\nRestated snapshot (${restateGenerated.rows.toLocaleString('en-US')} lines, every one changed): first import ${seconds(restateFirst.ms)}, restated import with line-by-line diff ${seconds(restated.ms)}`,
  );

  const workspace = openWorkspace(workspaceDir, {
    clock: fixedClock(new Date('2026-11-21T12:00:00Z')),
    logger: silentLogger(),
  });
  const end = new Date(Date.parse(`${START}T00:00:00Z`) + (size.days - 1) * 86_400_000).toISOString().slice(0, 10);
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
    `Cost by service × month over the range (${size.label}): p50 ${monthly.p50.toFixed(1)} ms, p95 ${monthly.p95.toFixed(1)} ms (${monthly.rows} rows, ${monthly.grain} rollup); exact day range: p95 ${daily.p95.toFixed(1)} ms (${daily.grain} rollup)`,
  );
  log(
    `Cost by tag over one month: p95 ${byTag.p95.toFixed(1)} ms (${byTag.answer.grain}); drill-down to one day × service: p95 ${drillDown.p95.toFixed(1)} ms (${drillDown.answer.lines.length} lines)`,
  );
  return {
    restatedSnapshotLines: restateGenerated.rows,
    restatedSnapshotImportSeconds: restated.ms / 1000,
    queryWorkspace: size.label,
    queryServiceByMonthP95Ms: monthly.p95,
    queryServiceByMonthDailyRangeP95Ms: daily.p95,
    queryTagMonthP95Ms: byTag.p95,
    drillDownDayServiceP95Ms: drillDown.p95,
  };
}

try {
  const bundled = await bundleImport();
  const csvRuns: CsvRun[] = [];
  const parquet: ParquetRun[] = [];
  let queries: Awaited<ReturnType<typeof restateAndQueries>> | null = null;
  const largest = [...sizes].sort((a, b) => rowsOf(b) - rowsOf(a))[0]!;
  for (const size of [...sizes].sort((a, b) => rowsOf(a) - rowsOf(b))) {
    for (const shape of shapes) {
      const { run, csv, workspace, billed } = await csvRun(size, shape, bundled);
      fs.rmSync(csv, { force: true });
      csvRuns.push(run);
      if (shape === 'narrow' && process.env.BENCH_INGEST_PARQUET !== 'skip') {
        parquet.push(...(await parquetRuns(size, billed, run, bundled)));
      }
      if (shape === 'narrow' && size === largest) queries = await restateAndQueries(size, workspace, bundled);
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  }

  fs.mkdirSync('test-results', { recursive: true });
  fs.writeFileSync(
    'test-results/bench-ingest.json',
    `${JSON.stringify({ csv: csvRuns, parquet, queries }, null, 2)}\n`,
  );
  log('\nSummary');
  for (const run of csvRuns) {
    log(
      `CSV ${run.size} ${run.shape} (${run.columns} columns): import ${run.importSeconds.toFixed(1)} s, ${Math.round(run.rowsPerSecond).toLocaleString('en-US')} rows/s; sqlite3 ${run.sqlite3ImportSeconds.toFixed(1)} s; import/sqlite3 ${run.ratioToSqlite3.toFixed(2)} (target ≤ ${run.ratioTarget}) ${ok(run.ratioToSqlite3 <= run.ratioTarget)}; peak RSS ${run.peakRssMiB.toFixed(0)} MiB (target < ${TARGETS.rssMiB}) ${ok(run.peakRssMiB < TARGETS.rssMiB)}; re-import/import ${run.reimportRatio.toFixed(3)} (target ≤ ${TARGETS.reimportRatio}) ${ok(run.reimportRatio <= TARGETS.reimportRatio)}`,
    );
  }
  for (const run of parquet) {
    const name = `Parquet ${run.size} ${run.layout} ${run.codec}`;
    if (!run.written) {
      log(`${name}: not measured (${run.reason})`);
      continue;
    }
    log(
      `${name}: peak RSS ${run.peakRssMiB.toFixed(0)} MiB (target < ${TARGETS.parquetRssMiB}) ${ok(run.peakRssMiB < TARGETS.parquetRssMiB)}; ${Math.round(run.rowsPerSecond).toLocaleString('en-US')} rows/s, CSV/Parquet time ${run.csvRatio.toFixed(2)} (target ≤ ${TARGETS.parquetSlowerThanCsv}) ${ok(run.csvRatio <= TARGETS.parquetSlowerThanCsv)}; re-import/import ${run.reimportRatio.toFixed(3)} (target ≤ ${TARGETS.parquetReimportRatio}) ${ok(run.reimportRatio <= TARGETS.parquetReimportRatio)}`,
    );
  }
  if (queries) {
    log(
      `service × month p95 ${queries.queryServiceByMonthP95Ms.toFixed(1)} ms on ${queries.queryWorkspace} (target ≤ ${TARGETS.queryMs}) ${ok(queries.queryServiceByMonthP95Ms <= TARGETS.queryMs)}`,
    );
  }
  log('Figures written to test-results/bench-ingest.json');
} finally {
  if (!process.env.BENCH_KEEP) fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(bundleDir, { recursive: true, force: true });
}
