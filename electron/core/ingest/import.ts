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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import { NonNegativeDecimalSchema, PercentSchema } from '../../../shared/api/schemas';
import { parseExact } from '../../../shared/exact';
import { sha256Hex } from '../audit';
import { abandonOrphanedRuns, beginRun, bulkAppend, collectGarbage, ensureSource, failRun } from '../ledger';
import { detectFile, type DetectedFile } from './detect';
import {
  duplicateSourceError,
  filesCurrentElsewhere,
  sizesImportedElsewhere,
  type SourceMove,
} from './duplicate-source';
import { hashAlongside, hashFile, importedSizesBefore, type FileHash } from './file-hash';
import { importLimits, importSettings } from './history';
import { identicalImport } from './identical';
import { writeAndPublish, type ImportRun } from './import-run';
import { MAPPING_REVISION, type FormatId } from './model';
import { expandImportPaths } from './paths';
import { hashedWhileRead } from './readers';
import type { ReadLimits } from './readers';
import { startScanWorkerEarly, WORKER_MIN_BYTES, type StartedScanWorkers } from './scan-thread';
import {
  importError,
  type ImportDeps,
  type ImportOptions,
  type ImportProgress,
  type ImportRequest,
  type ImportResult,
} from './types';

export { detectFile, type DetectedFile } from './detect';
export { expandImportPaths } from './paths';
export * from './types';

/**
 * Lines per write transaction, which is also what the scan worker hands over at a time. Smaller batches
 * are faster: a batch and its rollup fit the processor's caches, and the batch the worker is filling
 * is what its young-generation collections copy (see SCAN_YOUNG_GENERATION_MB). Measured on the
 * benchmark's files against 5,000 lines: 1 M narrow rows 11.3-12.1 s against 12.5-15.2 s, 100,000 rows
 * 1.67-1.79 s against 1.83-1.88 s, 1 M wide rows 35 s against 41 s; Parquet level. 500 lines was as
 * fast; below that every commit's own cost shows.
 */
const DEFAULT_BATCH_LINES = 1_000;

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
  const { store } = deps;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_LINES;
  const thresholdPct = parseOption(NonNegativeDecimalSchema, request.alertThresholdPct, '--alert-threshold-pct');
  const minAmount = parseOption(NonNegativeDecimalSchema, request.alertMinAmount, '--alert-min-amount');
  const guardPct = parseOption(
    PercentSchema,
    request.replaceGuardPct ?? importSettings(store).replaceGuardPct,
    'the replacement guard (import.replaceGuardPct)',
  );

  const limits = request.limits ?? importLimits(store);
  const started = (await namesLargeFile(request.paths, options.minWorkerBytes ?? WORKER_MIN_BYTES))
    ? startScanWorkerEarly({ workerEntry: options.scanWorkerEntry })
    : null;
  try {
    return await importDetected(deps, request, options, {
      limits,
      started,
      batchSize,
      thresholdPct,
      minAmount,
      guardPct,
    });
  } finally {
    started?.stop();
  }
}

/**
 * Whether the paths name a file large enough for the scan worker (directories are expanded later, and
 * their imports start the worker when they reach it).
 */
async function namesLargeFile(paths: readonly string[], minWorkerBytes: number): Promise<boolean> {
  const sizes = await Promise.all(
    paths.map((file) =>
      fs.promises.stat(file).then(
        (stat) => (stat.isFile() ? stat.size : 0),
        () => 0,
      ),
    ),
  );
  return sizes.some((size) => size >= minWorkerBytes);
}

async function importDetected(
  deps: ImportDeps,
  request: ImportRequest,
  options: ImportOptions,
  prepared: {
    limits: ReadLimits;
    started: StartedScanWorkers | null;
    batchSize: number;
    thresholdPct: bigint;
    minAmount: bigint;
    guardPct: bigint;
  },
): Promise<ImportResult> {
  const { store, audit } = deps;
  const { sqlite } = store;
  const now = deps.now;
  const signal = options.signal;
  const { limits, batchSize, thresholdPct, minAmount, guardPct } = prepared;
  const { files, detected, emptyFiles } = await detectImportFiles(audit, request, limits);
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
  const fileHashes: FileHash[] | null = hashFirst ? await hashAll() : null;
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
  const hashing = fileHashes
    ? null
    : hashAlongside(
        files,
        new Set(detected.filter((file) => hashedWhileRead(file.container)).map((file) => file.path)),
      );
  const fingerprintOf = (hashes: FileHash[]) => importFingerprint(request, hashes);
  const run = beginRun(
    { store, now },
    {
      sourceId: source.id,
      kind: 'import',
      summary: { pid: process.pid, host: os.hostname(), jobId: options.jobId ?? null, files, fileHashes },
    },
  );
  const ctx: ImportRun = {
    deps: { store, audit, now, logger: deps.logger },
    request,
    options,
    run,
    source: { id: source.id, name: sourceName },
    files,
    detected,
    emptyFiles,
    moves,
    fileHashes,
    hashing,
    fingerprintOf,
    thresholdPct,
    minAmount,
    guardPct,
    batchSize,
    limits,
    scanWorkers: prepared.started,
    report,
    throwIfCancelled,
  };
  try {
    // A move must publish (and retract), even when this source already holds the same snapshots.
    const result =
      (moves.length ? null : identicalImport(ctx)) ?? (await bulkAppend(store, large, () => writeAndPublish(ctx)));
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
      deps.logger?.warn(
        { err: recordError, runId: run.id },
        'could not record the failed import; the workspace is locked',
      );
    }
    throw appError;
  } finally {
    hashing?.stop();
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

/**
 * Every file the request names, with its format: those with rows (`detected`) and the empty ones. A
 * refusal here comes before any run exists, and is still audited as the user action it was.
 */
async function detectImportFiles(
  audit: ImportDeps['audit'],
  request: ImportRequest,
  limits: ReadLimits,
): Promise<{ files: string[]; detected: (DetectedFile & { format: FormatId })[]; emptyFiles: DetectedFile[] }> {
  const detected: (DetectedFile & { format: FormatId })[] = [];
  const emptyFiles: DetectedFile[] = [];
  try {
    const files = await expandImportPaths(request.paths);
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
    return { files, detected, emptyFiles };
  } catch (error) {
    const data = error instanceof AppError ? error.toData() : { code: 'INTERNAL', message: (error as Error).message };
    audit.record({
      action: 'costs.import_failed',
      entityType: 'import',
      details: { paths: request.paths, format: request.format, source: request.source ?? null, error: data },
    });
    throw error;
  }
}

/** What identifies an import's bytes and options: equal fingerprints give equal snapshots (identical.ts). */
function importFingerprint(request: ImportRequest, hashes: readonly FileHash[]): string {
  return sha256Hex(
    JSON.stringify({
      files: hashes.map((f) => f.sha256),
      format: request.format,
      currency: request.currency ?? null,
      billingAccountId: request.billingAccountId ?? null,
      skipBadRows: request.skipBadRows,
      mapping: MAPPING_REVISION,
    }),
  );
}

/** An option's exact value, checked by the same schema the contract and the settings use. */
function parseOption(schema: z.ZodType<string>, text: string, option: string): bigint {
  const checked = schema.safeParse(text);
  if (!checked.success) {
    throw importError(
      'VALIDATION',
      `${option} must be ${checked.error.issues[0]!.message.replace(/^expected /, '')}, got "${text}"`,
    );
  }
  return parseExact(checked.data);
}
