/**
 * Imports billing export files into the store: detect, stream, map, then publish whole snapshots.
 *
 * An export is a snapshot of (source, billing account, billing period). Lines are written under a new
 * import run, invisible to every reader, in short transactions; one final transaction repoints the
 * snapshots, records restatements, alerts and the audit event. A failure, a cancel or a killed process
 * before that point leaves what people see exactly as it was; the orphaned lines are collected later.
 *
 * Every file's SHA-256 is recorded. Byte-identical files with the same options, whose snapshots are all
 * still as the earlier import left them, are answered from that import without parsing. Otherwise
 * snapshots already stored are compared by digest first (a pass that writes nothing), so re-importing
 * an unchanged export costs one read of it; only snapshots whose digest moved are read again and
 * diffed line by line.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/api/errors';
import { boundedMessage, excerpt, MAX_EXCERPT } from '../../../shared/text';
import { formatExact, parseExact } from '../../../shared/exact';
import { sha256Hex, type AuditLog } from '../audit/audit-log';
import {
  abandonOrphanedRuns,
  beginRun,
  bulkAppend,
  collectGarbage,
  ensureSource,
  failRun,
  lineAppender,
  newRunScopes,
  publishRun,
  type CellAlert,
  type HoldReason,
  type ReplacePreview,
  type SnapshotScope,
} from '../ledger';
import type { Logger } from '../log/logger';
import type { Store } from '../store/database';
import {
  duplicateSourceError,
  filesCurrentElsewhere,
  sizesImportedElsewhere,
  type SourceMove,
} from './duplicate-source';
import { importLimits, importSettings } from './history';
import { heldResult, importedDetails, publishedResult, recordHeld, type PendingRun } from './held';
import { MAPPERS, mapperById } from './formats';
import { FORMAT_IDS, MAPPING_REVISION, RowError, type FormatId } from './model';
import {
  DEFAULT_READ_LIMITS,
  FileError,
  openSource,
  type Container,
  type OpenedSource,
  type ReadLimits,
} from './readers';
import {
  digestText,
  MAX_SKIPPED_LISTED,
  ScanError,
  scopeKey,
  type ScannedScope,
  type ScanRequest,
  type ScanSummary,
} from './scan';
import { runScan, WORKER_MIN_BYTES } from './scan-thread';

export interface ImportRequest {
  paths: string[];
  format: 'auto' | FormatId;
  /** Source name; snapshots are per source. Defaults to the detected format's id. */
  source?: string;
  skipBadRows: boolean;
  /** Alert when a day × account × service cell moves by more than this percent (decimal text). */
  alertThresholdPct: string;
  /** …and by at least this amount (decimal text, billing currency). */
  alertMinAmount: string;
  /** For exports without a currency column (FOCUS spec samples). */
  currency?: string;
  /** For exports without a billing account (GCP's legacy file export). */
  billingAccountId?: string;
  /** Record and field size limits; the workspace settings when absent. */
  limits?: ReadLimits;
  /**
   * Publish even when the replacement guard would hold the run (it removes much of a snapshot, drops
   * days, or skipped rows): the user confirmed the replacement (`--confirm-replace`).
   */
  confirmReplace?: boolean;
  /** The guard's share in percent (decimal text); the workspace setting import.replaceGuardPct when absent. */
  replaceGuardPct?: string;
  /**
   * Files already current under another source move to this one (`--replace-source`): that source's
   * snapshots of them are retracted as this run publishes. Without it such files are refused.
   */
  replaceSource?: boolean;
}

export type { CellAlert } from '../ledger';

export interface ImportProgress {
  phase: 'hashing' | 'reading' | 'writing' | 'publishing';
  file: string;
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
}

export interface SkippedRow {
  file: string;
  line: number | null;
  column: string | null;
  message: string;
}

export interface ImportResult {
  runId: string;
  source: string;
  files: { path: string; format: FormatId; variant: string; container: Container; rows: number }[];
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  removed: number;
  restated: number;
  snapshots: {
    billingAccountId: string;
    billingPeriod: string;
    status: 'new' | 'replaced' | 'unchanged';
    lines: number;
  }[];
  skipped: SkippedRow[];
  skippedCount: number;
  /** The first MAX_ALERTS_LISTED cell alerts; alertCount counts all (each is in the alert list too). */
  alerts: CellAlert[];
  alertCount: number;
  /** 'held': written but not published, waiting for `import accept` (see replace-guard.ts). */
  status: 'published' | 'held';
  /** Why the run is held and what publishing it would do; only when held. */
  held?: { reasons: HoldReason[]; preview: ReplacePreview };
  /** The run's one restatement alert, when its cells moved past the thresholds. */
  alertId?: string | null;
  /** Per currency, sorted by code: never one total across currencies. */
  totals: { currency: string; billed: string; effective: string }[];
}

