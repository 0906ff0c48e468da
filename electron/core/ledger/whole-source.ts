/**
 * Writers that replace a whole source at once (the demo today): the source's old data is removed and
 * the new run's scopes published in the writer's one transaction, so readers see the old data or the
 * new, never a mix.
 */
import { ulid } from 'ulid';
import type { Store } from '../store';
import { settleRecords, type RecordKey } from './records';
import { publishRunScopes, rebuildCube } from './rollups';

/**
 * The source named `name` (created with `kind` when absent), emptied of every line, rollup, snapshot
 * and run scope and its version bumped. Call inside the writer's transaction; returns the lines removed.
 */
export function replaceWholeSource(
  store: Store,
  source: { name: string; kind: 'demo' | 'import' },
  nowIso: string,
): { id: string; replacedLines: number } {
  const { sqlite } = store;
  const found = sqlite.prepare('SELECT id, version FROM cost_source WHERE name = ?').get(source.name) as
    { id: string; version: number | bigint } | undefined;
  if (!found) {
    const id = ulid();
    sqlite
      .prepare(`INSERT INTO cost_source (id, version, updated_at, name, kind, created_at) VALUES (?, 1, ?, ?, ?, ?)`)
      .run(id, nowIso, source.name, source.kind, nowIso);
    return { id, replacedLines: 0 };
  }
  const ofSource = 'run_seq IN (SELECT seq FROM import_run WHERE source_id = ?)';
  const replacedLines = sqlite.prepare(`DELETE FROM cost_line WHERE ${ofSource}`).run(found.id).changes;
  sqlite.prepare(`DELETE FROM cost_rollup_daily WHERE ${ofSource}`).run(found.id);
  for (const table of ['cost_snapshot', 'cost_rollup_monthly', 'import_run_scope']) {
    sqlite.prepare(`DELETE FROM ${table} WHERE source_id = ?`).run(found.id);
  }
  sqlite.prepare('UPDATE cost_source SET version = version + 1, updated_at = ? WHERE id = ?').run(nowIso, found.id);
  return { id: found.id, replacedLines };
}

/** Publishes every scope a whole-source run wrote (totals from its rollups) and rebuilds the cube. */
export function publishWholeRun(store: Store, runId: string, nowIso: string): void {
  const { sqlite } = store;
  publishRunScopes(sqlite, runId, nowIso);
  // Every scope the source held before, and every scope it holds now, settles its source of record.
  const keys = sqlite
    .prepare(
      `SELECT billing_account_id AS billingAccountId, billing_period AS billingPeriod FROM cost_snapshot WHERE import_run_id = ?
       UNION SELECT billing_account_id, billing_period FROM source_of_record
         WHERE source_id = (SELECT source_id FROM import_run WHERE id = ?)`,
    )
    .all(runId, runId) as RecordKey[];
  settleRecords(sqlite, keys, nowIso);
  rebuildCube(sqlite);
}

/** Whether the store holds lines of any source not of `kind` (the demo never mixes with real costs). */
export function holdsLinesOfOtherKinds(store: Store, kind: 'demo' | 'import'): boolean {
  const row = store.sqlite
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM cost_line l JOIN import_run r ON r.seq = l.run_seq
         JOIN cost_source s ON s.id = r.source_id WHERE s.kind <> ?) AS found`,
    )
    .get(kind) as { found: bigint };
  return row.found !== 0n;
}
