import type { MouseEvent } from 'react';
import type { CostMetric } from '../../../../shared/api/schemas';
import { ExactMoney } from '../../components/ExactMoney';
import { Icon } from '../../components/Icon';
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

/** One row per group and currency with exact amounts; the totals are the core's. A row opens its lines. */
export function CostTable({ answer, by, metric, onDrill, onFilter, updating = false }: CostTableProps) {
  const { rows, totals } = answer;
  const sole = totals.length === 1 ? totals[0]! : null;
  const columns = by.length + 3;
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
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
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
                  <ExactMoney amount={row.billed ?? '0'} currency={row.currency ?? ''} data-testid="cost-row-billed" />
                </td>
                <td className={metricClass('effective')}>
                  <ExactMoney
                    amount={row.effective ?? '0'}
                    currency={row.currency ?? ''}
                    data-testid="cost-row-effective"
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          {sole !== null ? (
            <tr className="cost-total-row" data-testid="cost-total" data-currency={sole.currency}>
              <th scope="row" colSpan={columns - 2}>
                Total · {formatCount(rows.length)} {rows.length === 1 ? 'row' : 'rows'}
                {answer.truncated && ' shown (the total counts every matching row)'}
              </th>
              <td className={metricClass('billed')}>
                <ExactMoney amount={sole.billed} currency={sole.currency} data-testid="cost-total-billed" />
              </td>
              <td className={metricClass('effective')}>
                <ExactMoney amount={sole.effective} currency={sole.currency} data-testid="cost-total-effective" />
              </td>
            </tr>
          ) : (
            totals.map((entry) => (
              <tr
                key={entry.currency}
                className="cost-total-row"
                data-testid="cost-total"
                data-currency={entry.currency}
              >
                <th scope="row" colSpan={columns - 2}>
                  Total in {entry.currency}
                </th>
                <td className={metricClass('billed')}>
                  <ExactMoney amount={entry.billed} currency={entry.currency} data-testid="cost-total-billed" />
                </td>
                <td className={metricClass('effective')}>
                  <ExactMoney amount={entry.effective} currency={entry.currency} data-testid="cost-total-effective" />
                </td>
              </tr>
            ))
          )}
        </tfoot>
      </table>
    </div>
  );
}
