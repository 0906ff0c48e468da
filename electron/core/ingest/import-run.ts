/** Writing an import's lines through the ledger and publishing its run: the importer's second half. */
import path from 'node:path';
import { AppError } from '../../../shared/api/errors';
import { formatExact } from '../../../shared/exact';
import type { AuditLog } from '../audit';
import {
  lineAppender,
  newRunScopes,
  withSourcesOfRecord,
  publishRun,
  recordRunSucceeded,
  type RunRecord,
  type SnapshotScope,
  type SourceMove,
} from '../ledger';
import type { Logger } from '../log';
import type { Store } from '../store';
import { mapperDefaults, type DetectedFile } from './detect';
import type { FileHash, HashesAlongside } from './file-hash';
import { heldResult, importedDetails, publishedResult, recordHeld, type PendingRun } from './held';
import type { FormatId } from './model';
import type { ReadLimits } from './readers';
import {
  digestText,
  MAX_SKIPPED_LISTED,
  ScanError,
  scopeKey,
  type ScannedScope,
  type ScanRequest,
  type ScanSummary,
} from './scan';
import { runScan, type StartedScanWorkers } from './scan-thread';
import {
  importError,
  type ImportOptions,
  type ImportProgress,
  type ImportRequest,
  type ImportResult,
  type SkippedRow,
} from './types';

