import { useRouter } from '../../app/router';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FinalityNote } from '../../components/FinalityNote';
import { ExactMoney } from '../../components/ExactMoney';
import { Icon } from '../../components/Icon';
import { Money } from '../../components/Money';
import { Skeleton } from '../../components/Skeleton';
import { Spinner } from '../../components/Spinner';
import { formatDateRange, formatDay } from '../../lib/format';
import { useAppInfo } from '../overview/queries';
import { buildCostChart, MAX_CHART_SERIES } from './chart-data';
import { CostChart } from './CostChart';
import { CostTable } from './CostTable';
import { dimensionLabel, valueLabel } from './dimensions';
import { ExplorerControls } from './ExplorerControls';
import { FilterChips } from './FilterChips';
import { LinesDrawer } from './LinesDrawer';
import { useExportCostsCsv } from './mutations';
import { useCosts, type CostAnswer, type CostRow } from './queries';
import {
  questionDimensions,
  questionInput,
  questionProblem,
  useExplorerState,
  type CostFilters,
  type DrillTarget,
} from './screen-state';
import './costs.css';

/** Costs grouped any way, exact to the source's last digit, with the lines and lineage behind every figure. */
export function CostExplorerScreen() {
  const state = useExplorerState();
  const asOf = useAppInfo().data?.asOf;
  const input = questionInput(state);
  const by = questionDimensions(state) ?? [];
  const problem = questionProblem(state);
  const costs = useCosts(input);
  const exportCsv = useExportCostsCsv();
  const answer = costs.data;
  // A kept answer belongs to an earlier question until the new one arrives.
  const shownBy = costs.isPlaceholderData ? (answerDimensions(answer) ?? by) : by;

  const drillRow = (row: CostRow) => state.openDrill(drillTarget(row, shownBy, state));
  const filterTo = (filters: CostFilters) => state.addFilters(filters);

  let body;
  if (problem !== null) {
    body = (
      <Card>
        <p className="list-empty" role="status">
          {problem}
        </p>
      </Card>
    );
  } else if (answer) {
    body =
      answer.rows.length === 0 ? (
        <NoCosts
          filtered={Object.keys(state.filters).length > 0 || state.status !== 'all'}
          dated={!!state.from || !!state.to}
        />
      ) : (
        <ExplorerResults
          answer={answer}
          by={shownBy}
          updating={costs.isPlaceholderData}
          onDrill={drillRow}
          onFilter={filterTo}
        />
      );
  } else if (costs.isError) {
    body = (
      <ErrorMessage
        title="The costs could not be loaded"
        error={costs.error}
        onRetry={() => void costs.refetch()}
        retrying={costs.isFetching}
      />
    );
  } else {
    body = (
      <Card>
        <div role="status" aria-label="Loading costs">
          <Skeleton height={320} />
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={18} className="skeleton-row" />
          ))}
        </div>
      </Card>
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Cost explorer</h1>
          <p className="page-subtitle">
            {state.from || state.to
              ? `${rangeText(state.from, state.to)}, current snapshots`
              : 'All dates, current snapshots'}
          </p>
        </div>
        <div className="page-controls">
          <button
            type="button"
            className="button"
            disabled={input === null || exportCsv.isPending}
            onClick={() => input && exportCsv.mutate(input)}
            data-testid="explorer-export"
            title="Download this question as CSV with exact amounts"
          >
            {exportCsv.isPending ? <Spinner size={12} /> : <Icon name="download" size={14} />}
            Export CSV
          </button>
        </div>
      </header>
      {exportCsv.isError && (
        <ErrorMessage
          title="The CSV export failed"
          error={exportCsv.error}
          onRetry={() => input && exportCsv.mutate(input)}
        />
      )}
      <Card>
        <ExplorerControls asOf={asOf} />
        <FilterChips filters={state.filters} onRemove={state.removeFilter} onClear={state.clearFilters} />
      </Card>
      {answer && costs.isRefetchError && (
        <ErrorMessage
          title="Showing earlier figures: the refresh failed"
          error={costs.error}
          onRetry={() => void costs.refetch()}
          retrying={costs.isFetching}
        />
      )}
      {body}
      {state.drill && <DrillDrawer target={state.drill} onClose={() => state.openDrill(null)} onFilter={filterTo} />}
    </div>
  );
}

