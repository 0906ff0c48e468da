/**
 * Arranges a cost answer for the stacked bar chart. Each (x, series) cell is exactly one row of the
 * core's answer, so nothing is added up here: amounts become numbers only for bar geometry, and the
 * tooltip shows the rows' exact strings.
 */
import type { CostMetric } from '../../../../shared/api/schemas';
import { toChartNumber } from '../../lib/format';
import { isTimeDimension, valueLabel } from './dimensions';
import type { CostRow } from './queries';

export type SeriesKey = `s${number}`;

export interface ChartSeries {
  key: SeriesKey;
  /** The series dimension's value (null: none); null too when there is no series dimension. */
  value: string | null;
  label: string;
}

export interface ChartPoint {
  /** A string key for the x value (recharts needs one): the value itself, or NULL_KEY. */
  x: string;
  value: string | null;
  label: string;
  [series: SeriesKey]: number;
}

export interface CostChartModel {
  xDimension: string;
  seriesDimension: string | null;
  currency: string;
  series: ChartSeries[];
  points: ChartPoint[];
  /** Series left out of the chart beyond the limit (the table has them all). */
  omittedSeries: number;
  /** The answer's row for an x key and series key. */
  cell: (x: string, series: SeriesKey) => CostRow | undefined;
}

/** Keeps the chart legible: more series than this are listed in the table only. */
export const MAX_CHART_SERIES = 20;

const NULL_KEY = '\u0000none';
const keyOf = (value: string | null) => (value === null ? NULL_KEY : value);

/** Geometry only: the bar height for an exact decimal string. */
function barHeight(amount: string | undefined): number {
  return amount === undefined ? 0 : toChartNumber(amount);
}

/**
 * The chart for one currency: x is the time dimension when there is one (in calendar order), else the
 * first dimension; the other dimension, if any, stacks.
 */
export function buildCostChart(
  rows: readonly CostRow[],
  by: readonly string[],
  metric: CostMetric,
  currency: string,
  maxSeries = MAX_CHART_SERIES,
): CostChartModel | null {
  const xDimension = by.find(isTimeDimension) ?? by[0];
  if (xDimension === undefined) return null;
  const seriesDimension = by.find((d) => d !== xDimension) ?? null;
  const inCurrency = rows.filter((row) => row.currency === currency);

  const xValues = new Map<string, string | null>();
  const seriesValues = new Map<string, string | null>();
  for (const row of inCurrency) {
    const x = row[xDimension] ?? null;
    xValues.set(keyOf(x), x);
    if (seriesDimension !== null) {
      const s = row[seriesDimension] ?? null;
      seriesValues.set(keyOf(s), s);
    }
  }
  const xKeys = [...xValues.keys()];
  // ISO days and months sort as text; other dimensions keep the core's order.
  if (isTimeDimension(xDimension)) xKeys.sort();

  const allSeries: ChartSeries[] =
    seriesDimension === null
      ? [{ key: 's0', value: null, label: metric === 'billed' ? 'Billed' : 'Effective' }]
      : [...seriesValues.values()].map((value, index) => ({ key: `s${index}`, value, label: valueLabel(value) }));
  const series = allSeries.slice(0, maxSeries);
  const seriesIndex = new Map(series.map((s) => [keyOf(s.value), s.key]));

  const cells = new Map<string, CostRow>();
  const points = new Map<string, ChartPoint>(
    xKeys.map((key) => {
      const value = xValues.get(key) ?? null;
      const point: ChartPoint = { x: key, value, label: valueLabel(value) };
      for (const s of series) point[s.key] = 0;
      return [key, point];
    }),
  );
  for (const row of inCurrency) {
    const xKey = keyOf(row[xDimension] ?? null);
    const sKey = seriesDimension === null ? 's0' : seriesIndex.get(keyOf(row[seriesDimension] ?? null));
    const point = points.get(xKey);
    if (!point || sKey === undefined) continue;
    point[sKey] = barHeight(row[metric] ?? undefined);
    cells.set(`${xKey}\u0001${sKey}`, row);
  }

  return {
    xDimension,
    seriesDimension,
    currency,
    series,
    points: xKeys.map((key) => points.get(key)!),
    omittedSeries: allSeries.length - series.length,
    cell: (x, s) => cells.get(`${x}\u0001${s}`),
  };
}

/** The currencies of an answer, in the core's order (totals are sorted by code). */
export function answerCurrencies(byCurrency: readonly { currency: string }[]): string[] {
  return byCurrency.map((c) => c.currency);
}

export interface ValueAxis {
  domain: [number, number];
  ticks: number[];
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `rough`: steps people read at a glance. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10;
  return step * power;
}

/**
 * The value axis for stacked bars (geometry only). Recharts' own "nice" domain takes a whole tick
 * step below zero for any negative value, so a −$0.15 credit next to $3 M bars ran the axis down to
 * −$450 K and squeezed every bar. Here a negative part smaller than a quarter of a step gets no tick
 * of its own: the axis ends just below it.
 */
export function valueAxis(points: readonly ChartPoint[], series: readonly ChartSeries[], tickCount = 5): ValueAxis {
  let low = 0;
  let high = 0;
  for (const point of points) {
    // Recharts stacks each series on the running sum of the ones before it.
    let running = 0;
    for (const s of series) {
      running += point[s.key] ?? 0;
      low = Math.min(low, running);
      high = Math.max(high, running);
    }
  }
  if (low === 0 && high === 0) return { domain: [0, 1], ticks: [0] };
  const step = niceStep(Math.max(high, -low) / (tickCount - 1));
  const top = Math.ceil(high / step) * step;
  const bottom = -low < step / 4 ? low : -Math.ceil(-low / step) * step;
  const ticks: number[] = [];
  for (let k = Math.ceil(bottom / step); k * step <= top; k++) ticks.push(Number((k * step).toPrecision(12)));
  return { domain: [bottom, top], ticks };
}
