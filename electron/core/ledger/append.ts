/**
 * Appending a run's lines: each batch in one short transaction that writes its lines, the daily rollup
 * of its rowid range and its monthly cells, and records every snapshot scope the run touches before its
 * first line (so a crash leaves a trace for garbage collection).
 */
import type { Statement } from 'better-sqlite3';
import { detach } from '../../../shared/text';
import { startBackgroundCheckpoints } from '../store';
import type { Store } from '../store';
import { claimScope } from './claims';
import { MONTHLY_FLUSH_CELLS, MonthlyCells } from './monthly-cells';
import { insertMonthlyCells, lineRangeRollup, noteRunScope } from './rollups';
import { readColumns, ROW_COLUMNS, rowText, sharedCells, type RowBatch } from './row-batch';
import type { RunRecord } from './runs';

/**
 * The WAL checkpoint threshold while a run appends, in pages (128 MiB of 4 KiB pages). Each batch of
 * lines writes about SQLite's default threshold (1,000 pages) or more, so nearly every commit would
 * also checkpoint, and every checkpoint syncs the database file. This keeps durability (commits and
 * checkpoints work as before) with a sync every 128 MiB of writes instead of every batch; the WAL stays
 * bounded by it.
 */
const BULK_CHECKPOINT_PAGES = 32_768;
/**
 * The page cache while a run appends, as SQLite's cache_size (negative: KiB). A batch dirties a few
 * MiB of pages across the line table, its index and the daily rollup; SQLite's default 2 MiB cache
 * spilled them to the WAL mid-transaction and evicted the trees' inner pages, to be read back. 32 MiB
 * imports 1 M rows as fast as 64 MiB did (16 MiB too, measured) for that much less peak RSS.
 */
const BULK_CACHE_SIZE = -32_768;

/**
 * Runs `work` (the appends of a large run) with the bulk settings above; a large run also checkpoints
 * from another thread (background-checkpoints.ts), so that when the threshold fires only the last pages
 * are left to copy. The connection's settings are restored afterwards, whatever happens.
 */
export async function bulkAppend<T>(store: Store, large: boolean, work: () => Promise<T>): Promise<T> {
  const { sqlite } = store;
  const checkpointPages = Number(sqlite.pragma('wal_autocheckpoint', { simple: true }));
  const cachePages = Number(sqlite.pragma('cache_size', { simple: true }));
  sqlite.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
  sqlite.pragma(`cache_size = ${BULK_CACHE_SIZE}`);
  const checkpoints = large && store.file !== ':memory:' ? startBackgroundCheckpoints(store.file) : null;
  try {
    return await work();
  } finally {
    await checkpoints?.stop();
    sqlite.pragma(`wal_autocheckpoint = ${checkpointPages}`);
    sqlite.pragma(`cache_size = ${cachePages}`);
  }
}

/** Appends the line batches of one file (or one generated set) of a run. */
export interface LineAppender {
  /** Claims a snapshot scope for the run the first time the run meets it (claims.ts). */
  claim(billingAccountId: string, billingPeriod: string): void;
  /** Writes one batch, its daily rollup and its monthly cells, in one transaction. */
  append(batch: RowBatch): void;
  /** Writes the monthly cells still being summed; call once the last batch is appended. */
  finish(): void;
}

/** Scopes a run has claimed and noted, kept across the appenders of its files. */
export interface RunScopes {
  claimed: Set<string>;
  noted: Set<string>;
}

export function newRunScopes(): RunScopes {
  return { claimed: new Set(), noted: new Set() };
}

const scopeKey = (billingAccountId: string, billingPeriod: string) => `${billingAccountId}\u0000${billingPeriod}`;

