/**
 * Cost questions over current snapshots: totals grouped by any dimensions, exact to the source's last
 * digit. Answers come from the monthly rollup when whole months and month-level dimensions suffice,
 * from the daily rollup otherwise, and from cost lines only for resource and tag dimensions.
 */
import {
  COST_DIMENSIONS,
  CostDimensionSchema,
  type CostAnswer,
  type CostDimension,
  type CostRow,
  type CostStatus,
} from '../../../shared/api/costs';
import { AppError } from '../../../shared/api/errors';
import {
  addDays,
  addMonths,
  daysBetween,
  daysInMonth,
  firstDayOfMonth,
  lastDayOfMonth,
  monthOf,
} from '../../../shared/dates';
import { EXACT_PARTS, exactFromColumns, formatExact } from '../../../shared/exact';
import type { Sqlite } from '../store';
import { finalityOn, finalityParams, finalSql, type Finality } from './finality';
import { visibleDailyRollup, visibleLines, visibleMonthlyRollup } from '../ledger';

export { COST_DIMENSIONS, type CostAnswer, type CostDimension, type CostRow, type CostStatus };

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

const LINE_ONLY = new Set(['resource']);

/** Column expression per dimension, for rollups (r) and for lines (l). */
function dimensionSql(dimension: CostDimension, grain: 'cube' | 'monthly' | 'daily' | 'line'): string {
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
      return grain === 'line' ? 'substr(l.charge_day, 1, 7)' : grain === 'daily' ? 'substr(r.day, 1, 7)' : 'r.month';
    default: {
      const key = dimension.slice(4);
      return `json_extract(l.tags, '$.' || json_quote(${sqlString(key)}))`;
    }
  }
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A dimension as the CLI and filter keys write it, checked against the contract's one definition. */
export function parseDimension(text: string): CostDimension {
  const trimmed = text.trim();
  const parsed = CostDimensionSchema.safeParse(trimmed);
  if (parsed.success) return parsed.data;
  throw new AppError('VALIDATION', `unknown dimension "${trimmed}": use ${COST_DIMENSIONS.join(', ')} or tag:KEY`);
}

type Grain = 'cube' | 'monthly' | 'daily' | 'line';

/** Dimensions the current-snapshot cube (cost_cube_monthly) carries. */
const CUBE_DIMENSIONS = new Set(['provider', 'service', 'service_category', 'region', 'charge_category', 'month']);

interface Sums {
  values: (string | null)[];
  currency: string;
  billed: bigint;
  effective: bigint;
  /** Lines summed: what tells a group with no lines in range from one whose lines add up to zero. */
  lines: bigint;
}

/**
 * Which table answers: lines for resource and tag dimensions; otherwise the monthly rollup for the
 * whole months of the range and the daily rollup for the partial months at its ends (a two-year
 * question over any dates reads a few thousand rollup rows, not millions), or the daily rollup alone
 * when days or finality matter.
 */
interface Part {
  grain: Grain;
  from?: string;
  to?: string;
  /** −1: the part's rows are taken away (the days of a whole month that the range leaves out). */
  sign?: -1;
}

function plan(query: CostQuery): Part[] {
  const filterDims = Object.keys(query.filters ?? {}) as CostDimension[];
  const all = [...query.by, ...filterDims];
  if (all.some((d) => LINE_ONLY.has(d) || d.startsWith('tag:')))
    return [{ grain: 'line', from: query.from, to: query.to }];
  if (all.includes('day') || query.status !== 'all') return [{ grain: 'daily', from: query.from, to: query.to }];
  const { from, to } = query;
  const firstWhole = !from ? undefined : from.endsWith('-01') ? monthOf(from) : addMonths(monthOf(from), 1);
  const lastWhole = !to ? undefined : isLastDayOfMonth(to) ? monthOf(to) : addMonths(monthOf(to), -1);
  if (firstWhole !== undefined && lastWhole !== undefined && firstWhole > lastWhole) {
    return [{ grain: 'daily', from, to }];
  }
  // A partial month at either end is read from the daily rollup over the days in range, or, when the
  // range leaves out fewer of its days than it takes, as the whole month less the days left out: a
  // range from the 10th reads 9 days of daily rows instead of 21.
  const parts: Part[] = [];
  let monthsFrom = firstWhole;
  let monthsTo = lastWhole;
  if (from && !from.endsWith('-01')) {
    const month = monthOf(from);
    const before = daysBetween(firstDayOfMonth(month), from);
    if (before < daysInMonth(month) - before) {
      monthsFrom = month;
      parts.push({ grain: 'daily', from: firstDayOfMonth(month), to: addDays(from, -1), sign: -1 });
    } else {
      parts.push({ grain: 'daily', from, to: lastDayOfMonth(month) });
    }
  }
  if (to && !isLastDayOfMonth(to)) {
    const month = monthOf(to);
    const after = daysBetween(to, lastDayOfMonth(month));
    if (after < daysInMonth(month) - after) {
      monthsTo = month;
      parts.push({ grain: 'daily', from: addDays(to, 1), to: lastDayOfMonth(month), sign: -1 });
    } else {
      parts.push({ grain: 'daily', from: firstDayOfMonth(month), to });
    }
  }
  parts.unshift({
    grain: all.every((d) => CUBE_DIMENSIONS.has(d)) ? 'cube' : 'monthly',
    from: monthsFrom ? firstDayOfMonth(monthsFrom) : undefined,
    to: monthsTo ? lastDayOfMonth(monthsTo) : undefined,
  });
  return parts;
}

