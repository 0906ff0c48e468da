import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { OverviewGroupBy } from '../../../../shared/api/overview';
import type { CostMetric } from '../../../../shared/api/schemas';
import { call } from '../../lib/api';

export const appInfoQueryKey = ['app.info'] as const;

export const overviewQueryKeys = {
  all: ['overview.get'] as const,
  get: (groupBy: OverviewGroupBy, metric: CostMetric) => ['overview.get', { groupBy, metric }] as const,
};

/** Version, mode, clock and workspace: loaded once at startup, refreshed when data changes. */
export function useAppInfo(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: appInfoQueryKey,
    queryFn: () => call('app.info', {}),
    staleTime: 5 * 60_000,
    enabled: options.enabled ?? true,
  });
}

/** The Overview numbers for one grouping and metric; keeps showing the previous answer while switching. */
export function useOverview(groupBy: OverviewGroupBy, metric: CostMetric) {
  return useQuery({
    queryKey: overviewQueryKeys.get(groupBy, metric),
    queryFn: () => call('overview.get', { groupBy, metric }),
    placeholderData: keepPreviousData,
  });
}