function rangeText(from: string, to: string): string {
  if (from && to) return formatDateRange(from, to);
  if (from) return `From ${formatDay(from, { withYear: true })}`;
  return `Through ${formatDay(to, { withYear: true })}`;
}

/** The dimensions an answer was grouped by, read from its rows (for a kept earlier answer). */
function answerDimensions(answer: CostAnswer | undefined): string[] | null {
  const first = answer?.rows[0];
  if (!first) return null;
  return Object.keys(first).filter((key) => key !== 'billed' && key !== 'effective' && key !== 'currency');
}

function drillTarget(
  row: CostRow,
  by: readonly string[],
  question: { from: string; to: string; filters: CostFilters; status: DrillTarget['status'] },
): DrillTarget {
  const filters: CostFilters = { ...question.filters };
  for (const dimension of by) filters[dimension] = [row[dimension] ?? null];
  return {
    title: by.map((d) => valueLabel(row[d] ?? null)).join(' · ') || 'Cost lines',
    from: question.from || undefined,
    to: question.to || undefined,
    filters,
    status: question.status,
    amount: { billed: row.billed ?? '0', effective: row.effective ?? '0', currency: row.currency ?? '' },
  };
}

interface ExplorerResultsProps {
  answer: CostAnswer;
  by: readonly string[];
  updating: boolean;
  onDrill: (row: CostRow) => void;
  onFilter: (filters: CostFilters) => void;
}

