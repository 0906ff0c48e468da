import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import type { ChannelOutput } from '../../../../shared/api/contract';
import { CellAlertSchema } from '../../../../shared/api/costs';
import type { Alert } from '../../../../shared/api/jobs';
import { call } from '../../lib/api';

export type Restatement = ChannelOutput<'restatements.list'>[number];

/** The alert kind imports raise when a restated cell moved past the threshold. */
export const RESTATED_ALERT_KIND = 'costs.restated';

/** At most this many restatements are listed (the newest runs first). */
export const RESTATEMENTS_LIMIT = 1000;

export const restatementsQueryKeys = {
  lists: ['restatements.list'] as const,
  list: (runId: string | null) => ['restatements.list', { runId, limit: RESTATEMENTS_LIMIT }] as const,
  alerts: ['alerts.list', { kind: RESTATED_ALERT_KIND }] as const,
};

/** Line-level restatements, newest run first; one run's only when `runId` is given. */
export function useRestatements(runId: string | null) {
  return useQuery({
    queryKey: restatementsQueryKeys.list(runId),
    queryFn: () => call('restatements.list', { ...(runId ? { runId } : {}), limit: RESTATEMENTS_LIMIT }),
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

export interface RunGroup {
  runId: string;
  previousRunId: string;
  source: string;
  createdAt: string;
  rows: Restatement[];
}

/** Restatements grouped by the run that recorded them, in the core's order (newest run first). */
export function groupByRun(rows: readonly Restatement[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const row of rows) {
    let group = groups.get(row.runId);
    if (!group) {
      group = {
        runId: row.runId,
        previousRunId: row.previousRunId,
        source: row.source,
        createdAt: row.createdAt,
        rows: [],
      };
      groups.set(row.runId, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()];
}
