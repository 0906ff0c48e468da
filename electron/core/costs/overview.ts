import type { Overview, OverviewGroupBy } from '../../../shared/api/overview';
import type { CostMetric } from '../../../shared/api/schemas';
import {
  addMonths,
  eachDay,
  firstDayOfMonth,
  monthOf,
  sameDayPreviousMonth,
  lastDayOfMonth,
} from '../../../shared/dates';
import { EXACT_PARTS, exactFromColumns, formatExact } from '../../../shared/exact';
import { percentChange, percentShare } from '../../../shared/money';
import { asProvider, OTHER_SERIES_KEY, providerKey, providerLabel } from '../../../shared/providers';
import type { Sqlite } from '../store';
import { finalityOn } from './finality';
import { latestVisibleDay, visibleDailyRollup } from '../ledger';

/** Current snapshots' daily rollup rows, under the name the queries below use. */
const COST_DAILY = `(SELECT r.* FROM ${visibleDailyRollup('r', 'g')}) AS cost_daily`;

export { OTHER_SERIES_KEY };

/** Series beyond this many are merged into one "Other" series so the chart stays readable. */
export const MAX_SERIES = 8;
const TOP_SERVICES = 10;

type Row = Record<string, unknown>;

const sum = (amounts: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
};

export interface OverviewQuery {
  asOf: string;
  currency: string;
  groupBy: OverviewGroupBy;
  metric: CostMetric;
}

/**
 * The Overview screen's numbers, computed from the daily rollup in exact integer arithmetic:
 * month-to-date against the same days of last month, daily spend over this and last month grouped
 * by provider or service, top services, and data freshness. Amounts are exact decimal text, like
 * costs.query's: the screen rounds them once, to the currency's minor unit.
 */