function ExplorerResults({ answer, by, updating, onDrill, onFilter }: ExplorerResultsProps) {
  const metric = useExplorerState((state) => state.metric);
  const chartCurrency = useExplorerState((state) => state.chartCurrency);
  const setChartCurrency = useExplorerState((state) => state.setChartCurrency);
  const currencies = answer.totals.map((c) => c.currency);
  const currency = chartCurrency && currencies.includes(chartCurrency) ? chartCurrency : currencies[0];
  const model = currency === undefined ? null : buildCostChart(answer.rows, by, metric, currency);
  const seriesDimension = model?.seriesDimension ?? null;

  return (
    <>
      {answer.truncated && (
        <div className="notice" role="note" data-testid="explorer-truncated">
          <strong>Only the first {answer.rows.length.toLocaleString('en-US')} rows are shown.</strong> Narrow the dates,
          add a filter or group by fewer dimensions; the CSV export holds more rows.
        </div>
      )}
      <Card
        title={`${metric === 'billed' ? 'Billed' : 'Effective'} cost by ${by.map(dimensionLabel).join(' and ')}`}
        subtitle="Click a bar to filter to it"
        actions={
          currencies.length > 1 ? (
            <label className="field-inline">
              <span className="field-label">Chart currency</span>
              <select
                className="select"
                value={currency}
                onChange={(event) => setChartCurrency(event.target.value)}
                data-testid="explorer-chart-currency"
              >
                {currencies.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          ) : undefined
        }
      >
        {model && (
          <CostChart
            model={model}
            metric={metric}
            updating={updating}
            onSegmentClick={(x, series) => {
              const filters: CostFilters = { [model.xDimension]: [x] };
              if (seriesDimension !== null) filters[seriesDimension] = [series];
              onFilter(filters);
            }}
          />
        )}
        {model && model.omittedSeries > 0 && (
          <p className="note">
            The chart shows the first {MAX_CHART_SERIES} values of {dimensionLabel(seriesDimension ?? '')}; the{' '}
            {model.omittedSeries} others are in the table.
          </p>
        )}
        {currencies.length > 1 && (
          <p className="note">
            Costs in {currencies.join(', ')} are never converted or added together: the chart shows one currency at a
            time and the table totals each one.
          </p>
        )}
      </Card>
      <Card
        title="Costs"
        subtitle="Largest first, rounded to the currency's smallest unit; hover an amount for its exact value, click a row for its lines"
        actions={<TotalFigure answer={answer} metric={metric} />}
      >
        <CostTable
          answer={answer}
          by={by}
          metric={metric}
          updating={updating}
          onDrill={onDrill}
          onFilter={(dimension, value) => onFilter({ [dimension]: [value] })}
        />
        <p className="note" data-testid="explorer-finality">
          <FinalityNote finality={answer.finality} /> Answered from the{' '}
          {answer.grain === 'line'
            ? 'cost lines'
            : answer.grain === 'mixed'
              ? 'monthly and daily rollups'
              : `${answer.grain} rollup`}
          .
        </p>
      </Card>
    </>
  );
}

/** The answer's totals, one per currency: amounts in different currencies are never added together. */
function TotalFigure({ answer, metric }: { answer: CostAnswer; metric: 'billed' | 'effective' }) {
  if (answer.totals.length === 0) return null;
  return (
    <div className="explorer-totals">
      {answer.totals.map((entry) => (
        <div className="explorer-total" key={entry.currency}>
          <span className="field-label">{answer.totals.length === 1 ? 'Total' : `Total ${entry.currency}`}</span>
          <Money
            className="explorer-total-amount"
            amount={entry[metric]}
            currency={entry.currency}
            data-testid="explorer-total"
            data-metric={metric}
          />
        </div>
      ))}
    </div>
  );
}

function NoCosts({ filtered, dated }: { filtered: boolean; dated: boolean }) {
  const navigate = useRouter((state) => state.navigate);
  const clearFilters = useExplorerState((state) => state.clearFilters);
  const setRange = useExplorerState((state) => state.setRange);
  const setStatus = useExplorerState((state) => state.setStatus);
  if (filtered || dated) {
    return (
      <Card>
        <EmptyState
          title="No costs match"
          actions={
            <div className="button-row">
              {filtered && (
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    clearFilters();
                    setStatus('all');
                  }}
                >
                  Clear filters
                </button>
              )}
              {dated && (
                <button type="button" className="button" onClick={() => setRange('', '')}>
                  All dates
                </button>
              )}
            </div>
          }
        >
          <p>Nothing was billed for this question. Widen the dates or remove a filter.</p>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card>
      <EmptyState
        title="No cost data yet"
        actions={
          <button type="button" className="button button-primary" onClick={() => navigate('import')}>
            <Icon name="import" size={14} />
            Import billing files
          </button>
        }
      >
        <p>Import a FOCUS, AWS CUR, Azure or Google Cloud export to explore it here.</p>
      </EmptyState>
    </Card>
  );
}

function DrillDrawer({
  target,
  onClose,
  onFilter,
}: {
  target: DrillTarget;
  onClose: () => void;
  onFilter: (filters: CostFilters) => void;
}) {
  // The same question as the cell's: its dates, filters, finality and currency.
  const input = {
    from: target.from,
    to: target.to,
    filters: target.filters,
    status: target.status ?? 'all',
    currency: target.amount?.currency || undefined,
  };
  return (
    <LinesDrawer
      title={target.title}
      subtitle={
        <>
          {target.amount && (
            <span className="drill-amount">
              Billed{' '}
              <ExactMoney amount={target.amount.billed} currency={target.amount.currency} data-testid="drill-billed" />
              <span className="muted">
                {' '}
                · effective <ExactMoney amount={target.amount.effective} currency={target.amount.currency} />
              </span>
            </span>
          )}
          <span className="muted">
            {target.from || target.to ? rangeText(target.from ?? '', target.to ?? '') : 'All dates'}
          </span>
          <button
            type="button"
            className="link-button link-accent"
            onClick={() => {
              onFilter(target.filters);
              onClose();
            }}
          >
            Filter to this
          </button>
        </>
      }
      input={input}
      onClose={onClose}
    />
  );
}
