import type { Sqlite } from '../store';
import { groupByRunPeriod, RUN_SEQ_OF_RUN_ID, type SnapshotScope } from './rollups';

/**
 * Deletes lines and rollups no current snapshot points at (superseded snapshots, failed and cancelled
 * runs), except those of runs still in progress or held for confirmation and the superseded lines a restatement points at (the
 * evidence of what changed), a chunk per transaction so a large clean-up never
 * holds the write lock for long. Returns the number of lines deleted.
 */
export function collectGarbage(sqlite: Sqlite, activeRunIds: readonly string[] = [], chunk = 20_000): number {
  const stale = sqlite
    .prepare(
      `SELECT rs.import_run_id AS runId, rs.source_id AS sourceId, rs.billing_account_id AS billingAccountId,
         rs.billing_period AS billingPeriod
       FROM import_run_scope rs
       JOIN import_run run ON run.id = rs.import_run_id
       LEFT JOIN cost_snapshot s ON s.source_id = rs.source_id AND s.billing_account_id = rs.billing_account_id
         AND s.billing_period = rs.billing_period AND s.import_run_id = rs.import_run_id
       WHERE s.import_run_id IS NULL AND run.status NOT IN ('running', 'held')
         AND rs.import_run_id NOT IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(activeRunIds)) as (SnapshotScope & { runId: string })[];
  const groups = groupByRunPeriod(stale);
  const inGroup = (alias: string) => `${alias}import_run_id = @runId AND ${alias}source_id = @sourceId
    AND ${alias}billing_period = @billingPeriod AND ${alias}billing_account_id IN (SELECT value FROM json_each(@accounts))`;
  const deleteLines = sqlite.prepare(
    `DELETE FROM cost_line WHERE rowid IN (SELECT l.rowid FROM cost_line l
       WHERE l.run_seq = ${RUN_SEQ_OF_RUN_ID} AND l.billing_period = @billingPeriod
         AND l.billing_account_id IN (SELECT value FROM json_each(@accounts))
       AND NOT EXISTS (SELECT 1 FROM cost_restatement r WHERE r.old_line_id = l.id)
       LIMIT ${chunk})`,
  );
  let deleted = 0;
  for (const group of groups) {
    const params = { ...group, accounts: JSON.stringify(group.accounts) };
    for (;;) {
      const { changes } = sqlite.transaction(() => deleteLines.run(params))();
      deleted += changes;
      if (changes < chunk) break;
    }
    sqlite.transaction(() => {
      sqlite
        .prepare(
          `DELETE FROM cost_rollup_daily WHERE run_seq = ${RUN_SEQ_OF_RUN_ID} AND billing_period = @billingPeriod
             AND billing_account_id IN (SELECT value FROM json_each(@accounts))`,
        )
        .run(params);
      sqlite.prepare(`DELETE FROM cost_rollup_monthly WHERE ${inGroup('')}`).run(params);
      sqlite.prepare(`DELETE FROM import_run_scope WHERE ${inGroup('')}`).run(params);
    })();
  }
  return deleted;
}
