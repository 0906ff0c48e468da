/**
 * How a cost answer is laid out as a table: rows by amount, largest first, each with its share of its
 * currency's total, and totals kept per currency. All exact (10⁻²⁷ units): amounts of different
 * currencies are never compared or added.
 */
import { formatExact, parseExact } from './exact';
import { percentShare } from './money';

export type CostAmountMetric = 'billed' | 'effective';

/** The amounts of one currency, as exact decimal strings. */
export interface CurrencyTotal {
  currency: string;
  billed: string;
  effective: string;
}

/** A row of a cost answer: dimension values plus exact billed and effective amounts in one currency. */
export interface CostTableRow {
  [key: string]: string | null | undefined;
  currency?: string | null;
  billed?: string | null;
  effective?: string | null;
}

export interface RankedCostRow<Row extends CostTableRow> {
  row: Row;
  /** Share of the row's currency total for the metric, in percent with one decimal; null when that total is 0. */
  sharePct: string | null;
}

const amountOf = (value: string | null | undefined): bigint => (value ? parseExact(value) : 0n);

/** One total per currency, summed exactly from the rows, in code order. */
export function totalsByCurrency(rows: readonly CostTableRow[]): CurrencyTotal[] {
  const sums = new Map<string, { billed: bigint; effective: bigint }>();
  for (const row of rows) {
    const currency = row.currency ?? '';
    const sum = sums.get(currency) ?? { billed: 0n, effective: 0n };
    sum.billed += amountOf(row.billed);
    sum.effective += amountOf(row.effective);
    sums.set(currency, sum);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, sum]) => ({ currency, billed: formatExact(sum.billed), effective: formatExact(sum.effective) }));
}

/**
 * Rows grouped by currency (in the order of `totals`), largest amount of the metric first within each;
 * equal amounts keep the core's order. Shares are taken of `totals` (the core's totals, which count
 * rows beyond a truncated answer too).
 */
export function rankCostRows<Row extends CostTableRow>(
  rows: readonly Row[],
  metric: CostAmountMetric,
  totals: readonly CurrencyTotal[],
): RankedCostRow<Row>[] {
  const currencyOrder = new Map(totals.map((t, index) => [t.currency, index]));
  const totalOf = new Map(totals.map((t) => [t.currency, parseExact(t[metric])]));
  const keyed = rows.map((row, index) => ({
    row,
    index,
    currencyRank: currencyOrder.get(row.currency ?? '') ?? totals.length,
    amount: amountOf(row[metric]),
  }));
  keyed.sort((a, b) => {
    if (a.currencyRank !== b.currencyRank) return a.currencyRank - b.currencyRank;
    if (a.amount !== b.amount) return a.amount > b.amount ? -1 : 1;
    return a.index - b.index;
  });
  return keyed.map(({ row, amount }) => {
    const total = totalOf.get(row.currency ?? '');
    return { row, sharePct: total === undefined ? null : percentShare(amount, total, 1) };
  });
}
