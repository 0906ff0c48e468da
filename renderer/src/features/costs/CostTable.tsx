import type { MouseEvent } from 'react';
import type { CostMetric } from '../../../../shared/api/schemas';
import { rankCostRows } from '../../../../shared/cost-table';
import { Icon } from '../../components/Icon';
import { Money } from '../../components/Money';
import { Percent } from '../../components/Percent';
import { formatCount, formatDay, formatMonth } from '../../lib/format';
import { dimensionLabel, valueLabel } from './dimensions';
import type { CostAnswer, CostRow } from './queries';

export interface CostTableProps {
  answer: CostAnswer;
  by: readonly string[];
  metric: CostMetric;
  onDrill: (row: CostRow) => void;
  onFilter: (dimension: string, value: string | null) => void;
  updating?: boolean;
}

function cellText(dimension: string, value: string | null): string {
  if (value === null) return valueLabel(value);
  if (dimension === 'day') return formatDay(value, { withYear: true });
  if (dimension === 'month') return formatMonth(value);
  return value;
}

/**
 * One row per group and currency, largest amount first, rounded to the currency's minor unit (the exact
 * figure on hover and in the row's lines), with its share of its currency's total. Totals are the
 * core's, one per currency. A row opens its lines.
 */
export function CostTable({ answer, by, metric, onDrill, onFilter, updating = false }: CostTableProps) {
  const { rows, totals } = answer;
  const ranked = rankCostRows(rows, metric, totals);
  const columns = by.length + 4;
  const onRowClick = (row: CostRow) => (event: MouseEvent<HTMLElement>) => {
    if (event.target instanceof Element && event.target.closest('button, a')) return;
    onDrill(row);
  };
  const metricClass = (m: CostMetric) => (m === metric ? 'numeric is-metric' : 'numeric muted');

  return (
    <div className={updating ? 'table-scroll is-updating' : 'table-scroll'}>
      <table className="data-table cost-table" data-testid="cost-table" data-rows={rows.length} aria-busy={updating}>
        <thead>
          <tr>
            {by.map((dimension) => (
              <th key={dimension} scope="col">
                {dimensionLabel(dimension)}
              </th>
            ))}
            <th scope="col">Currency</th>
            <th scope="col" className="numeric">
              Billed
            </th>
            <th scope="col" className="numeric">
              Effective
            </th>
            <th scope="col" className="numeric">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {ranked.map(({ row, sharePct }, index) => {
            const label = by.map((d) => cellText(d, row[d] ?? null)).join(' · ');
            return (
              <tr
                key={index}
                className="cost-row"
                data-testid="cost-row"
                data-label={label}
                data-currency={row.currency}
                onClick={onRowClick(row)}
              >
                {by.map((dimension, position) => {
                  const value = row[dimension] ?? null;
                  const text = cellText(dimension, value);
                  return (
                    <td key={dimension} className={value === null ? 'cost-cell muted' : 'cost-cell'}>
                      <span className="cost-cell-content">
                        {position === 0 ? (
                          <button
                            type="button"
                            className="link-button cost-cell-open"
                            onClick={() => onDrill(row)}
                            aria-label={`Show the lines of ${label}`}
                            data-testid="cost-row-open"
                          >
                            {text}
                          </button>
                        ) : (
                          <span>{text}</span>
                        )}
                        <button
                          type="button"
                          className="icon-button cost-cell-filter"
                          onClick={() => onFilter(dimension, value)}
                          aria-label={`Filter to ${dimensionLabel(dimension)} ${text}`}
                          title={`Filter to ${text}`}
                        >
                          <Icon name="filter" size={12} />
                        </button>
                      </span>
                    </td>
                  );
                })}
                <td className="muted">{row.currency}</td>
                <td className={metricClass('billed')}>
                  <Money amount={row.billed ?? '0'} currency={row.currency ?? ''} data-testid="cost-row-billed" />
                </td>
                <td className={metricClass('effective')}>
                  <Money amount={row.effective ?? '0'} currency={row.currency ?? ''} data-testid="cost-row-effective" />
                </td>
                <td className="numeric" data-testid="cost-row-share" data-share={sharePct ?? ''}>
                  <Percent kind="share" value={sharePct} />
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          {totals.map((entry) => {
            const count = rows.filter((row) => row.currency === entry.currency).length;
            return (
              <tr
                key={entry.currency}
                className="cost-total-row"
                data-testid="cost-total"
                data-currency={entry.currency}
              >
                <th scope="row" colSpan={columns - 3}>
                  {totals.length === 1 ? 'Total' : `Total in ${entry.currency}`} · {formatCount(count)}{' '}
                  {count === 1 ? 'row' : 'rows'}
                  {answer.truncated && ' shown (the total counts every matching row)'}
                </th>
                <td className={metricClass('billed')}>
                  <Money amount={entry.billed} currency={entry.currency} data-testid="cost-total-billed" />
                </td>
                <td className={metricClass('effective')}>
                  <Money amount={entry.effective} currency={entry.currency} data-testid="cost-total-effective" />
                </td>
                <td />
              </tr>
            );
          })}
        </tfoot>
      </table>
    </div>
  );
}
