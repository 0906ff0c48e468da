import type { Overview } from '../../../../shared/api/overview';
import { Money } from '../../components/Money';
import { seriesColor } from '../../lib/format';

/** Every series of the chart with its total over the chart's window. */
export function SeriesLegend({ series, currency }: { series: Overview['daily']['series']; currency: string }) {
  return (
    <ul className="legend" aria-label="Totals by series">
      {series.map((s, index) => (
        <li
          key={s.key}
          className="legend-item"
          data-testid="series-total"
          data-series-key={s.key}
          data-amount={s.total}
        >
          <span className="swatch" style={{ background: seriesColor(s.key, index) }} aria-hidden="true" />
          <span className="legend-label">{s.label}</span>{' '}
          <Money className="legend-amount" amount={s.total} currency={currency} />
        </li>
      ))}
    </ul>
  );
}
