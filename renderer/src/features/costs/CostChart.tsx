import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Rectangle,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BarShapeProps,
} from 'recharts';
import type { CostMetric } from '../../../../shared/api/schemas';
import { Money } from '../../components/Money';
import { formatAxisAmount, formatDay, formatMonth, seriesColor } from '../../lib/format';
import { valueAxis, type ChartPoint, type CostChartModel } from './chart-data';
import { dimensionLabel, isTimeDimension, NO_VALUE_LABEL } from './dimensions';

export interface CostChartProps {
  model: CostChartModel;
  metric: CostMetric;
  /** A click on a bar segment: narrow the question to its x value (and series value). */
  onSegmentClick: (x: string | null, series: string | null) => void;
  updating?: boolean;
}

const CHART_HEIGHT = 320;
const Y_AXIS_WIDTH = 72;

const MAX_TICK_CHARS = 22;

function tickLabel(dimension: string, value: string | null): string {
  if (value === null) return NO_VALUE_LABEL;
  if (dimension === 'day') return formatDay(value);
  if (dimension === 'month') return formatMonth(value);
  return value.length > MAX_TICK_CHARS ? `${value.slice(0, MAX_TICK_CHARS - 1)}…` : value;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The width of an x-axis label as the chart draws it: measured on a hidden probe that the stylesheet's
 * axis rules style like the real labels, so the room made for it follows the stylesheet's font.
 */
function axisLabelWidth(text: string): number {
  const probe = document.createElement('div');
  probe.className = 'chart';
  probe.style.cssText = 'position: absolute; top: -10000px; left: 0; visibility: hidden';
  const svg = document.createElementNS(SVG_NS, 'svg');
  const label = document.createElementNS(SVG_NS, 'text');
  label.setAttribute('class', 'recharts-cartesian-axis-tick-value');
  label.textContent = text;
  svg.appendChild(label);
  probe.appendChild(svg);
  document.body.appendChild(probe);
  try {
    return label.getBoundingClientRect().width;
  } finally {
    probe.remove();
  }
}

/** Costs as stacked bars; bar heights are geometry, the tooltip shows the core's exact amounts. */
export function CostChart({ model, metric, onSegmentClick, updating = false }: CostChartProps) {
  const { xDimension, seriesDimension, series, points, currency } = model;
  const lastIndex = series.length - 1;
  // Ticks are named from their own x key: once Recharts thins crowded ticks, the index it passes
  // counts shown ticks only, and labelling by it put one bar's name under another bar.
  const pointByKey = new Map<string, ChartPoint>(points.map((p) => [p.x, p]));
  const axis = valueAxis(points, series);
  // Recharts always shows the first x label, centred under the first bar, even where it runs past the
  // chart's left edge (it hides any other label that would not fit). A left margin as wide as the part of
  // it the y axis cannot hold keeps it whole; the half band left of the bar's centre is not counted.
  const firstLabel = points[0] ? tickLabel(xDimension, points[0].value) : '';
  const firstLabelWidth = useMemo(() => axisLabelWidth(firstLabel), [firstLabel]);
  const leftMargin = Math.max(0, Math.ceil(firstLabelWidth / 2) + 2 - Y_AXIS_WIDTH);
  return (
    <div
      className={updating ? 'chart cost-chart is-updating' : 'chart cost-chart'}
      data-testid="cost-chart"
      data-x={xDimension}
      data-series-count={series.length}
      data-currency={currency}
      aria-busy={updating}
      role="figure"
      aria-label={`${metric === 'billed' ? 'Billed' : 'Effective'} cost in ${currency} by ${dimensionLabel(xDimension)}${
        seriesDimension ? ` and ${dimensionLabel(seriesDimension)}` : ''
      }. The table below has the exact figures.`}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={points} margin={{ top: 16, right: 8, bottom: 0, left: leftMargin }} barCategoryGap="18%">
          <CartesianGrid vertical={false} />
          <XAxis
            dataKey="x"
            tickFormatter={(key: string) => tickLabel(xDimension, pointByKey.get(key)?.value ?? null)}
            tickLine={false}
            // Every nth label at its own bar: the default thinning slides the last label left to fit,
            // over the neighbouring bar ("Virtual Machines" under Storage).
            interval="equidistantPreserveStart"
            minTickGap={16}
            tickMargin={8}
            className="chart-axis"
          />
          <YAxis
            domain={axis.domain}
            ticks={axis.ticks}
            tickFormatter={(value: number) => formatAxisAmount(value, currency)}
            axisLine={false}
            tickLine={false}
            width={Y_AXIS_WIDTH}
            className="chart-axis"
          />
          <Tooltip
            cursor={{ className: 'chart-cursor' }}
            isAnimationActive={false}
            content={({ active, label }) => {
              const point = active && typeof label === 'string' ? points.find((p) => p.x === label) : undefined;
              if (!point) return null;
              const title = isTimeDimension(xDimension) ? tickLabel(xDimension, point.value) : point.label;
              return <CostTooltip model={model} x={point.x} title={title} metric={metric} />;
            }}
          />
          {series.map((s, index) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="cost"
              fill={seriesColor(s.value ?? '', index)}
              radius={index === lastIndex ? [2, 2, 0, 0] : 0}
              maxBarSize={40}
              isAnimationActive={false}
              className="cost-chart-bar"
              shape={(props: BarShapeProps) => {
                const point = points[props.index];
                const row = point ? model.cell(point.x, s.key) : undefined;
                // What the bar stands for, read from its data: the end-to-end test checks labels against it.
                return (
                  <g
                    data-testid="cost-chart-bar"
                    data-x={point?.value ?? ''}
                    data-label={point?.label ?? ''}
                    data-series={s.value ?? ''}
                    data-amount={row?.[metric] ?? ''}
                  >
                    <Rectangle {...props} />
                  </g>
                );
              }}
              onClick={(_, pointIndex) => {
                const point = points[pointIndex];
                if (point) onSegmentClick(point.value, seriesDimension === null ? null : s.value);
              }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      {seriesDimension !== null && (
        <ul className="legend" aria-label={`Series: ${dimensionLabel(seriesDimension)}`}>
          {series.map((s, index) => (
            <li key={s.key} className="legend-item" data-testid="cost-chart-series">
              <span className="swatch" style={{ background: seriesColor(s.value ?? '', index) }} aria-hidden="true" />
              <span className="legend-label">{s.label}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CostTooltip({
  model,
  x,
  title,
  metric,
}: {
  model: CostChartModel;
  x: string;
  title: string;
  metric: CostMetric;
}) {
  const entries = model.series
    .map((s, index) => ({ s, index, row: model.cell(x, s.key) }))
    .filter((entry) => entry.row !== undefined);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">{title}</div>
      <table>
        <tbody>
          {entries.map(({ s, index, row }) => (
            <tr key={s.key}>
              <td>
                <span className="swatch" style={{ background: seriesColor(s.value ?? '', index) }} />
                {s.label}
              </td>
              <td className="num">
                <Money amount={row?.[metric] ?? '0'} currency={model.currency} data-testid="cost-tooltip-amount" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="chart-tooltip-hint">Click a bar to filter to it</p>
    </div>
  );
}