export function queryCosts(sqlite: Sqlite, query: CostQuery): CostAnswer {
  const dims = query.by;
  const finality = finalityOn(query.asOf);
  const parts = plan(query);
  let sorted: Sums[];
  if (parts.length === 1) {
    // One table answers: SQLite groups and orders, nothing to merge.
    const only = parts[0]!;
    sorted = runPart(sqlite, query, only.grain, only.from, only.to, finality, true);
  } else {
    const merged = new Map<string, Sums>();
    for (const part of parts) {
      const sign = BigInt(part.sign ?? 1);
      for (const sums of runPart(sqlite, query, part.grain, part.from, part.to, finality, false)) {
        const key = JSON.stringify([...sums.values, sums.currency]);
        const found = merged.get(key);
        if (found) {
          found.billed += sign * sums.billed;
          found.effective += sign * sums.effective;
          found.lines += sign * sums.lines;
        } else {
          merged.set(key, {
            ...sums,
            billed: sign * sums.billed,
            effective: sign * sums.effective,
            lines: sign * sums.lines,
          });
        }
      }
    }
    // A group whose lines all fell on the days taken away has none left: it is not in the range.
    sorted = [...merged.values()].filter((sums) => sums.lines > 0n).sort((a, b) => compareRows(a, b));
  }
  const limit = query.limit ?? 100_000;
  const truncated = sorted.length > limit;
  const byCurrency = new Map<string, { billed: bigint; effective: bigint }>();
  for (const sums of sorted) {
    const totals = byCurrency.get(sums.currency) ?? { billed: 0n, effective: 0n };
    totals.billed += sums.billed;
    totals.effective += sums.effective;
    byCurrency.set(sums.currency, totals);
  }
  const rows: CostRow[] = sorted.slice(0, limit).map((sums) => {
    const out: CostRow = {
      billed: formatExact(sums.billed),
      effective: formatExact(sums.effective),
      currency: sums.currency,
    };
    dims.forEach((d, i) => (out[d] = sums.values[i] ?? null));
    return out;
  });
  const currencies = [...byCurrency.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const grains = new Set(parts.map((part) => (part.grain === 'cube' ? 'monthly' : part.grain)));
  return {
    rows,
    totals: currencies.map(([currency, t]) => ({
      currency,
      billed: formatExact(t.billed),
      effective: formatExact(t.effective),
    })),
    grain: grains.size > 1 ? 'mixed' : [...grains][0]!,
    truncated,
    finality: { finalThrough: finality.finalThrough, rule: finality.rule },
  };
}

/** SQLite's order: NULL first, then by code unit (BINARY). */
function compareRows(a: Sums, b: Sums): number {
  for (let i = 0; i <= a.values.length; i++) {
    const x = i < a.values.length ? a.values[i]! : a.currency;
    const y = i < a.values.length ? b.values[i]! : b.currency;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function runPart(
  sqlite: Sqlite,
  query: CostQuery,
  grain: Grain,
  from: string | undefined,
  to: string | undefined,
  finality: Finality,
  ordered: boolean,
): Sums[] {
  const dims = query.by;
  const alias = grain === 'line' ? 'l' : 'r';
  const table = {
    line: visibleLines('l', 'g'),
    cube: 'cost_cube_monthly r',
    monthly: visibleMonthlyRollup('r', 's'),
    daily: visibleDailyRollup('r', 'g'),
  }[grain];
  const dayColumn = grain === 'line' ? 'l.charge_day' : grain === 'daily' ? 'r.day' : null;
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (from) {
    params.from = dayColumn ? from : from.slice(0, 7);
    where.push(dayColumn ? `${dayColumn} >= @from` : 'r.month >= @from');
  }
  if (to) {
    params.to = dayColumn ? to : to.slice(0, 7);
    where.push(dayColumn ? `${dayColumn} <= @to` : 'r.month <= @to');
  }
  if (query.status !== 'all' && dayColumn) {
    Object.assign(params, finalityParams(finality));
    const isFinal = finalSql(dayColumn, `${alias}.billing_period`);
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
    .flatMap((m) => EXACT_PARTS.map((p) => `SUM(${alias}.${m}_${p}) AS ${m}_${p}`))
    .concat(grain === 'line' ? 'COUNT(*) AS lines' : `SUM(${alias}.line_count) AS lines`)
    .join(', ');
  const sql = `SELECT ${[...selects, `${alias}.currency AS currency`, sums].join(', ')}
    FROM ${table}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    GROUP BY ${groupBy.join(', ')}
    ${ordered ? `ORDER BY ${[...dims.map((_, i) => `d${i}`), 'currency'].join(', ')}` : ''}`;
  return (sqlite.prepare(sql).all(params) as Record<string, unknown>[]).map((row) => ({
    values: dims.map((_, i) => {
      const value = row[`d${i}`];
      return value === null || value === undefined ? null : String(value);
    }),
    currency: row.currency as string,
    billed: exactFromColumns(row, 'billed'),
    effective: exactFromColumns(row, 'effective'),
    lines: BigInt(row.lines as bigint),
  }));
}

function isLastDayOfMonth(day: string): boolean {
  return day === lastDayOfMonth(monthOf(day));
}
