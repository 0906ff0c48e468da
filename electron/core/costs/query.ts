/**
 * Cost questions over current snapshots: totals grouped by any dimensions, exact to the source's last
 * digit. Answers come from the monthly rollup when whole months and month-level dimensions suffice,
 * from the daily rollup otherwise, and from cost lines only for resource and tag dimensions.
 */
import { AppError } from '../../../shared/api/errors';
import { formatExact, joinExact } from '../../../shared/exact';
import type { Sqlite } from '../store/database';
import { VISIBLE_LINE_JOIN, VISIBLE_ROLLUP_JOIN } from './rollup';

export const COST_DIMENSIONS = [
  'provider',
  'billing_account',
  'sub_account',
  'service',
  'service_category',
  'region',
  'resource',
  'charge_category',
  'day',
  'month',
] as const;
export type CostDimension = (typeof COST_DIMENSIONS)[number] | `tag:${string}`;
export type CostStatus = 'final' | 'preliminary' | 'all';

export interface CostQuery {
  from?: string;
  to?: string;
  by: CostDimension[];
  status: CostStatus;
  /** Only rows whose dimension equals one of the values ('' or null matches a missing value). */
  filters?: Partial<Record<CostDimension, (string | null)[]>>;
  /** The business day (for finality). */
  asOf: string;
  limit?: number;
}

export interface CostRow {
  [dimension: string]: string | null;
  billed: string;
  effective: string;
  currency: string;
}

export interface CostAnswer {
  rows: CostRow[];
  total: { billed: string; effective: string; currency: string | null };
  byCurrency: { currency: string; billed: string; effective: string }[];
  /** Which table answered: for diagnostics and the benchmark. */
  grain: 'monthly' | 'daily' | 'line';
  truncated: boolean;
  finality: { finalThrough: string; rule: string };
}

const LINE_ONLY = new Set(['resource']);

