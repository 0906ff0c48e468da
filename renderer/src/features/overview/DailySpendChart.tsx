import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  DefaultZIndexes,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Overview } from '../../../../shared/api/overview';
import { formatAmount, formatAxisAmount, formatDay, formatLongDay, seriesColor, toChartNumber } from '../../lib/format';

type Daily = Overview['daily'];
type DayEntry = Daily['days'][number];

/** One chart row per day. Series values sit under index keys (s0, s1…) so no series key can clash with `day`. */
type ChartRow = { day: string } & { [key: `s${number}`]: number };

export interface DailySpendChartProps {
  daily: Daily;
  currency: string;
  /** First day of the current month, marked with a reference line. */
  monthStart: string;
  /** True while a newer answer is loading: the old one stays visible, dimmed. */
  updating?: boolean;
}

const CHART_HEIGHT = 300;

/** Daily spend as stacked bars, one stack segment per series in the core's order. */
export function DailySpendChart({ daily, currency, monthStart, updating = false }: DailySpendChartProps) {
  const rows = useMemo(
    () =>
      daily.days.map((entry) => {
        const row: ChartRow = { day: entry.day };
        daily.series.forEach((series, index) => {
          row[`s${index}`] = toChartNumber(entry.amounts[series.key] ?? '0');
        });
        return row;
      }),
    [daily],
  );
  const byDay = useMemo(() => new Map(daily.days.map((entry) => [entry.day, entry])), [daily]);
  const hasMonthStart = byDay.has(monthStart);
  const lastIndex = daily.series.length - 1;

  return (
    <div
      className={updating ? 'chart is-updating' : 'chart'}
      data-testid="daily-chart"
      data-group-by={daily.groupBy}
      data-series-count={daily.series.length}
      aria-busy={updating}
      role="figure"
      aria-label={`Daily spend by ${daily.groupBy}, ${formatDay(daily.from)} to ${formatDay(daily.to)}`}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={rows} margin={{ top: 16, right: 8, bottom: 0, left: 0 }} barCategoryGap="18%">
          <CartesianGrid vertical={false} />
          <XAxis
            dataKey="day"
            tickFormatter={(day: string) => formatDay(day)}
            tickLine={false}
            minTickGap={28}
            tickMargin={8}
            className="chart-axis"
          />
          <YAxis
            tickFormatter={(value: number) => formatAxisAmount(value, currency)}
            axisLine={false}
            tickLine={false}
            width={64}
            className="chart-axis"
          />
          {hasMonthStart && (
            <ReferenceLine
              x={monthStart}
              className="chart-month-line"
              strokeDasharray="4 4"
              // Behind the bars: the marker must not cut through the first day's stack.
              zIndex={DefaultZIndexes.bar - 1}
              label={{ value: formatDay(monthStart), position: 'insideTopLeft', className: 'chart-month-label' }}
            />
          )}
          <Tooltip
            cursor={{ className: 'chart-cursor' }}
            isAnimationActive={false}
            content={({ active, label }) => {
              const entry = active && typeof label === 'string' ? byDay.get(label) : undefined;
              return entry ? <DailyTooltip entry={entry} series={daily.series} currency={currency} /> : null;
            }}
          />
          {daily.series.map((series, index) => (
            <Bar
              key={series.key}
              dataKey={`s${index}`}
              name={series.label}
              stackId="spend"
              fill={seriesColor(series.key, index)}
              radius={index === lastIndex ? [2, 2, 0, 0] : 0}
              maxBarSize={22}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Exact amounts for one day, formatted from the core's decimal strings (not from the bar heights). */
function DailyTooltip({ entry, series, currency }: { entry: DayEntry; series: Daily['series']; currency: string }) {
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">{formatLongDay(entry.day)}</div>
      <table>
        <tbody>
          {series.map((s, index) => (
            <tr key={s.key}>
              <td>
                <span className="swatch" style={{ background: seriesColor(s.key, index) }} />
                {s.label}
              </td>
              <td className="num">{formatAmount(entry.amounts[s.key] ?? '0', currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>Total</td>
            <td className="num">{formatAmount(entry.total, currency)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
