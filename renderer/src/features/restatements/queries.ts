import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import type { ChannelOutput } from '../../../../shared/api/contract';
import { CellAlertSchema } from '../../../../shared/api/costs';
import type { Alert } from '../../../../shared/api/jobs';
import { call } from '../../lib/api';

export type Restatement = ChannelOutput<'restatements.list'>[number];
export type RestatementPage = ChannelOutput<'restatements.page'>;
export type RankedRestatement = RestatementPage['rows'][number];

/** Restated lines per page of the Restatements screen. */
export const RESTATEMENTS_PAGE_SIZE = 50;

/** The alert kind imports raise when a restated cell moved past the threshold. */
export const RESTATED_ALERT_KIND = 'costs.restated';

export const restatementsQueryKeys = {
  /** Every restatements query (imports invalidate this prefix). */
  lists: ['restatements.list'] as const,
  page: (runId: string | null, offset: number) => ['restatements.list', 'page', { runId, offset }] as const,
  alerts: ['alerts.list', { kind: RESTATED_ALERT_KIND }] as const,
};

/** One page of restatements ranked by impact, with the sums per currency; keeps the last page while the next loads. */
export function useRestatementPage(runId: string | null, offset: number) {
  return useQuery({
    queryKey: restatementsQueryKeys.page(runId, offset),
    queryFn: () => call('restatements.page', { ...(runId ? { runId } : {}), offset, limit: RESTATEMENTS_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
}

/** Alerts raised for restated cells, newest first. */
export function useRestatementAlerts() {
  return useQuery({
    queryKey: restatementsQueryKeys.alerts,
    queryFn: () => call('alerts.list', { kind: RESTATED_ALERT_KIND, limit: 200 }),
  });
}

const RestatedDetailsSchema = CellAlertSchema.extend({ runId: z.string() });
export type RestatedCell = z.infer<typeof RestatedDetailsSchema>;

/** What a restatement alert is about (the cell, old and new amounts); null when its details do not say. */
export function restatedCell(alert: Alert): RestatedCell | null {
  const parsed = RestatedDetailsSchema.safeParse(alert.details);
  return parsed.success ? parsed.data : null;
}