export interface ImportDeps {
  store: Store;
  audit: AuditLog;
  logger?: Logger;
  now?: () => Date;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Lines per write transaction. */
  batchSize?: number;
  /** How many monthly rollup cells an import sums before writing them (default MONTHLY_FLUSH_CELLS in monthly-cells.ts). */
  monthlyFlushCells?: number;
  /** The scan worker's entry; null scans in this thread. Default: see scan-thread.ts. */
  scanWorkerEntry?: string | null;
  /** Files smaller than this are scanned in this thread (a worker's start-up costs more). */
  minWorkerBytes?: number;
  jobId?: string;
}

const DATA_FILE = /\.(csv|csv\.gz|gz|json|jsonl|ndjson|jsonl\.gz|parquet)$/i;

/**
 * Cell alerts an import's result lists; the rest are counted (alertCount) and all are in the alert
 * list. A full restatement of a million lines raised a million: stored whole in the run's summary and
 * the job's result, they made every Recent imports and Jobs answer take seconds.
 */
export const MAX_ALERTS_LISTED = 1000;

/**
 * Lines per write transaction, which is also what the scan worker hands over at a time. Smaller batches
 * are faster: a batch and its rollup fit the processor's caches, and the batch the worker is filling
 * is what its young-generation collections copy (see SCAN_YOUNG_GENERATION_MB). Measured on the
 * benchmark's files against 5,000 lines: 1 M narrow rows 11.3-12.1 s against 12.5-15.2 s, 100,000 rows
 * 1.67-1.79 s against 1.83-1.88 s, 1 M wide rows 35 s against 41 s; Parquet level. 500 lines was as
 * fast; below that every commit's own cost shows.
 */
const DEFAULT_BATCH_LINES = 1_000;

/** An import failure with where it happened; its data is the error's details. */
export function importError(
  code: 'IMPORT_FORMAT' | 'VALIDATION' | 'NOT_FOUND' | 'CANCELLED' | 'CONFLICT',
  message: string,
  where?: { file?: string; line?: number | null; column?: string | null },
): AppError {
  const column = where?.column ? excerpt(where.column, MAX_EXCERPT) : where?.column;
  const location = where?.file
    ? `${where.file}${where.line ? `:${where.line}` : ''}${column ? ` (column "${column}")` : ''}: `
    : '';
  const reason = boundedMessage(message);
  // The reason alone travels too: screens say where in their own words and never show internal paths.
  return new AppError(
    code,
    `${location}${reason}`,
    where ? { ...where, ...(column === undefined ? {} : { column }), reason } : undefined,
  );
}

/**
 * Files to read: folders are walked (symbolic links followed, each real folder once, so a link back to
 * a parent ends instead of looping); manifests choose their data files; other files are skipped.
 */
export async function expandImportPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const stat = await fs.promises.stat(given).catch((error: NodeJS.ErrnoException) => {
      throw importError('NOT_FOUND', unreachableReason(error), { file: given });
    });
    if (stat.isFile()) {
      files.push(given);
      continue;
    }
    const found = (await walkFolder(given)).sort();
    const manifests = found.filter((file) => /manifest\.json$/i.test(file));
    const data = found.filter((file) => !manifests.includes(file) && DATA_FILE.test(file));
    // A manifest chooses among the files of its own folder (and below) only, and only when it names
    // some that are present: a copied folder whose manifest lists other files still imports what is here.
    const excluded = new Set<string>();
    for (const manifest of manifests) {
      const folder = path.dirname(manifest);
      const listed = new Set((await manifestDataFiles(manifest)).map((key) => path.basename(key)));
      const governed = data.filter((file) => file.startsWith(`${folder}${path.sep}`));
      const named = governed.filter((file) => listed.has(path.basename(file)));
      if (named.length) for (const file of governed) if (!named.includes(file)) excluded.add(file);
    }
    const chosen = data.filter((file) => !excluded.has(file));
    if (chosen.length === 0) throw importError('NOT_FOUND', 'the folder holds no export files', { file: given });
    files.push(...chosen);
  }
  return files;
}

/** Why a path cannot be opened, in words: "no such file" is only one of the reasons. */
function unreachableReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'ELOOP':
      return 'a loop of symbolic links: the link points back at itself';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: Valdrix cannot read it';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return `cannot be opened (${error.code ?? error.message})`;
  }
}

/**
 * Every file under a folder, following symbolic links to files and folders. A link that cannot be
 * followed is an error when its name says it is an export (it would silently drop data); other names
 * are ignored like any other file that is not an export.
 */
