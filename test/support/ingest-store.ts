/**
 * An empty workspace for import tests, and read-outs of what an import left in the store: visible lines,
 * snapshots, restatements, alerts and the audit trail, for "nothing changed" comparisons.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { queryCosts, type CostDimension, type CostQuery } from '../../electron/core/costs/query';
import type { ImportDeps, ImportRequest } from '../../electron/core/ingest/import';
import { silentLogger } from '../../electron/core/log/logger';
import type { Sqlite } from '../../electron/core/store/database';
import { openWorkspace, workspacePaths, type Workspace } from '../../electron/core/workspace/workspace';
import { formatExact, joinExact } from '../../shared/exact';
import { tempDir } from './workspace';

export const INGEST_AS_OF = '2026-11-21';

/** A new, empty (non-demo) workspace in a temp folder. Imports use the real clock so run ids sort by time. */
export function emptyWorkspace(): { workspace: Workspace; dir: string; deps: ImportDeps } {
  const dir = path.join(tempDir('valdrix-ingest-'), 'ws');
  const workspace = openWorkspace(dir, {
    clock: fixedClock(parseAsOf(INGEST_AS_OF)),
    create: true,
    logger: silentLogger(),
    name: 'ingest test',
  });
  return {
    workspace,
    dir,
    deps: { store: workspace.store, audit: workspace.audit, now: () => workspace.clock.now(), logger: silentLogger() },
  };
}

/** Closes a workspace from emptyWorkspace and deletes its temp folder, generated export files included. */
export function disposeWorkspace(workspace: Workspace): void {
  workspace.close();
  fs.rmSync(path.dirname(workspace.paths.dir), { recursive: true, force: true });
}

/** An import request with the product's defaults (2 % threshold, no minimum amount). */
export function request(paths: string | string[], overrides: Partial<ImportRequest> = {}): ImportRequest {
  return {
    paths: Array.isArray(paths) ? paths : [paths],
    format: 'auto',
    skipBadRows: false,
    alertThresholdPct: '2',
    alertMinAmount: '0',
    ...overrides,
  };
}

/** Exact decimal text of a stored amount's columns (billed / effective / list): units, nanos, atto, ronto. */
export function exactOf(row: Record<string, unknown>, prefix: string): string | null {
  const nanos = row[`${prefix}_nanos`];
  if (nanos === null || nanos === undefined) return null;
  return formatExact(
    joinExact(
      BigInt((row[`${prefix}_units`] as bigint | null) ?? 0n),
      BigInt(nanos as bigint),
      BigInt(row[`${prefix}_atto`] as bigint),
      BigInt(row[`${prefix}_ronto`] as bigint),
    ),
  );
}

export interface StoredLine {
  id: number;
  runId: string;
  source: string;
  provider: string;
  billingAccountId: string;
  billingPeriod: string;
  subAccountId: string | null;
  serviceName: string;
  resourceId: string | null;
  chargeCategory: string;
  chargeDay: string;
  currency: string;
  billed: string;
  effective: string;
  list: string | null;
  tags: Record<string, string>;
  fileName: string;
  lineNumber: number;
}

/**
 * Lines of current snapshots (what every reader sees), in file order. Written out here by the plain
 * definition, not with the readers' faster VISIBLE_LINES, so tests compare the two.
 */
export function visibleLines(sqlite: Sqlite): StoredLine[] {
  const rows = sqlite
    .prepare(
      `SELECT l.*, run.id AS run_id, src.name AS source_name FROM cost_line l
       JOIN import_run run ON run.seq = l.run_seq
       JOIN cost_snapshot s ON s.source_id = run.source_id AND s.billing_account_id = l.billing_account_id
         AND s.billing_period = l.billing_period AND s.import_run_id = run.id
       JOIN cost_source src ON src.id = run.source_id ORDER BY l.file_name, l.line_number, l.id`,
    )
    .all() as Record<string, unknown>[];
  return rows.map((row) => ({
    id: Number(row.id),
    runId: row.run_id as string,
    source: row.source_name as string,
    provider: row.provider as string,
    billingAccountId: row.billing_account_id as string,
    billingPeriod: row.billing_period as string,
    subAccountId: row.sub_account_id as string | null,
    serviceName: row.service_name as string,
    resourceId: row.resource_id as string | null,
    chargeCategory: row.charge_category as string,
    chargeDay: row.charge_day as string,
    currency: row.currency as string,
    billed: exactOf(row, 'billed')!,
    effective: exactOf(row, 'effective')!,
    list: exactOf(row, 'list'),
    tags: JSON.parse(row.tags as string) as Record<string, string>,
    fileName: row.file_name as string,
    lineNumber: Number(row.line_number),
  }));
}

export interface SnapshotRow {
  source: string;
  billingAccountId: string;
  billingPeriod: string;
  runId: string;
  lineCount: number;
  currency: string;
  billed: string;
  effective: string;
}

export function snapshots(sqlite: Sqlite): SnapshotRow[] {
  const rows = sqlite
    .prepare(
      `SELECT s.*, src.name AS source_name FROM cost_snapshot s JOIN cost_source src ON src.id = s.source_id
       ORDER BY src.name, s.billing_account_id, s.billing_period`,
    )
    .all() as Record<string, unknown>[];
  return rows.map((row) => ({
    source: row.source_name as string,
    billingAccountId: row.billing_account_id as string,
    billingPeriod: row.billing_period as string,
    runId: row.import_run_id as string,
    lineCount: Number(row.line_count),
    currency: row.currency as string,
    billed: exactOf(row, 'billed')!,
    effective: exactOf(row, 'effective')!,
  }));
}

export function count(sqlite: Sqlite, sql: string, ...params: unknown[]): number {
  const row = sqlite.prepare(sql).get(...params) as Record<string, unknown>;
  return Number(Object.values(row)[0]);
}

export function runStatus(sqlite: Sqlite, runId: string): string | undefined {
  return (sqlite.prepare('SELECT status FROM import_run WHERE id = ?').get(runId) as { status: string } | undefined)
    ?.status;
}

/** Everything a user can see of the cost data, for before/after equality. */
export function visibleState(sqlite: Sqlite) {
  return {
    lines: visibleLines(sqlite),
    snapshots: snapshots(sqlite),
    restatements: sqlite.prepare('SELECT * FROM cost_restatement ORDER BY id').all(),
    alerts: sqlite.prepare('SELECT * FROM alert ORDER BY id').all(),
    rollupDaily: count(
      sqlite,
      `SELECT COUNT(*) FROM cost_rollup_daily r JOIN import_run run ON run.seq = r.run_seq
         JOIN cost_snapshot s ON s.source_id = run.source_id AND s.billing_account_id = r.billing_account_id
         AND s.billing_period = r.billing_period AND s.import_run_id = run.id`,
    ),
    costs: allCosts(sqlite),
  };
}

/** queryCosts over everything, grouped by the given dimensions. */
export function allCosts(sqlite: Sqlite, by: CostDimension[] = [], extra: Partial<CostQuery> = {}) {
  return queryCosts(sqlite, { by, status: 'all', asOf: INGEST_AS_OF, ...extra });
}

/** A read-only second connection to a workspace's database (another process's view). */
export function openReadOnly(dir: string): Database.Database {
  const db = new Database(workspacePaths(dir).database, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.defaultSafeIntegers(true);
  return db;
}
