import type { Sqlite } from '../store/database';

/**
 * Rebuilds the daily rollup for an inclusive day range from cost lines. Call inside the writer's
 * transaction that changed those lines, so readers never see lines and rollup disagree.
 */
export function rebuildDailyRollup(sqlite: Sqlite, from: string, to: string): void {
  sqlite.prepare('DELETE FROM cost_daily WHERE day BETWEEN ? AND ?').run(from, to);
  sqlite
    .prepare(
      `INSERT INTO cost_daily (day, provider, billing_account_id, sub_account_id, service_name, region,
         charge_category, currency, billed_nanos, effective_nanos, line_count)
       SELECT charge_day, provider, billing_account_id, COALESCE(sub_account_id, ''), service_name, COALESCE(region, ''),
         charge_category, currency, SUM(billed_nanos), SUM(effective_nanos), COUNT(*)
       FROM cost_line WHERE charge_day BETWEEN ? AND ?
       GROUP BY charge_day, provider, billing_account_id, COALESCE(sub_account_id, ''), service_name, COALESCE(region, ''),
         charge_category, currency`,
    )
    .run(from, to);
}
