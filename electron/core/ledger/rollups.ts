/**
 * The rollups a run's lines feed: the daily rollup (per batch, by rowid range), the monthly rollup
 * (summed as lines are appended, or derived from the daily one) and the current-snapshot cube, kept in
 * step as snapshots are repointed.
 */
import { joinExact } from '../../../shared/exact';
import type { Sqlite } from '../store';
import { visibleMonthlyRollup } from './visible';

export interface SnapshotScope {
  sourceId: string;
  billingAccountId: string;
  billingPeriod: string;
}

const DAILY_COLUMNS = `INSERT INTO cost_rollup_daily (day, run_seq, billing_period, provider,
    billing_account_id, sub_account_id, service_name, service_category, region, charge_category, currency, billed_nanos,
    billed_atto, billed_ronto, effective_nanos, effective_atto, effective_ronto, line_count, billed_units, effective_units)
  SELECT charge_day, run_seq, billing_period, provider, billing_account_id,
    COALESCE(sub_account_id, ''), service_name, COALESCE(service_category, ''), COALESCE(region, ''),
    charge_category, currency,`;
/** One rollup row per line, summed into its cell by the upsert (see lineRangeRollup). */
const DAILY_INSERT_LINES = `${DAILY_COLUMNS} billed_nanos, billed_atto, billed_ronto, effective_nanos, effective_atto,
    effective_ronto, 1, billed_units, effective_units
  FROM cost_line`;
const SUM_COLUMNS = [
  'billed_units',
  'billed_nanos',
  'billed_atto',
  'billed_ronto',
  'effective_units',
  'effective_nanos',
  'effective_atto',
  'effective_ronto',
  'line_count',
];
/** The SET list of an upsert that adds the incoming row's sums to the stored row's. */
const ADD_SUMS = SUM_COLUMNS.map((column) => `${column} = ${column} + excluded.${column}`).join(', ');

/** Lines and daily rollup rows name their run by its number (import_run.seq): the number of run @runId. */
export const RUN_SEQ_OF_RUN_ID = '(SELECT seq FROM import_run WHERE id = @runId)';

/**
 * Adds the daily rollup of a batch of lines just written (a rowid range of one run) into the run's
 * cells; importers call this per batch, while the next batch is still being parsed, instead of
 * re-reading every line at the end.
 */
export function lineRangeRollup(sqlite: Sqlite, runSeq: number): (firstRowid: bigint, lastRowid: bigint) => void {
  // Prepared once per import, not per batch: compiling the statement is a fixed cost every batch paid.
  const statement = sqlite.prepare(
    // NOT INDEXED: the batch is a rowid range; the line index (run first) would make the planner read
    // every line the run wrote so far, for each batch. No GROUP BY: the upsert sums a batch's lines of
    // one cell as it sums cells across batches, and skips sorting the batch. Exports sorted by day with
    // one line per cell (the ingest benchmark's shape) took 3.0 s of rollup per 730,000 lines grouped,
    // 1.7 s this way; with 100 lines per cell both took the same.
    `${DAILY_INSERT_LINES} NOT INDEXED WHERE rowid BETWEEN @first AND @last AND run_seq = @runSeq
     ON CONFLICT DO UPDATE SET ${ADD_SUMS}`,
  );
  return (first, last) => void statement.run({ runSeq, first, last });
}

/** The monthly rollup of one run's scope, from its daily rollup. */
export function buildScopeMonthlyRollup(sqlite: Sqlite, runId: string, scope: SnapshotScope): void {
  sqlite
    .prepare(
      `INSERT INTO cost_rollup_monthly (month, import_run_id, source_id, billing_period, provider, billing_account_id,
         sub_account_id, service_name, service_category, region, charge_category, currency, billed_nanos, billed_atto,
         billed_ronto, effective_nanos, effective_atto, effective_ronto, line_count, billed_units, effective_units)
       SELECT substr(day, 1, 7), @runId, @sourceId, billing_period, provider, billing_account_id, sub_account_id,
         service_name, service_category, region, charge_category, currency, SUM(billed_nanos), SUM(billed_atto),
         SUM(billed_ronto), SUM(effective_nanos), SUM(effective_atto), SUM(effective_ronto), SUM(line_count),
         SUM(billed_units), SUM(effective_units)
       FROM cost_rollup_daily
       WHERE run_seq = ${RUN_SEQ_OF_RUN_ID} AND billing_period = @billingPeriod
         AND billing_account_id = @billingAccountId
       GROUP BY 1, 4, 5, 6, 7, 8, 9, 10, 11, 12`,
    )
    .run({ runId, ...scope });
}