// Longer than 150 lines: the Overview's figures are read in one pass of one snapshot of the store, and
// each block below is one figure of the screen (KPIs, daily series, top services, freshness).
export function computeOverview(sqlite: Sqlite, query: OverviewQuery): Overview {
  const { asOf, currency, groupBy, metric } = query;
  const prefix = metric === 'billed' ? 'billed' : 'effective';
  // Sums of the four stored parts come back separately and are joined in bigint: one column of the
  // smallest unit would overflow SQLite's int64 (shared/exact.ts).
  const amountOf = (as: string, when?: string) =>
    EXACT_PARTS.map((part) =>
      when
        ? `COALESCE(SUM(CASE WHEN ${when} THEN ${prefix}_${part} ELSE 0 END), 0) AS ${as}_${part}`
        : `COALESCE(SUM(${prefix}_${part}), 0) AS ${as}_${part}`,
    ).join(', ');
  const month = monthOf(asOf);
  const previousMonth = addMonths(month, -1);
  const mtdFrom = firstDayOfMonth(month);
  const lastFrom = firstDayOfMonth(previousMonth);
  const lastMonthTo = lastDayOfMonth(previousMonth);
  // Cloud data lags by a day or more: compare the days this month that have data with the same
  // days of last month, not a partial "today" with a complete day last month.
  const latestThisMonth = (
    sqlite
      .prepare(`SELECT MAX(day) AS day FROM ${COST_DAILY} WHERE currency = ? AND day BETWEEN ? AND ?`)
      .get(currency, mtdFrom, asOf) as { day: string | null }
  ).day;
  const mtdTo = latestThisMonth ?? asOf;
  const lastSameTo = sameDayPreviousMonth(mtdTo);

  const sumBetween = sqlite.prepare(
    `SELECT ${amountOf('amount')} FROM ${COST_DAILY} WHERE currency = ? AND day BETWEEN ? AND ?`,
  );
  const total = (from: string, to: string) => exactFromColumns(sumBetween.get(currency, from, to) as Row, 'amount');
  const mtd = total(mtdFrom, mtdTo);
  const lastSame = total(lastFrom, lastSameTo);
  const lastMonth = total(lastFrom, lastMonthTo);

  const groupColumn = groupBy === 'provider' ? 'provider' : 'service_name';
  const dailyByWritten = sqlite
    .prepare(
      `SELECT day, ${groupColumn} AS grp, ${amountOf('amount')} FROM ${COST_DAILY}
       WHERE currency = ? AND day BETWEEN ? AND ? GROUP BY day, grp`,
    )
    .all(currency, lastFrom, mtdTo) as Row[];
  // Lines keep the provider as their source wrote it ("aws" from the demo, "AWS" or "Amazon Web Services"
  // from an import): the chart groups them by the provider they stand for, one series per provider.
  const groupOf = groupBy === 'provider' ? providerKey : (written: string) => written;
  const dailyRows = joinRows(
    dailyByWritten.map((r) => ({ ...r, grp: groupOf(r.grp as string) })),
    (r) => [r.day, r.grp],
    ['amount'],
  ).map((r) => ({ day: r.day as string, grp: r.grp as string, amount: exactFromColumns(r, 'amount') }));

  const seriesTotals = new Map<string, bigint>();
  for (const row of dailyRows) seriesTotals.set(row.grp, (seriesTotals.get(row.grp) ?? 0n) + row.amount);
  const ranked = [...seriesTotals.entries()].sort((a, b) =>
    a[1] === b[1] ? a[0].localeCompare(b[0]) : a[1] > b[1] ? -1 : 1,
  );
  const kept = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const keptKeys = new Set(kept.map(([key]) => key));
  const merged = ranked.filter(([key]) => !keptKeys.has(key));
  const series = kept.map(([key, amount]) => ({ key, label: seriesLabel(groupBy, key), total: formatExact(amount) }));
  if (merged.length) {
    series.push({
      key: OTHER_SERIES_KEY,
      label: `Other (${merged.length})`,
      total: formatExact(sum(merged.map(([, amount]) => amount))),
    });
  }

  const byDay = new Map<string, Map<string, bigint>>();
  for (const row of dailyRows) {
    const key = keptKeys.has(row.grp) ? row.grp : OTHER_SERIES_KEY;
    const amounts = byDay.get(row.day) ?? new Map<string, bigint>();
    amounts.set(key, (amounts.get(key) ?? 0n) + row.amount);
    byDay.set(row.day, amounts);
  }
  const days = eachDay(lastFrom, mtdTo).map((day) => {
    const amounts = byDay.get(day) ?? new Map<string, bigint>();
    return {
      day,
      amounts: Object.fromEntries(series.map((s) => [s.key, formatExact(amounts.get(s.key) ?? 0n)])),
      total: formatExact(sum(amounts.values())),
    };
  });

  const servicesByWritten = sqlite
    .prepare(
      `SELECT provider, service_name AS service,
         ${amountOf('mtd', 'day BETWEEN @mtdFrom AND @mtdTo')},
         ${amountOf('last_same', 'day BETWEEN @lastFrom AND @lastSameTo')}
       FROM ${COST_DAILY} WHERE currency = @currency AND day BETWEEN @lastFrom AND @mtdTo
       GROUP BY provider, service_name`,
    )
    .all({ mtdFrom, mtdTo, lastFrom, lastSameTo, currency }) as Row[];
  // One row per service and the provider it stands for, however the sources spell that provider.
  const serviceRows = joinRows(
    servicesByWritten.map((r) => ({ ...r, provider: providerKey(r.provider as string) })),
    (r) => [r.provider, r.service],
    ['mtd', 'last_same'],
  ).map((r) => ({
    provider: r.provider as string,
    service: r.service as string,
    mtd: exactFromColumns(r, 'mtd'),
    last_same: exactFromColumns(r, 'last_same'),
  }));
  const topServices = serviceRows
    .filter((r) => r.mtd !== 0n)
    .sort((a, b) => (a.mtd === b.mtd ? a.service.localeCompare(b.service) : a.mtd > b.mtd ? -1 : 1))
    .slice(0, TOP_SERVICES)
    .map((r) => ({
      provider: asProvider(r.provider),
      service: r.service,
      monthToDate: formatExact(r.mtd),
      lastMonthSamePeriod: formatExact(r.last_same),
      changePct: percentChange(r.mtd, r.last_same),
      sharePct: percentShare(r.mtd, mtd),
    }));

  const latest = { day: latestVisibleDay(sqlite) };
  const lastRun = sqlite.prepare(`SELECT MAX(finished_at) AS at FROM import_run WHERE status = 'succeeded'`).get() as {
    at: string | null;
  };
  const sources = sqlite.prepare('SELECT name, kind FROM cost_source ORDER BY name').all() as {
    name: string;
    kind: string;
  }[];
  const others = sqlite
    .prepare(
      `SELECT currency, ${amountOf('amount')} FROM ${COST_DAILY} WHERE currency <> ? AND day BETWEEN ? AND ?
       GROUP BY currency ORDER BY currency`,
    )
    .all(currency, mtdFrom, mtdTo)
    .map((row) => {
      const r = row as Row;
      return { currency: r.currency as string, amount: exactFromColumns(r, 'amount') };
    });
  const any = sqlite.prepare(`SELECT 1 FROM ${COST_DAILY} WHERE currency = ? LIMIT 1`).get(currency);
  const finality = finalityOn(asOf);

  return {
    asOf,
    currency,
    metric,
    empty: any === undefined,
    monthToDate: { from: mtdFrom, to: mtdTo, amount: formatExact(mtd) },
    lastMonthSamePeriod: { from: lastFrom, to: lastSameTo, amount: formatExact(lastSame) },
    lastMonth: { month: previousMonth, amount: formatExact(lastMonth) },
    changePct: percentChange(mtd, lastSame),
    daily: { groupBy, from: lastFrom, to: mtdTo, series, days },
    topServices,
    freshness: {
      latestChargeDay: latest.day,
      lastLoadedAt: lastRun.at,
      sources,
      finality: { finalThrough: finality.finalThrough, rule: finality.rule },
    },
    otherCurrencies: others.map((o) => ({ currency: o.currency, amount: formatExact(o.amount) })),
  };
}

/**
 * Rows whose `groupOf` values are equal joined into one, their amount columns (`<as>_units`, `_nanos`,
 * `_atto`, `_ronto`) added part by part as bigints: the same sums SQL would give had it grouped by
 * those values.
 */
function joinRows(rows: readonly Row[], groupOf: (row: Row) => unknown[], amounts: readonly string[]): Row[] {
  const joined = new Map<string, Row>();
  for (const row of rows) {
    const key = JSON.stringify(groupOf(row));
    const into = joined.get(key);
    if (!into) {
      joined.set(key, { ...row });
      continue;
    }
    for (const as of amounts) {
      for (const part of EXACT_PARTS) {
        const column = `${as}_${part}`;
        into[column] = (into[column] as bigint) + (row[column] as bigint);
      }
    }
  }
  return [...joined.values()];
}

function seriesLabel(groupBy: OverviewGroupBy, key: string): string {
  return groupBy === 'provider' ? providerLabel(key) : key;
}