export function lineAppender(
  deps: { store: Store; now: () => Date },
  run: RunRecord,
  scopes: RunScopes,
  file: { fileName: string; ingestedAt: string },
  options: { monthlyFlushCells?: number } = {},
): LineAppender {
  const { store } = deps;
  const { sqlite } = store;
  const rollUp = lineRangeRollup(sqlite, run.seq);
  const monthly = new MonthlyCells();
  const monthlyFlushCells = options.monthlyFlushCells ?? MONTHLY_FLUSH_CELLS;
  const insert = batchInsert(store, { runSeq: run.seq, fileName: file.fileName, ingestedAt: file.ingestedAt });
  const scope = { runId: run.id, sourceId: run.sourceId };
  return {
    claim(billingAccountId, billingPeriod) {
      const key = scopeKey(billingAccountId, billingPeriod);
      if (scopes.claimed.has(key)) return;
      claimScope(store, { ...scope, billingAccountId, billingPeriod }, deps.now().toISOString());
      scopes.claimed.add(detach(key));
    },
    append(batch) {
      sqlite.transaction(() => {
        const { statement, columns } = insert(batch);
        // One array for every row's values: the statement binds them before the next row fills it.
        const row: unknown[] = [];
        let first: bigint | null = null;
        let last: bigint | null = null;
        // Consecutive rows nearly always share their snapshot: look it up only when it changes.
        let account: string | null = null;
        let period: string | null = null;
        for (let index = 0; index < batch.length; index++) {
          const rowAccount = rowText(batch, index, 'billing_account_id')!;
          const rowPeriod = rowText(batch, index, 'billing_period')!;
          if (rowAccount !== account || rowPeriod !== period) {
            account = rowAccount;
            period = rowPeriod;
            const key = scopeKey(account, period);
            if (!scopes.noted.has(key)) {
              scopes.noted.add(detach(key));
              noteRunScope(sqlite, run.id, {
                sourceId: run.sourceId,
                billingAccountId: account,
                billingPeriod: period,
              });
            }
          }
          last = statement.run(readColumns(batch, index, columns, row)).lastInsertRowid as bigint;
          first ??= last;
        }
        if (first !== null && last !== null) rollUp(first, last);
        monthly.add(batch);
        if (monthly.size >= monthlyFlushCells) insertMonthlyCells(sqlite, run.id, run.sourceId, monthly.take());
      })();
    },
    finish() {
      if (monthly.size) sqlite.transaction(() => insertMonthlyCells(sqlite, run.id, run.sourceId, monthly.take()))();
    },
  };
}

/** Statements batchInsert keeps for the next batches (exports repeat the same shared cells batch after batch). */
const INSERTS_KEPT = 16;
/** Longest text written into an insert statement; longer shared texts are bound like the rest. */
const MAX_LITERAL_LENGTH = 256;

/**
 * The line insert for the batches of one scan. Values every row of a batch shares (the run, file and
 * ingestion time; and the cells sharedCells finds: the provider, day, period, currency… of an export
 * sorted by day) are literals in the statement; the rest are parameters, bound row by row in `columns`
 * order. Binding a text costs the importing thread about 0.1 µs (converted to UTF-8, then copied by
 * SQLite), a fifth of its work per line; a statement per batch costs less than a row.
 */
function batchInsert(store: Store, scan: { runSeq: number; fileName: string; ingestedAt: string }) {
  const text = (value: string) => `'${value.replace(/'/g, "''")}'`;
  // A literal that reads back exactly as the bound value would: texts without NUL (SQL text ends there)
  // and not too long, integers a double holds exactly. Anything else stays a parameter.
  const literal = (value: string | number | null): string | null => {
    if (value === null) return 'NULL';
    if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
    return value.length <= MAX_LITERAL_LENGTH && !value.includes('\0') ? text(value) : null;
  };
  const kept = new Map<string, { statement: Statement<unknown[]>; columns: number[] }>();
  return (batch: RowBatch) => {
    const shared = sharedCells(batch);
    const columns: number[] = [];
    const values = ROW_COLUMNS.map((_, column) => {
      const written = shared.has(column) ? literal(shared.get(column)!) : null;
      if (written === null) columns.push(column);
      return written ?? '?';
    });
    const sql = `INSERT INTO cost_line (run_seq, file_name, ingested_at, ${ROW_COLUMNS.join(', ')})
      VALUES (${Math.trunc(scan.runSeq)}, ${text(scan.fileName)}, ${text(scan.ingestedAt)}, ${values.join(', ')})`;
    let insert = kept.get(sql);
    if (!insert) {
      if (kept.size >= INSERTS_KEPT) kept.clear();
      insert = { statement: store.sqlite.prepare(sql), columns };
      kept.set(sql, insert);
    }
    return insert;
  };
}