/** One import under way, once its run has begun: what its steps share. */
export interface ImportRun {
  deps: { store: Store; audit: AuditLog; now: () => Date; logger?: Logger };
  request: ImportRequest;
  options: ImportOptions;
  run: RunRecord;
  source: { id: string; name: string };
  /** Every file the paths named; `detected` are those with rows, `emptyFiles` the rest. */
  files: string[];
  detected: (DetectedFile & { format: FormatId })[];
  emptyFiles: DetectedFile[];
  /** Other sources' snapshots of these files, retracted as the run publishes (`--replace-source`). */
  moves: SourceMove[];
  /** Known before the run when the files were hashed first; otherwise `hashing` answers them. */
  fileHashes: FileHash[] | null;
  hashing: HashesAlongside | null;
  /** What identifies the import's bytes and options (see identical.ts). */
  fingerprintOf(hashes: FileHash[]): string;
  thresholdPct: bigint;
  minAmount: bigint;
  guardPct: bigint;
  batchSize: number;
  limits: ReadLimits;
  /** A scan worker started at the import's start, for its first large scan (scan-thread.ts). */
  scanWorkers: StartedScanWorkers | null;
  report(phase: ImportProgress['phase'], file: string, rowsRead: number, bytesRead: number, totalBytes: number): void;
  throwIfCancelled(): void;
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

/** What reading the files found: each snapshot's statistics, per-file results, skipped rows. */
interface ReadOutcome {
  tally: ScopeTally;
  fileResults: ImportResult['files'];
  /** The snapshots each file provides, by path (see duplicate-source.ts). */
  scopesOfFile: Map<string, { billingAccountId: string; billingPeriod: string }[]>;
  rowsRead: number;
  skipped: SkippedRow[];
  skippedCount: number;
  /** The files' hashes taken by the first pass's scans, by path. */
  scanHashes: Map<string, FileHash>;
}

/**
 * Writes an import's lines and publishes its run, or holds it for confirmation, in one transaction.
 * The lines stay invisible to every reader until then.
 */
export async function writeAndPublish(ctx: ImportRun): Promise<ImportResult> {
  const read = await readFiles(ctx);
  ctx.throwIfCancelled();
  const fileHashes = ctx.hashing ? await ctx.hashing.hashes(read.scanHashes) : ctx.fileHashes!;
  ctx.throwIfCancelled();
  ctx.report('publishing', '', read.rowsRead, 0, 0);
  return publishImport(ctx, read, fileHashes);
}

/**
 * Pass 1 reads everything, digests every snapshot and writes the lines of snapshots the store has never
 * seen; pass 2, only when a stored snapshot's digest moved, reads the files again to write that
 * snapshot's lines too. An unchanged re-import therefore writes nothing.
 */
async function readFiles(ctx: ImportRun): Promise<ReadOutcome> {
  const { sqlite } = ctx.deps.store;
  const existingKeys = (
    sqlite
      .prepare('SELECT billing_account_id AS account, billing_period AS period FROM cost_snapshot WHERE source_id = ?')
      .all(ctx.source.id) as { account: string; period: string }[]
  ).map((row) => scopeKey(row.account, row.period));
  const tally = new ScopeTally(ctx);
  const read: ReadOutcome = {
    tally,
    fileResults: [],
    scopesOfFile: new Map(),
    rowsRead: 0,
    skipped: [],
    skippedCount: 0,
    scanHashes: new Map(),
  };
  const files = new FileScanner(ctx);

  for (const file of ctx.detected) {
    const summary = await files.scan(file, 'reading', { except: existingKeys }, read.rowsRead);
    read.rowsRead += summary.rows;
    if (summary.hash) read.scanHashes.set(file.path, { path: file.path, ...summary.hash });
    read.skipped.push(...summary.skipped.slice(0, MAX_SKIPPED_LISTED - read.skipped.length));
    read.skippedCount += summary.skippedCount;
    for (const scanned of summary.scopes) tally.merge(scanned, file.path);
    read.scopesOfFile.set(
      file.path,
      summary.scopes.map((scanned) => ({
        billingAccountId: scanned.billingAccountId,
        billingPeriod: scanned.billingPeriod,
      })),
    );
    read.fileResults.push({
      path: file.path,
      format: file.format,
      variant: summary.variant,
      container: file.container,
      rows: summary.rows,
    });
  }
  for (const empty of ctx.emptyFiles) {
    read.fileResults.push({
      path: empty.path,
      format: ctx.detected[0]!.format,
      variant: 'empty file',
      container: empty.container,
      rows: 0,
    });
  }

  const changed = [...tally.scopes.values()].filter(
    (stats) => stats.existing && stats.existing.digest !== digestText(stats.lines, stats.digestSum),
  );
  if (changed.length) {
    const only = changed.map((stats) => scopeKey(stats.scope.billingAccountId, stats.scope.billingPeriod));
    for (const stats of changed) stats.write = true;
    read.skipped = [];
    read.skippedCount = 0;
    let rows = 0;
    for (const file of ctx.detected) {
      const summary = await files.scan(file, 'writing', { only }, rows);
      rows += summary.rows;
      read.skipped.push(...summary.skipped.slice(0, MAX_SKIPPED_LISTED - read.skipped.length));
      read.skippedCount += summary.skippedCount;
    }
  }
  return read;
}

/** Publishes (or holds) the run through the ledger and records its result and audit event with it. */
function publishImport(ctx: ImportRun, read: ReadOutcome, fileHashes: FileHash[]): ImportResult {
  const { request, run, source, moves } = ctx;
  const { store, audit, now } = ctx.deps;
  const scopes = [...read.tally.scopes.values()];
  const written = scopes.filter((stats) => stats.write);
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
    unchangedLines: scopes.filter((s) => !s.write).reduce((sum, stats) => sum + stats.lines, 0),
    thresholdPct: request.alertThresholdPct,
    minAmount: request.alertMinAmount,
  };
  const totals = [...read.tally.byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b));
  // The result before publishing: publishedResult and heldResult fill in what the comparison found.
  const base: ImportResult = {
    runId: run.id,
    source: source.name,
    files: read.fileResults,
    rowsRead: read.rowsRead,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    restated: 0,
    snapshots: scopes.map((stats) => ({
      billingAccountId: stats.scope.billingAccountId,
      billingPeriod: stats.scope.billingPeriod,
      status: !stats.write ? 'unchanged' : stats.existing ? 'replaced' : 'new',
      lines: stats.lines,
    })),
    skipped: read.skipped,
    skippedCount: read.skippedCount,
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
    fingerprint: ctx.fingerprintOf(fileHashes),
    fileHashes,
    snapshotDigests: scopes.map((stats) => ({
      billingAccountId: stats.scope.billingAccountId,
      billingPeriod: stats.scope.billingPeriod,
      digest: digestText(stats.lines, stats.digestSum),
    })),
    fileScopes: Object.fromEntries(fileHashes.map((hash) => [hash.sha256, read.scopesOfFile.get(hash.path) ?? []])),
    // Kept for `import accept`: a held run retracts them only when it is published.
    moves,
  };
  let result = base;
  publishRun(
    { store, audit, now },
    {
      runId: run.id,
      sourceId: source.id,
      sourceName: source.name,
      scopes: pending.scopes,
      thresholdPct: ctx.thresholdPct,
      minAmount: ctx.minAmount,
      guard: request.confirmReplace ? null : { pct: ctx.guardPct, skippedCount: read.skippedCount },
      moves,
    },
    (outcome, finishedAt) => {
      if (outcome.status === 'held') {
        result = heldResult(base, pending, outcome);
        recordHeld(store, audit, { result, pending, stored, finishedAt });
        return;
      }
      result = publishedResult(base, pending, outcome);
      result.snapshots = withSourcesOfRecord(store.sqlite, source.id, result.snapshots);
      recordRunSucceeded(store, run.id, { finishedAt, rowsRead: read.rowsRead, summary: { ...result, ...stored } });
      audit.record({
        action: 'costs.imported',
        entityType: 'import_run',
        entityId: run.id,
        runId: run.id,
        details: { ...importedDetails(result), fileHashes, confirmedReplace: !!request.confirmReplace },
      });
    },
  );
  return result;
}