/** A monthly rollup cell summed outside SQL: its scope, dimensions and exact sums. */
export interface MonthlyCell {
  billingAccountId: string;
  billingPeriod: string;
  /** Month, provider, sub account, service, service category, region, charge category, currency; absent ones ''. */
  dims: readonly string[];
  lines: number;
  /**
   * Billed units, nanos, atto and ronto, then effective: integers, not necessarily normalised (a
   * fraction may exceed its unit), as readers join what they sum (cellAmounts).
   */
  parts: readonly [
    number | bigint,
    number | bigint,
    number | bigint,
    number | bigint,
    number | bigint,
    number | bigint,
    number | bigint,
    number | bigint,
  ];
}

/** A cell's exact billed and effective amounts. */
export function cellAmounts(cell: MonthlyCell): { billed: bigint; effective: bigint } {
  const [bu, bn, ba, br, eu, en, ea, er] = cell.parts.map((part) => BigInt(part));
  return { billed: joinExact(bu!, bn!, ba!, br!), effective: joinExact(eu!, en!, ea!, er!) };
}

/**
 * Writes monthly rollup rows of one run from cells an import summed as it wrote its lines (the rows
 * buildScopeMonthlyRollup would derive from the daily rollup, without reading it back). A cell may
 * arrive in parts, each its own row: readers sum rows.
 */
export function insertMonthlyCells(
  sqlite: Sqlite,
  runId: string,
  sourceId: string,
  cells: Iterable<MonthlyCell>,
): void {
  const insert = sqlite.prepare(
    `INSERT INTO cost_rollup_monthly (month, provider, sub_account_id, service_name, service_category, region,
       charge_category, currency, import_run_id, source_id, billing_account_id, billing_period, line_count,
       billed_units, billed_nanos, billed_atto, billed_ronto, effective_units, effective_nanos, effective_atto,
       effective_ronto)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const cell of cells) {
    const { dims, parts } = cell;
    if (dims.length !== 8) throw new Error(`a monthly cell has ${dims.length} dimensions, not 8`);
    insert.run(
      dims[0],
      dims[1],
      dims[2],
      dims[3],
      dims[4],
      dims[5],
      dims[6],
      dims[7],
      runId,
      sourceId,
      cell.billingAccountId,
      cell.billingPeriod,
      cell.lines,
      parts[0],
      parts[1],
      parts[2],
      parts[3],
      parts[4],
      parts[5],
      parts[6],
      parts[7],
    );
  }
}

/**
 * Adds (sign 1) or removes (sign -1) one run's scope in the current-snapshot cube. Call in the
 * transaction that repoints the snapshot: remove the old run's scope, add the new one.
 */
export function applyScopeToCube(sqlite: Sqlite, runId: string, scope: SnapshotScope, sign: 1 | -1): void {
  sqlite
    .prepare(
      `${cubeUpsert(sign)}
       WHERE source_id = @sourceId AND billing_account_id = @billingAccountId AND billing_period = @billingPeriod
         AND import_run_id = @runId
       GROUP BY 1, 2, 3, 4, 5, 6, 7
       ON CONFLICT (service_name, month, currency, provider, service_category, region, charge_category) DO UPDATE SET
         ${ADD_SUMS}`,
    )
    .run({ runId, ...scope });
  // A cell whose last line went away leaves the cube.
  if (sign < 0) sqlite.prepare('DELETE FROM cost_cube_monthly WHERE line_count = 0').run();
}

/**
 * Adds a run's scopes to the cube: in one statement when they are every scope the run wrote lines for
 * (an import's published scopes always are), else scope by scope. One statement per scope (an export
 * of 50 accounts has 50) cost a publish as much as the rest of it.
 */
export function addRunToCube(sqlite: Sqlite, runId: string, scopes: readonly SnapshotScope[]): void {
  const written = sqlite.prepare('SELECT COUNT(*) FROM import_run_scope WHERE import_run_id = ?').pluck().get(runId);
  if (Number(written) !== scopes.length) {
    for (const scope of scopes) applyScopeToCube(sqlite, runId, scope, 1);
    return;
  }
  sqlite
    .prepare(
      `${cubeUpsert(1)}
       WHERE import_run_id = ?
       GROUP BY 1, 2, 3, 4, 5, 6, 7
       ON CONFLICT (service_name, month, currency, provider, service_category, region, charge_category) DO UPDATE SET
         ${ADD_SUMS}`,
    )
    .run(runId);
}

function cubeUpsert(sign: 1 | -1): string {
  return `INSERT INTO cost_cube_monthly (month, provider, service_name, service_category, region, charge_category, currency,
         ${SUM_COLUMNS.join(', ')})
       SELECT month, provider, service_name, service_category, region, charge_category, currency,
         ${SUM_COLUMNS.map((column) => `${sign} * SUM(${column})`).join(', ')}
       FROM cost_rollup_monthly`;
}

/** Rebuilds the cube from the current snapshots (after a writer replaced whole sources, like the demo). */
export function rebuildCube(sqlite: Sqlite): void {
  sqlite.prepare('DELETE FROM cost_cube_monthly').run();
  sqlite
    .prepare(
      `INSERT INTO cost_cube_monthly (month, provider, service_name, service_category, region, charge_category, currency,
         ${SUM_COLUMNS.join(', ')})
       SELECT r.month, r.provider, r.service_name, r.service_category, r.region, r.charge_category, r.currency,
         ${SUM_COLUMNS.map((column) => `SUM(r.${column})`).join(', ')}
       FROM ${visibleMonthlyRollup('r', 's')}
       GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    )
    .run();
}

