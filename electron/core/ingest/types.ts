/** What an import is asked, what it answers, and how it fails: the importer's public shapes. */
import { AppError } from '../../../shared/api/errors';
import { boundedMessage, excerpt, MAX_EXCERPT } from '../../../shared/text';
import type { AuditLog } from '../audit';
import type { ImportResult } from '../../../shared/api/costs';
import type { Logger } from '../log';
import type { Store } from '../store';
import type { FormatId } from './model';
import type { ReadLimits } from './readers';

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

// The contract's shape (shared/api/costs.ts) is the one definition of an import's answer.
export type { ImportResult } from '../../../shared/api/costs';
export type SkippedRow = ImportResult['skipped'][number];

export interface ImportDeps {
  store: Store;
  audit: AuditLog;
  logger?: Logger;
  now: () => Date;
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

/**
 * Cell alerts an import's result lists; the rest are counted (alertCount) and all are in the alert
 * list. A full restatement of a million lines raised a million: stored whole in the run's summary and
 * the job's result, they made every Recent imports and Jobs answer take seconds.
 */
export const MAX_ALERTS_LISTED = 1000;

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