async function walkFolder(root: string): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const walk = async (folder: string): Promise<void> => {
    const real = await fs.promises.realpath(folder);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await fs.promises.readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isFile()) files.push(full);
      else if (entry.isDirectory()) await walk(full);
      else if (entry.isSymbolicLink()) {
        const target = await fs.promises.stat(full).catch((error: NodeJS.ErrnoException) => error);
        if (target instanceof Error) {
          if (DATA_FILE.test(entry.name)) {
            throw importError('NOT_FOUND', `a symbolic link that cannot be followed: ${unreachableReason(target)}`, {
              file: full,
            });
          }
        } else if (target.isFile()) files.push(full);
        else if (target.isDirectory()) await walk(full);
      }
    }
  };
  await walk(root);
  return files;
}

async function manifestDataFiles(file: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await fs.promises.readFile(file, 'utf8')) as {
      reportKeys?: unknown;
      dataFiles?: unknown;
    };
    const keys = Array.isArray(manifest.reportKeys)
      ? manifest.reportKeys
      : Array.isArray(manifest.dataFiles)
        ? manifest.dataFiles
        : [];
    return keys.filter((key): key is string => typeof key === 'string');
  } catch {
    return [];
  }
}

export interface DetectedFile {
  path: string;
  container: Container;
  columns: string[];
  format: FormatId | null;
  variant: string | null;
  /** Every mapper's score, best first, for the Import screen and error messages. */
  scores: { format: FormatId; score: number }[];
  error: string | null;
  /** Where the error is, when it is in a record (line, or row for Parquet); the header is line 1. */
  errorLine?: number | null;
}

/** Detects a file's format from its header (or first records), without importing anything. */
export async function detectFile(
  file: string,
  forced: 'auto' | FormatId = 'auto',
  defaults?: ImportRequest,
  limits: ReadLimits = defaults?.limits ?? DEFAULT_READ_LIMITS,
): Promise<DetectedFile> {
  let source: OpenedSource | null = null;
  try {
    source = await openSource(file, limits);
    if (source.columns.length === 0) {
      // An empty JSON array (GCP's legacy export on a day without usage): nothing to detect or import.
      return {
        path: file,
        container: source.container,
        columns: [],
        format: null,
        variant: 'empty file',
        scores: [],
        error: null,
      };
    }
    const scores = MAPPERS.map((mapper) => ({ format: mapper.id, score: mapper.detect(source!.columns) })).sort(
      (a, b) => b.score - a.score,
    );
    const chosen = choose(scores, forced);
    if (!chosen) {
      return {
        path: file,
        container: source.container,
        columns: source.columns,
        format: null,
        variant: null,
        scores,
        error: unknownFormatMessage(source.columns),
      };
    }
    const compiled = mapperById(chosen).compile(source.columns, {
      fileName: path.basename(file),
      defaults: mapperDefaults(defaults),
    });
    return {
      path: file,
      container: source.container,
      columns: source.columns,
      format: chosen,
      variant: compiled.variant,
      scores,
      error: null,
    };
  } catch (error) {
    const message = error instanceof RowError || error instanceof FileError ? error.message : (error as Error).message;
    return {
      path: file,
      container: source?.container ?? 'csv',
      columns: source?.columns ?? [],
      format: null,
      variant: null,
      scores: [],
      error: message,
      errorLine: error instanceof FileError ? error.position : 1,
    };
  } finally {
    await source?.close();
  }
}

function choose(scores: { format: FormatId; score: number }[], forced: 'auto' | FormatId): FormatId | null {
  if (forced !== 'auto') return forced;
  const [best, second] = scores;
  if (!best || best.score < 0.5) return null;
  if (second && second.score === best.score) return null;
  return best.format;
}