/** Column expression per dimension, for rollups (r) and for lines (l). */
function dimensionSql(dimension: CostDimension, grain: CostAnswer['grain']): string {
  const t = grain === 'line' ? 'l' : 'r';
  switch (dimension) {
    case 'provider':
      return `${t}.provider`;
    case 'billing_account':
      return `${t}.billing_account_id`;
    case 'sub_account':
      return `NULLIF(${t}.sub_account_id, '')`;
    case 'service':
      return `${t}.service_name`;
    case 'service_category':
      return `NULLIF(${t}.service_category, '')`;
    case 'region':
      return `NULLIF(${t}.region, '')`;
    case 'charge_category':
      return `${t}.charge_category`;
    case 'resource':
      return 'l.resource_id';
    case 'day':
      return grain === 'line' ? 'l.charge_day' : 'r.day';
    case 'month':
      return grain === 'line' ? 'substr(l.charge_day, 1, 7)' : grain === 'monthly' ? 'r.month' : 'substr(r.day, 1, 7)';
    default: {
      const key = dimension.slice(4);
      return `json_extract(l.tags, '$.' || json_quote(${sqlString(key)}))`;
    }
  }
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function parseDimension(text: string): CostDimension {
  const trimmed = text.trim();
  if ((COST_DIMENSIONS as readonly string[]).includes(trimmed)) return trimmed as CostDimension;
  if (/^tag:.{1,200}$/.test(trimmed)) return trimmed as CostDimension;
  throw new AppError('VALIDATION', `unknown dimension "${trimmed}": use ${COST_DIMENSIONS.join(', ')} or tag:KEY`);
}

/**
 * Default finalization (FINOPS.md): a day is final once 48 hours have passed since it ended and its
 * billing period closed at least 72 hours ago. Provider signals (invoice ids, Estimated flags) refine
 * this once connectors report them.
 */
export function finalThrough(asOf: string): { day: string; closedPeriodsBefore: string; rule: string } {
  const asOfDate = new Date(`${asOf}T00:00:00Z`);
  const dayCutoff = new Date(asOfDate);
  dayCutoff.setUTCDate(dayCutoff.getUTCDate() - 2);
  const periodCutoff = new Date(asOfDate);
  periodCutoff.setUTCDate(periodCutoff.getUTCDate() - 3);
  return {
    day: dayCutoff.toISOString().slice(0, 10),
    // Periods before this month have closed at least 72 hours ago.
    closedPeriodsBefore: periodCutoff.toISOString().slice(0, 7),
    rule: 'final when 48 h have passed since the day ended and its billing period closed at least 72 h ago',
  };
}

export function queryCosts(sqlite: Sqlite, query: CostQuery): CostAnswer {
  const dims = query.by;
  const filterDims = Object.keys(query.filters ?? {}) as CostDimension[];
  const needsLines = [...dims, ...filterDims].some((d) => LINE_ONLY.has(d) || d.startsWith('tag:'));
  const monthAligned =
    (!query.from || query.from.endsWith('-01')) && (!query.to || isLastDayOfMonth(query.to)) && query.status === 'all';
  const grain: CostAnswer['grain'] = needsLines
    ? 'line'
    : !dims.includes('day') && !filterDims.includes('day') && monthAligned
      ? 'monthly'
      : 'daily';
  const alias = grain === 'line' ? 'l' : 'r';
  const table =
    grain === 'line' ? 'cost_line l' : grain === 'monthly' ? 'cost_rollup_monthly r' : 'cost_rollup_daily r';
  const join = grain === 'line' ? VISIBLE_LINE_JOIN : VISIBLE_ROLLUP_JOIN;
  const dayColumn = grain === 'line' ? 'l.charge_day' : grain === 'monthly' ? null : 'r.day';
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (query.from) {
    params.from = query.from;
    where.push(dayColumn ? `${dayColumn} >= @from` : `r.month >= @fromMonth`);
    params.fromMonth = query.from.slice(0, 7);
  }
  if (query.to) {
    params.to = query.to;
    where.push(dayColumn ? `${dayColumn} <= @to` : `r.month <= @toMonth`);
    params.toMonth = query.to.slice(0, 7);
  }
  const finality = finalThrough(query.asOf);
  if (query.status !== 'all' && dayColumn) {
    params.finalDay = finality.day;
    params.closedBefore = finality.closedPeriodsBefore;
    const isFinal = `(${dayColumn} <= @finalDay AND ${alias}.billing_period < @closedBefore)`;
    where.push(query.status === 'final' ? isFinal : `NOT ${isFinal}`);
  }
  let filterIndex = 0;
  for (const [dimension, values] of Object.entries(query.filters ?? {}) as [CostDimension, (string | null)[]][]) {
    if (!values?.length) continue;
    const column = dimensionSql(dimension, grain);
    const parts: string[] = [];
    for (const value of values) {
      if (value === null || value === '') {
        parts.push(`${column} IS NULL`);
      } else {
        const name = `f${filterIndex++}`;
        params[name] = value;
        parts.push(`${column} = @${name}`);
      }
    }
    where.push(`(${parts.join(' OR ')})`);
  }
  const selects = dims.map((d, i) => `${dimensionSql(d, grain)} AS d${i}`);
  const groupBy = [...dims.map((_, i) => `d${i}`), `${alias}.currency`];
  const sums = ['billed', 'effective']
    .flatMap((m) => ['units', 'nanos', 'atto', 'ronto'].map((p) => `SUM(${alias}.${m}_${p}) AS ${m[0]}${p[0]}`))
    .join(', ');
  const limit = query.limit ?? 100_000;
  const sql = `SELECT ${[...selects, `${alias}.currency AS currency`, sums].join(', ')}
    FROM ${table} ${join}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    GROUP BY ${groupBy.join(', ')}
    ORDER BY ${[...dims.map((_, i) => `d${i}`), 'currency'].join(', ')}
    LIMIT ${limit + 1}`;
  const raw = sqlite.prepare(sql).all(params) as Record<string, unknown>[];
  const truncated = raw.length > limit;
  const byCurrency = new Map<string, { billed: bigint; effective: bigint }>();
  const rows: CostRow[] = raw.slice(0, limit).map((row) => {
    const billed = joinExact(row.bu as bigint, row.bn as bigint, row.ba as bigint, row.br as bigint);
    const effective = joinExact(row.eu as bigint, row.en as bigint, row.ea as bigint, row.er as bigint);
    const currency = row.currency as string;
    const totals = byCurrency.get(currency) ?? { billed: 0n, effective: 0n };
    totals.billed += billed;
    totals.effective += effective;
    byCurrency.set(currency, totals);
    const out: CostRow = { billed: formatExact(billed), effective: formatExact(effective), currency };
    dims.forEach((d, i) => {
      const value = row[`d${i}`];
      out[d] = value === null || value === undefined ? null : String(value);
    });
    return out;
  });
  if (truncated) {
    // The rows stop at the limit; the totals must not: sum every matching row by currency.
    byCurrency.clear();
    const totals = sqlite
      .prepare(
        `SELECT ${alias}.currency AS currency, ${sums} FROM ${table} ${join}
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY ${alias}.currency`,
      )
      .all(params) as Record<string, unknown>[];
    for (const row of totals) {
      byCurrency.set(row.currency as string, {
        billed: joinExact(row.bu as bigint, row.bn as bigint, row.ba as bigint, row.br as bigint),
        effective: joinExact(row.eu as bigint, row.en as bigint, row.ea as bigint, row.er as bigint),
      });
    }
  }
  const currencies = [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b));
  const only = currencies.length === 1 ? currencies[0]! : null;
  return {
    rows,
    total: {
      billed: formatExact(currencies.reduce((sum, [, t]) => sum + t.billed, 0n)),
      effective: formatExact(currencies.reduce((sum, [, t]) => sum + t.effective, 0n)),
      currency: only ? only[0] : null,
    },
    byCurrency: currencies.map(([currency, t]) => ({
      currency,
      billed: formatExact(t.billed),
      effective: formatExact(t.effective),
    })),
    grain,
    truncated,
    finality: { finalThrough: finality.day, rule: finality.rule },
  };
}

function isLastDayOfMonth(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.getUTCDate() === 1;
}
