/**
 * What readers may see: lines and rollups are written under a run and count only while that run is
 * the current one for their (source, billing account, billing period), and that source is the billing
 * account and period's source of record (cost_snapshot.counted: records.ts); another source's snapshot
 * of the same period is a comparison source, never added to the totals. Every reader takes its rows
 * through one of these FROM-clause fragments; each names the aliases it introduces, so a query never
 * depends on a name it cannot see.
 */
import type { Sqlite } from '../store';

/** The condition tying a row of `alias` to the cost_snapshot row `s` that makes it current. */
function currentIn(alias: string, s: string): string {
  return `${s}.source_id = ${alias}.source_id AND ${s}.billing_account_id = ${alias}.billing_account_id
  AND ${s}.billing_period = ${alias}.billing_period AND ${s}.import_run_id = ${alias}.import_run_id AND ${s}.counted = 1`;
}

/**
 * The monthly rollup of current snapshots: `cost_rollup_monthly <as>` joined to the cost_snapshot row
 * (named `snapshotAs`) that makes each row current.
 */
export function visibleMonthlyRollup(as: string, snapshotAs: string): string {
  return `cost_rollup_monthly ${as} JOIN cost_snapshot ${snapshotAs} ON ${currentIn(as, snapshotAs)}`;
}

/**
 * Every (run, source, billing period) some current snapshot points at, named `as`, with `all_current`
 * 1 when every scope the run recorded in that period is current. Rollup rows of such a group need no
 * per-row check, the usual case: a scope is recorded before its rows are written, and its rollup rows
 * and its record are collected in one transaction (collectGarbage), so rollup rows of a scope that is
 * no longer current always come with its record. Lines do not: a replaced line a restatement points at
 * outlives its scope's record, so lines are always checked.
 */
function currentRunPeriods(as: string): string {
  return `(SELECT cs.import_run_id, cs.source_id, cs.billing_period, run.seq AS run_seq,
    stale.import_run_id IS NULL AS all_current
  FROM (SELECT DISTINCT import_run_id, source_id, billing_period FROM cost_snapshot WHERE counted = 1) cs
  JOIN import_run run ON run.id = cs.import_run_id
  LEFT JOIN (SELECT DISTINCT rs.import_run_id, rs.source_id, rs.billing_period FROM import_run_scope rs
      WHERE NOT EXISTS (SELECT 1 FROM cost_snapshot c2 WHERE c2.source_id = rs.source_id
        AND c2.billing_account_id = rs.billing_account_id AND c2.billing_period = rs.billing_period
        AND c2.import_run_id = rs.import_run_id AND c2.counted = 1)) stale
    ON stale.import_run_id = cs.import_run_id AND stale.source_id = cs.source_id
      AND stale.billing_period = cs.billing_period) ${as}`;
}

/**
 * The rows of `alias` (lines or daily rollup, which name their run by number) in the run period `g`
 * that belong to a current snapshot.
 */
function currentInGroup(alias: string, g: string, trustGroup: boolean): string {
  return `${alias}.run_seq = ${g}.run_seq AND ${alias}.billing_period = ${g}.billing_period
  AND (${trustGroup ? `${g}.all_current OR ` : ''}EXISTS (SELECT 1 FROM cost_snapshot cur WHERE cur.source_id = ${g}.source_id
    AND cur.billing_account_id = ${alias}.billing_account_id AND cur.billing_period = ${alias}.billing_period
    AND cur.import_run_id = ${g}.import_run_id AND cur.counted = 1))`;
}

/**
 * The daily rollup of current snapshots, named `as`; each row's run period is named `periodAs` (its
 * import_run_id, source_id, billing_period, run_seq). The rollup is keyed by run, period and day (the
 * order imports write it), so each current run's period is one seek over the days in range. CROSS JOIN
 * fixes that loop order, which the planner, without statistics, could turn into a scan of every row.
 */
export function visibleDailyRollup(as: string, periodAs: string): string {
  return `${currentRunPeriods(periodAs)} CROSS JOIN cost_rollup_daily ${as} ON ${currentInGroup(as, periodAs, true)}`;
}

/**
 * The latest charge day of any current snapshot (null when there is none). Each current run period is
 * one look at the end of its range of the daily rollup's key (run, period, day), not a read of its
 * rows: over every row, the Overview's freshness took 150–250 ms on a workspace of a million cells.
 */
export function latestVisibleDay(sqlite: Sqlite): string | null {
  const row = sqlite
    .prepare(
      `SELECT MAX(CASE WHEN g.all_current
          THEN (SELECT MAX(r.day) FROM cost_rollup_daily r WHERE r.run_seq = g.run_seq AND r.billing_period = g.billing_period)
          ELSE (SELECT MAX(r.day) FROM cost_rollup_daily r WHERE ${currentInGroup('r', 'g', false)}) END) AS day
       FROM ${currentRunPeriods('g')}`,
    )
    .get() as { day: string | null };
  return row.day;
}

/**
 * The cost lines of current snapshots, named `as`, each with its run period named `periodAs` (as for
 * visibleDailyRollup): each current run's period is one range of the line index.
 */
export function visibleLines(as: string, periodAs: string): string {
  return `${currentRunPeriods(periodAs)} CROSS JOIN cost_line ${as} ON ${currentInGroup(as, periodAs, false)}`;
}