function unknownFormatMessage(columns: readonly string[]): string {
  // The "header" of a file that is not an export can be anything (a password file, a key), and the
  // message reaches the browser in browser mode: quote a short, printable excerpt, 200 characters in all.
  const lead = 'unknown format: the header (';
  const rest = `) matches none of ${FORMAT_IDS.join(', ')}; force one with --format`;
  const listed =
    columns
      .slice(0, 6)
      .join(', ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) +
    (columns.length > 6 ? ', …' : '');
  const room = 200 - lead.length - rest.length;
  const shown = listed.length > room ? `${listed.slice(0, room - 1).replace(/[\uD800-\uDBFF]$/, '')}…` : listed;
  return `${lead}${shown}${rest}`;
}

function mapperDefaults(request?: Pick<ImportRequest, 'currency' | 'billingAccountId'>) {
  if (!request?.currency && !request?.billingAccountId) return undefined;
  return { currency: request.currency, billingAccountId: request.billingAccountId };
}

const U64 = (1n << 64n) - 1n;

interface ScopeStats {
  scope: SnapshotScope;
  existing: { runId: string; digest: string; lineCount: number } | null;
  lines: number;
  digestSum: bigint;
  currency: string;
  billed: bigint;
  effective: bigint;
  /** Whether this run writes the scope's lines: new scopes at once, changed ones in the second pass. */
  write: boolean;
}

// ---- the import ----------------------------------------------------------------------------------

/**
 * How long an import waits for another process's write transaction (another import publishing a large
 * restatement holds the lock for seconds) before giving up. An import runs in a worker thread or the
 * CLI, never on the thread that answers the UI, so waiting here freezes nothing; SQLite's default
 * 5 s made the second of two concurrent imports fail with "database is locked".
 */
const IMPORT_BUSY_TIMEOUT_MS = 120_000;

/** Imports export files as one all-or-nothing change; see the module comment. */
export async function importCostFiles(
  deps: ImportDeps,
  request: ImportRequest,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { sqlite } = deps.store;
  const busyTimeout = Number(sqlite.pragma('busy_timeout', { simple: true }));
  sqlite.pragma(`busy_timeout = ${IMPORT_BUSY_TIMEOUT_MS}`);
  try {
    return await importUnderLongerWait(deps, request, options);
  } catch (error) {
    throw isBusy(error) ? workspaceBusy() : error;
  } finally {
    if (sqlite.open) sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

function isBusy(error: unknown): boolean {
  return /^SQLITE_BUSY/.test((error as { code?: string } | null)?.code ?? '');
}

function workspaceBusy(): AppError {
  return new AppError(
    'CONFLICT',
    `the workspace stayed locked by another Valdrix process for more than ${IMPORT_BUSY_TIMEOUT_MS / 1000} s; nothing was changed: try again when it has finished`,
  );
}

async function importUnderLongerWait(
  deps: ImportDeps,
  request: ImportRequest,
  options: ImportOptions,
): Promise<ImportResult> {
  const { store, audit } = deps;
  const { sqlite } = store;
  const now = deps.now ?? (() => new Date());
  const signal = options.signal;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_LINES;
  const thresholdPct = parsePercent(request.alertThresholdPct);
  const minAmount = parseAmountOption(request.alertMinAmount, '--alert-min-amount');
  const guardPct = parseAmountOption(
    request.replaceGuardPct ?? importSettings(store).replaceGuardPct,
    'the replacement guard (import.replaceGuardPct)',
  );

  const limits = request.limits ?? importLimits(store);
  const detected: (DetectedFile & { format: FormatId })[] = [];
  const emptyFiles: DetectedFile[] = [];
  let files: string[];
  try {
    files = await expandImportPaths(request.paths);
    for (const file of files) {
      const found = await detectFile(file, request.format, request, limits);
      if (!found.error && found.columns.length === 0) {
        emptyFiles.push(found);
        continue;
      }
      if (!found.format || found.error)
        throw importError('IMPORT_FORMAT', found.error ?? 'unknown format', { file, line: found.errorLine ?? 1 });
      detected.push(found as DetectedFile & { format: FormatId });
    }
    if (detected.length === 0) {
      throw importError('IMPORT_FORMAT', 'every file is empty: there is nothing to import', { file: files[0] });
    }
  } catch (error) {
    // Refused before a run existed: still a user action the audit trail must show.
    const data = error instanceof AppError ? error.toData() : { code: 'INTERNAL', message: (error as Error).message };
    audit.record({
      action: 'costs.import_failed',
      entityType: 'import',
      details: { paths: request.paths, format: request.format, source: request.source ?? null, error: data },
    });
    throw error;
  }
  const sourceName = request.source ?? detected[0]!.format;

  abandonOrphanedRuns(store, audit, now);
  collectGarbage(sqlite);

  const source = ensureSource(store, sourceName, now().toISOString());

  // The exact bytes imported, for the audit trail and to recognise a file imported before. Hashing
  // reads every byte once more (5 s of a 3.4 GB export): it comes first only when an earlier import of
  // this source had files of exactly these sizes, the one case where it can spare the import (or when
  // the files are small); otherwise it runs on another thread alongside the import and is awaited
  // before the run is published.
  const sizes = await Promise.all(files.map(async (file) => (await fs.promises.stat(file)).size));
  const hashAll = async () => {
    const hashes: FileHash[] = [];
    for (const file of files)
      hashes.push(await hashFile(file, (done, total) => report('hashing', file, 0, done, total)));
    return hashes;
  };
  // Large as the scan worker counts it: such imports also checkpoint from another thread.
  const large = sizes.reduce((sum, size) => sum + size, 0) >= (options.minWorkerBytes ?? WORKER_MIN_BYTES);
  const hashFirst =
    !large || importedSizesBefore(store, source.id, sizes) || sizesImportedElsewhere(store, source.id, sizes);
  let fileHashes: FileHash[] | null = hashFirst ? await hashAll() : null;
  // Files hashed later have sizes no other source imported, so they cannot be current there.
  const moves: SourceMove[] = fileHashes ? filesCurrentElsewhere(store, source.id, fileHashes) : [];
  if (moves.length && !request.replaceSource) {
    const error = duplicateSourceError(moves, sourceName, (file) => path.basename(file));
    audit.record({
      action: 'costs.import_failed',
      entityType: 'import',
      details: { paths: request.paths, format: request.format, source: sourceName, fileHashes, error: error.toData() },
    });
    throw error;
  }
  const hashing = fileHashes ? null : hashFilesInThread(files);
  const fingerprintOf = (hashes: FileHash[]) =>
    sha256Hex(
      JSON.stringify({
        files: hashes.map((f) => f.sha256),
        format: request.format,
        currency: request.currency ?? null,
        billingAccountId: request.billingAccountId ?? null,
        skipBadRows: request.skipBadRows,
        mapping: MAPPING_REVISION,
      }),
    );
  let fingerprint = fileHashes ? fingerprintOf(fileHashes) : null;
  const run = beginRun(
    { store, now },
    {
      sourceId: source.id,
      kind: 'import',
      summary: { pid: process.pid, host: os.hostname(), jobId: options.jobId ?? null, files, fileHashes },
    },
  );
  const runId = run.id;
  try {
    // A move must publish (and retract), even when this source already holds the same snapshots.
    const result = (moves.length ? null : identicalImport()) ?? (await bulkAppend(store, large, runImport));
    collectGarbage(sqlite, [], batchSize);
    return result;
  } catch (error) {
    const appError =
      error instanceof AppError
        ? error
        : signal?.aborted
          ? new AppError('CANCELLED', 'the import was cancelled')
          : isBusy(error)
            ? workspaceBusy()
            : error;
    try {
      failRun({ ...deps, now }, run, appError, { source: sourceName, files }, batchSize);
    } catch (recordError) {
      // Still locked: the run stays 'running' and is found abandoned once this process has exited.
      if (!isBusy(recordError)) throw recordError;
      deps.logger?.warn({ err: recordError, runId }, 'could not record the failed import; the workspace is locked');
    }
    throw appError;
  } finally {
    hashing?.stop();
  }

  /**
   * The same bytes, options and source as an earlier import whose snapshots are all still as it left
   * them: the answer is known without reading the files again (a re-import of an unchanged export).
   */
  function identicalImport(): ImportResult | null {
    if (fingerprint === null) return null;
    const previous = sqlite
      .prepare(
        `SELECT id, summary FROM import_run WHERE source_id = ? AND kind = 'import' AND status = 'succeeded'
           AND json_extract(summary, '$.fingerprint') = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(source.id, fingerprint) as { id: string; summary: string } | undefined;
    if (!previous) return null;
    const earlier = JSON.parse(previous.summary) as ImportResult & {
      snapshotDigests?: { billingAccountId: string; billingPeriod: string; digest: string }[];
    };
    const digests = earlier.snapshotDigests;
    if (!digests || earlier.files.length !== files.length) return null;
    const current = sqlite.prepare(
      'SELECT digest FROM cost_snapshot WHERE source_id = ? AND billing_account_id = ? AND billing_period = ?',
    );
    for (const snapshot of digests) {
      const row = current.get(source.id, snapshot.billingAccountId, snapshot.billingPeriod) as
        { digest: string } | undefined;
      if (row?.digest !== snapshot.digest) return null;
    }
    const finishedAt = now().toISOString();
    const result: ImportResult = {
      ...earlier,
      runId,
      source: sourceName,
      files: earlier.files.map((file, index) => ({ ...file, path: files[index]! })),
      inserted: 0,
      updated: 0,
      unchanged: earlier.snapshots.reduce((sum, snapshot) => sum + snapshot.lines, 0),
      removed: 0,
      restated: 0,
      snapshots: earlier.snapshots.map((snapshot) => ({ ...snapshot, status: 'unchanged' as const })),
      alerts: [],
      alertCount: 0,
    };
    for (const key of ['snapshotDigests', 'fileScopes', 'fingerprint', 'fileHashes', 'pid', 'host', 'jobId'] as const) {
      delete (result as unknown as Record<string, unknown>)[key];
    }
    report('publishing', '', result.rowsRead, 0, 0);
    sqlite
      .transaction(() => {
        sqlite
          .prepare(
            `UPDATE import_run SET status = 'succeeded', finished_at = ?, rows_read = ?, summary = ? WHERE id = ?`,
          )
          .run(
            finishedAt,
            result.rowsRead,
            JSON.stringify({
              ...result,
              fingerprint,
              fileHashes,
              snapshotDigests: digests,
              fileScopes: (earlier as { fileScopes?: unknown }).fileScopes,
              identicalTo: previous.id,
            }),
            runId,
          );
        audit.record({
          action: 'costs.imported',
          entityType: 'import_run',
          entityId: runId,
          runId,
          details: {
            source: sourceName,
            files: result.files,
            rowsRead: result.rowsRead,
            inserted: 0,
            updated: 0,
            unchanged: result.unchanged,
            removed: 0,
            restated: 0,
            skipped: result.skippedCount,
            alerts: 0,
            totals: result.totals,
            snapshots: [],
            fileHashes,
            identicalTo: previous.id,
          },
        });
      })
      .immediate();
    return result;
  }

  async function runImport(): Promise<ImportResult> {
    const scopes = new Map<string, ScopeStats>();
    const existingSnapshot = sqlite.prepare(
      `SELECT import_run_id AS runId, digest, line_count AS lineCount FROM cost_snapshot
       WHERE source_id = ? AND billing_account_id = ? AND billing_period = ?`,
    );
    const existingKeys = (
      sqlite
        .prepare(
          'SELECT billing_account_id AS account, billing_period AS period FROM cost_snapshot WHERE source_id = ?',
        )
        .all(source.id) as { account: string; period: string }[]
    ).map((row) => scopeKey(row.account, row.period));
    let skipped: SkippedRow[] = [];
    let skippedCount = 0;
    const fileResults: ImportResult['files'] = [];
    // The snapshots each file provides, by path: recorded by hash so a later import under another
    // source knows which snapshots hold that file (duplicate-source.ts).
    const scopesOfFile = new Map<string, { billingAccountId: string; billingPeriod: string }[]>();
    let rowsRead = 0;
    const ingestedAt = now().toISOString();
    const byCurrency = new Map<string, { billed: bigint; effective: bigint }>();
    // Scopes this run has claimed and noted, across its files.
    const runScopes = newRunScopes();

    // Pass 1: read everything, digest every snapshot, write the lines of snapshots the store has never seen.
    for (const file of detected) {
      const summary = await scan(file, 'reading', { except: existingKeys }, rowsRead);
      rowsRead += summary.rows;
      skipped.push(...summary.skipped.slice(0, MAX_SKIPPED_LISTED - skipped.length));
      skippedCount += summary.skippedCount;
      for (const scanned of summary.scopes) mergeScope(scanned, file.path);
      scopesOfFile.set(
        file.path,
        summary.scopes.map((scanned) => ({
          billingAccountId: scanned.billingAccountId,
          billingPeriod: scanned.billingPeriod,
        })),
      );
      fileResults.push({
        path: file.path,
        format: file.format,
        variant: summary.variant,
        container: file.container,
        rows: summary.rows,
      });
    }
    for (const empty of emptyFiles) {
      fileResults.push({
        path: empty.path,
        format: detected[0]!.format,
        variant: 'empty file',
        container: empty.container,
        rows: 0,
      });
    }

    // Pass 2, only when a stored snapshot changed: write that snapshot's lines too.
    const changed = [...scopes.values()].filter(
      (stats) => stats.existing && stats.existing.digest !== digestText(stats.lines, stats.digestSum),
    );
    if (changed.length) {
      const only = changed.map((stats) => scopeKey(stats.scope.billingAccountId, stats.scope.billingPeriod));
      for (const stats of changed) stats.write = true;
      skipped = [];
      skippedCount = 0;
      let rows = 0;
      for (const file of detected) {
        const summary = await scan(file, 'writing', { only }, rows);
        rows += summary.rows;
        skipped.push(...summary.skipped.slice(0, MAX_SKIPPED_LISTED - skipped.length));
        skippedCount += summary.skippedCount;
      }
    }

    throwIfCancelled();
    const written = [...scopes.values()].filter((stats) => stats.write);

    if (hashing) fileHashes = await hashing.hashes;
    fingerprint = fingerprintOf(fileHashes!);
    throwIfCancelled();

    report('publishing', '', rowsRead, 0, 0);
    const pending: PendingRun = {
      scopes: written.map((stats) => ({
        billingAccountId: stats.scope.billingAccountId,
        billingPeriod: stats.scope.billingPeriod,
        previousRunId: stats.existing?.runId ?? null,
        lines: stats.lines,
        digest: digestText(stats.lines, stats.digestSum),
        currency: stats.currency,
        billed: formatExact(stats.billed),
        effective: formatExact(stats.effective),
      })),
      newLines: written.filter((stats) => !stats.existing).reduce((sum, stats) => sum + stats.lines, 0),
      unchangedLines: [...scopes.values()].filter((s) => !s.write).reduce((sum, stats) => sum + stats.lines, 0),
      thresholdPct: request.alertThresholdPct,
      minAmount: request.alertMinAmount,
    };
    const totals = [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b));
    // The result before publishing: publishedResult and heldResult fill in what the comparison found.
    const base: ImportResult = {
      runId,
      source: sourceName,
      files: fileResults,
      rowsRead,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      restated: 0,
      snapshots: [...scopes.values()].map((stats) => ({
        billingAccountId: stats.scope.billingAccountId,
        billingPeriod: stats.scope.billingPeriod,
        status: !stats.write ? 'unchanged' : stats.existing ? 'replaced' : 'new',
        lines: stats.lines,
      })),
      skipped,
      skippedCount,
      alerts: [],
      alertCount: 0,
      status: 'published',
      totals: totals.map(([currency, t]) => ({
        currency,
        billed: formatExact(t.billed),
        effective: formatExact(t.effective),
      })),
    };
    const stored = {
      fingerprint,
      fileHashes,
      snapshotDigests: [...scopes.values()].map((stats) => ({
        billingAccountId: stats.scope.billingAccountId,
        billingPeriod: stats.scope.billingPeriod,
        digest: digestText(stats.lines, stats.digestSum),
      })),
      fileScopes: Object.fromEntries(fileHashes!.map((hash) => [hash.sha256, scopesOfFile.get(hash.path) ?? []])),
      // Kept for `import accept`: a held run retracts them only when it is published.
      moves,
    };
    let result = base;
    publishRun(
      { store, audit, now },
      {
        runId,
        sourceId: source.id,
        sourceName,
        scopes: pending.scopes,
        thresholdPct,
        minAmount,
        guard: request.confirmReplace ? null : { pct: guardPct, skippedCount },
        moves,
      },
      (outcome, finishedAt) => {
        if (outcome.status === 'held') {
          result = heldResult(base, pending, outcome);
          recordHeld(store, audit, { result, pending, stored, finishedAt });
          return;
        }
        result = publishedResult(base, pending, outcome);
        sqlite
          .prepare(
            `UPDATE import_run SET status = 'succeeded', finished_at = ?, rows_read = ?, summary = ? WHERE id = ?`,
          )
          .run(finishedAt, rowsRead, JSON.stringify({ ...result, ...stored }), runId);
        audit.record({
          action: 'costs.imported',
          entityType: 'import_run',
          entityId: runId,
          runId,
          details: { ...importedDetails(result), fileHashes, confirmedReplace: !!request.confirmReplace },
        });
      },
    );
    return result;

    function mergeScope(scanned: ScannedScope, file: string) {
      const key = scopeKey(scanned.billingAccountId, scanned.billingPeriod);
      let stats = scopes.get(key);
      if (!stats) {
        const scope = {
          sourceId: source.id,
          billingAccountId: scanned.billingAccountId,
          billingPeriod: scanned.billingPeriod,
        };
        const existing = existingSnapshot.get(scope.sourceId, scope.billingAccountId, scope.billingPeriod) as
          ScopeStats['existing'] | undefined;
        stats = {
          scope,
          existing: existing ?? null,
          lines: 0,
          digestSum: 0n,
          currency: scanned.currency,
          billed: 0n,
          effective: 0n,
          write: !existing,
        };
        scopes.set(key, stats);
      } else if (stats.currency !== scanned.currency) {
        throw importError(
          'IMPORT_FORMAT',
          `mixed currencies in one billing period of account ${scanned.billingAccountId} (${stats.currency} and ${scanned.currency}); an export bills one account and period in one currency`,
          { file, line: scanned.firstLine, column: null },
        );
      }
      stats.lines += scanned.lines;
      stats.digestSum = (stats.digestSum + scanned.digestSum) & U64;
      stats.billed += scanned.billed;
      stats.effective += scanned.effective;
      const totals = byCurrency.get(scanned.currency) ?? { billed: 0n, effective: 0n };
      totals.billed += scanned.billed;
      totals.effective += scanned.effective;
      byCurrency.set(scanned.currency, totals);
    }

    async function scan(
      file: DetectedFile & { format: FormatId },
      phase: ImportProgress['phase'],
      write: ScanRequest['write'],
      rowsBefore: number,
    ): Promise<ScanSummary> {
      const scanRequest: ScanRequest = {
        file: file.path,
        format: file.format,
        defaults: mapperDefaults(request),
        skipBadRows: request.skipBadRows,
        runId,
        sourceId: source.id,
        ingestedAt,
        write,
        batchSize,
        limits,
      };
      const appender = lineAppender(
        { store, now },
        run,
        runScopes,
        { fileName: path.basename(file.path), ingestedAt },
        { monthlyFlushCells: options.monthlyFlushCells },
      );
      try {
        const summary = await runScan(
          scanRequest,
          {
            scope: (billingAccountId, billingPeriod) => appender.claim(billingAccountId, billingPeriod),
            rows: (batch) => appender.append(batch),
            progress(rows, bytesRead, totalBytes) {
              report(phase, file.path, rowsBefore + rows, bytesRead, totalBytes);
            },
            aborted: () => signal?.aborted ?? false,
          },
          { workerEntry: options.scanWorkerEntry, minWorkerBytes: options.minWorkerBytes },
        );
        appender.finish();
        return summary;
      } catch (error) {
        if (signal?.aborted) throw new AppError('CANCELLED', 'the import was cancelled; nothing was changed');
        if (error instanceof ScanError) {
          throw importError('IMPORT_FORMAT', error.message, {
            file: error.file,
            line: error.line,
            column: error.column,
          });
        }
        throw error;
      }
    }
  }

  function report(
    phase: ImportProgress['phase'],
    file: string,
    rowsRead: number,
    bytesRead: number,
    totalBytes: number,
  ) {
    options.onProgress?.({ phase, file, rowsRead, bytesRead, totalBytes });
  }

  function throwIfCancelled() {
    if (signal?.aborted) throw new AppError('CANCELLED', 'the import was cancelled; nothing was changed');
  }
}

function parsePercent(text: string): bigint {
  const value = parseAmountOption(text, '--alert-threshold-pct');
  if (value < 0n) throw importError('VALIDATION', `--alert-threshold-pct must not be negative: "${text}"`);
  return value;
}

function parseAmountOption(text: string, option: string): bigint {
  try {
    const value = parseExact(text);
    if (value < 0n) throw new Error('negative');
    return value;
  } catch {
    throw importError('VALIDATION', `${option} must be a non-negative number, got "${text}"`);
  }
}

interface FileHash {
  path: string;
  sha256: string;
  bytes: number;
}

/** Whether an earlier successful import of the source read files of exactly these sizes, in this order. */
function importedSizesBefore(store: Store, sourceId: string, sizes: readonly number[]): boolean {
  return (
    store.sqlite
      .prepare(
        `SELECT 1 FROM import_run WHERE source_id = ? AND kind = 'import' AND status = 'succeeded'
           AND (SELECT group_concat(value ->> 'bytes', ',' ORDER BY key) FROM json_each(summary, '$.fileHashes')) = ?
         LIMIT 1`,
      )
      .get(sourceId, sizes.join(',')) !== undefined
  );
}

// Plain JavaScript evaluated in a worker: hashing beside an import must not take the importing thread's time.
const HASH_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
(async () => {
  const hashes = [];
  for (const file of workerData.files) {
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    hashes.push({ path: file, sha256: hash.digest('hex'), bytes });
  }
  parentPort.postMessage({ hashes });
})().catch((error) => parentPort.postMessage({ error: String((error && error.message) || error) }));
`;

/** SHA-256 of each file, computed on a thread of its own; stop() ends the thread early. */
function hashFilesInThread(files: readonly string[]): { hashes: Promise<FileHash[]>; stop(): void } {
  const worker = new Worker(HASH_THREAD, { eval: true, workerData: { files } });
  const hashes = new Promise<FileHash[]>((resolve, reject) => {
    worker.once('message', (message: { hashes: FileHash[] } | { error: string }) => {
      if ('hashes' in message) resolve(message.hashes);
      else reject(new AppError('UNAVAILABLE', `cannot read the imported files to hash them: ${message.error}`));
    });
    worker.once('error', (error) => reject(error));
    worker.once('exit', (code) => reject(new Error(`the hashing thread stopped with code ${code}`)));
  });
  // Settled here too: an import that fails before awaiting the hashes must not leave a rejection unhandled.
  hashes.catch(() => {});
  return { hashes, stop: () => void worker.terminate() };
}

async function hashFile(file: string, onProgress: (done: number, total: number) => void): Promise<FileHash> {
  const hash = crypto.createHash('sha256');
  const total = (await fs.promises.stat(file)).size;
  let done = 0;
  let lastReport = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    if (Date.now() - lastReport > 200) {
      lastReport = Date.now();
      onProgress(done, total);
    }
  }
  return { path: file, sha256: hash.digest('hex'), bytes: total };
}