/** Records that a run is about to write lines for a scope (before the lines, so a crash leaves a trace). */
export function noteRunScope(sqlite: Sqlite, runId: string, scope: SnapshotScope): void {
  sqlite
    .prepare(
      `INSERT OR IGNORE INTO import_run_scope (import_run_id, source_id, billing_account_id, billing_period)
       VALUES (?, ?, ?, ?)`,
    )
    .run(runId, scope.sourceId, scope.billingAccountId, scope.billingPeriod);
}

const SNAPSHOT_COLUMNS = ['import_run_id', 'digest', 'currency', ...SUM_COLUMNS, 'updated_at', 'counted'];

/** Repoints an existing snapshot row: the tail of every INSERT INTO cost_snapshot. */
export const SNAPSHOT_UPSERT = `ON CONFLICT (source_id, billing_account_id, billing_period) DO UPDATE SET
  ${SNAPSHOT_COLUMNS.map((column) => `${column} = excluded.${column}`).join(', ')}`;

/**
 * Points every scope a run wrote at that run, with totals and line counts computed from its lines.
 * For writers that replace whole scopes at once (the demo); imports set digests of their own.
 */
export function publishRunScopes(sqlite: Sqlite, runId: string, nowIso: string): void {
  sqlite
    .prepare(
      `INSERT INTO cost_snapshot (source_id, billing_account_id, billing_period, import_run_id, digest, line_count,
         currency, billed_nanos, billed_atto, billed_ronto, effective_nanos, effective_atto, effective_ronto, updated_at,
         billed_units, effective_units)
       SELECT source_id, billing_account_id, billing_period, import_run_id, '', SUM(line_count), MIN(currency),
         SUM(billed_nanos), SUM(billed_atto), SUM(billed_ronto), SUM(effective_nanos), SUM(effective_atto),
         SUM(effective_ronto), @nowIso, SUM(billed_units), SUM(effective_units)
       FROM cost_rollup_monthly WHERE import_run_id = @runId
       GROUP BY source_id, billing_account_id, billing_period
       ${SNAPSHOT_UPSERT}`,
    )
    .run({ runId, nowIso });
}

/** Scopes of one run's billing period: the accounts a run wrote in one period of one source. */
export interface RunPeriodScopes {
  runId: string;
  sourceId: string;
  billingPeriod: string;
  accounts: string[];
}

/**
 * Groups scopes by run period. Lines and the daily rollup are keyed by run and period, not account, so
 * reading one scope reads its whole run period: work on scopes goes a run period at a time.
 */
export function groupByRunPeriod(scopes: Iterable<SnapshotScope & { runId: string }>): RunPeriodScopes[] {
  const groups = new Map<string, RunPeriodScopes>();
  for (const { runId, sourceId, billingPeriod, billingAccountId } of scopes) {
    const key = JSON.stringify([runId, sourceId, billingPeriod]);
    let group = groups.get(key);
    if (!group) {
      group = { runId, sourceId, billingPeriod, accounts: [] };
      groups.set(key, group);
    }
    group.accounts.push(billingAccountId);
  }
  return [...groups.values()];
}