/** Each snapshot's statistics summed over the files, and the totals per currency. */
class ScopeTally {
  readonly scopes = new Map<string, ScopeStats>();
  readonly byCurrency = new Map<string, { billed: bigint; effective: bigint }>();
  private readonly existingSnapshot;

  constructor(private readonly ctx: ImportRun) {
    this.existingSnapshot = ctx.deps.store.sqlite.prepare(
      `SELECT import_run_id AS runId, digest, line_count AS lineCount FROM cost_snapshot
       WHERE source_id = ? AND billing_account_id = ? AND billing_period = ?`,
    );
  }

  /** Adds what one file's scan found of a snapshot; one snapshot in two currencies is refused. */
  merge(scanned: ScannedScope, file: string): void {
    const key = scopeKey(scanned.billingAccountId, scanned.billingPeriod);
    let stats = this.scopes.get(key);
    if (!stats) {
      const scope = {
        sourceId: this.ctx.source.id,
        billingAccountId: scanned.billingAccountId,
        billingPeriod: scanned.billingPeriod,
      };
      const existing = this.existingSnapshot.get(scope.sourceId, scope.billingAccountId, scope.billingPeriod) as
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
      this.scopes.set(key, stats);
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
    const totals = this.byCurrency.get(scanned.currency) ?? { billed: 0n, effective: 0n };
    totals.billed += scanned.billed;
    totals.effective += scanned.effective;
    this.byCurrency.set(scanned.currency, totals);
  }
}

/** Scans files of the run, appending the lines asked for through the ledger. */
class FileScanner {
  // Scopes the run has claimed and noted, across its files and passes.
  private readonly runScopes = newRunScopes();
  private readonly ingestedAt: string;

  constructor(private readonly ctx: ImportRun) {
    this.ingestedAt = ctx.deps.now().toISOString();
  }

  async scan(
    file: DetectedFile & { format: FormatId },
    phase: ImportProgress['phase'],
    write: ScanRequest['write'],
    rowsBefore: number,
  ): Promise<ScanSummary> {
    const { ctx, ingestedAt } = this;
    const { request, options, run } = ctx;
    const signal = options.signal;
    const scanRequest: ScanRequest = {
      file: file.path,
      format: file.format,
      defaults: mapperDefaults(request),
      skipBadRows: request.skipBadRows,
      runId: run.id,
      sourceId: ctx.source.id,
      ingestedAt,
      write,
      batchSize: ctx.batchSize,
      limits: ctx.limits,
    };
    const appender = lineAppender(
      ctx.deps,
      run,
      this.runScopes,
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
            ctx.report(phase, file.path, rowsBefore + rows, bytesRead, totalBytes);
          },
          aborted: () => signal?.aborted ?? false,
        },
        {
          workerEntry: options.scanWorkerEntry,
          minWorkerBytes: options.minWorkerBytes,
          started: ctx.scanWorkers ?? undefined,
        },
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
