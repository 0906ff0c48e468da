import type { Overview, OverviewGroupBy } from '../../../../shared/api/overview';
import type { CostMetric } from '../../../../shared/api/schemas';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SegmentedControl, type SegmentedOption } from '../../components/SegmentedControl';
import { formatDateRange } from '../../lib/format';
import { DailySpendChart } from './DailySpendChart';
import { FreshnessPanel } from './FreshnessPanel';
import { KpiCards } from './KpiCards';
import { OtherCurrenciesNote } from './OtherCurrenciesNote';
import { OverviewSkeleton } from './OverviewSkeleton';
import { useOverviewPreferences } from './preferences';
import { useOverview } from './queries';
import { SeriesLegend } from './SeriesLegend';
import { TopServicesTable } from './TopServicesTable';

const GROUP_BY_OPTIONS: readonly SegmentedOption<OverviewGroupBy>[] = [
  { value: 'provider', label: 'Provider', testId: 'group-by-provider' },
  { value: 'service', label: 'Service', testId: 'group-by-service' },
];

const METRIC_OPTIONS: readonly SegmentedOption<CostMetric>[] = [
  { value: 'billed', label: 'Billed', testId: 'metric-billed' },
  { value: 'effective', label: 'Effective', testId: 'metric-effective' },
];

/** Month-to-date spend, its trend by day, the largest services and how fresh the data is. */
export function OverviewScreen() {
  const { groupBy, metric, setGroupBy, setMetric } = useOverviewPreferences();
  const overview = useOverview(groupBy, metric);
  const data = overview.data;

  let body;
  if (data) {
    body = data.empty ? (
      <Card>
        <EmptyState title="No cost data yet">
          <p>
            Load the demo data with <code>valdrix --workspace DIR demo</code>, or import a billing export.
          </p>
        </EmptyState>
      </Card>
    ) : (
      <OverviewContent overview={data} updating={overview.isPlaceholderData} />
    );
  } else if (overview.isError) {
    body = (
      <ErrorMessage
        title="The overview could not be loaded"
        error={overview.error}
        onRetry={() => void overview.refetch()}
        retrying={overview.isFetching}
      />
    );
  } else {
    body = <OverviewSkeleton />;
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Overview</h1>
          <p className="page-subtitle">
            {data
              ? `${metric === 'billed' ? 'Billed' : 'Effective'} cost in ${data.currency}, month to date`
              : 'Month to date'}
          </p>
        </div>
        <div className="page-controls">
          <SegmentedControl
            label="Group by"
            showLabel
            options={GROUP_BY_OPTIONS}
            value={groupBy}
            onChange={setGroupBy}
          />
          <SegmentedControl label="Metric" options={METRIC_OPTIONS} value={metric} onChange={setMetric} />
        </div>
      </header>
      {data && overview.isError && (
        <ErrorMessage
          title="Showing earlier figures: the refresh failed"
          error={overview.error}
          onRetry={() => void overview.refetch()}
          retrying={overview.isFetching}
        />
      )}
      {body}
    </div>
  );
}

function OverviewContent({ overview, updating }: { overview: Overview; updating: boolean }) {
  const { daily, currency } = overview;
  return (
    <div className="overview-body">
      {overview.otherCurrencies.length > 0 && (
        <OtherCurrenciesNote items={overview.otherCurrencies} currency={currency} />
      )}
      <KpiCards overview={overview} />
      <Card
        title="Daily spend"
        subtitle={`${formatDateRange(daily.from, daily.to)} by ${daily.groupBy === 'provider' ? 'provider' : 'service'}`}
      >
        <DailySpendChart daily={daily} currency={currency} monthStart={overview.monthToDate.from} updating={updating} />
        <SeriesLegend series={daily.series} currency={currency} />
      </Card>
      <TopServicesTable overview={overview} />
      <FreshnessPanel freshness={overview.freshness} />
    </div>
  );
}
