import { useQuery } from '@tanstack/react-query';
import { call } from '../../lib/api';

/** Diagnostics are read live: every 5 s while the screen is open. */
export const DIAGNOSTICS_REFRESH_MS = 5000;

export const diagnosticsQueryKeys = {
  metrics: ['diagnostics.metrics'] as const,
  alerts: (limit: number) => ['alerts.list', { limit }] as const,
};

/** Job metrics in Prometheus text format. */
export function useMetrics() {
  return useQuery({
    queryKey: diagnosticsQueryKeys.metrics,
    queryFn: () => call('diagnostics.metrics', {}),
    refetchInterval: DIAGNOSTICS_REFRESH_MS,
    staleTime: 0,
  });
}

/** The most recent alerts, newest first. */
export function useAlerts(limit = 50) {
  return useQuery({
    queryKey: diagnosticsQueryKeys.alerts(limit),
    queryFn: () => call('alerts.list', { limit }),
    refetchInterval: DIAGNOSTICS_REFRESH_MS,
    staleTime: 0,
  });
}
