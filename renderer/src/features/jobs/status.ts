import type { JobStatus } from '../../../../shared/api/jobs';
import type { BadgeTone } from '../../components/Badge';

/** Waiting, running, or waiting to retry: shown under "Active" and polled while any exists. */
export const ACTIVE_STATUSES = ['queued', 'running', 'failed'] as const satisfies readonly JobStatus[];

/** Done for good unless someone retries: shown under "History". */
export const FINISHED_STATUSES = ['succeeded', 'cancelled', 'dead'] as const satisfies readonly JobStatus[];

/** The order of the count chips in the Jobs header. */
export const COUNT_ORDER: readonly JobStatus[] = ['queued', 'running', 'failed', 'dead', 'succeeded', 'cancelled'];

export const STATUS_LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  // "failed" is an attempt that failed with another to come; "dead" is the end of trying: people call that failed.
  failed: 'Will retry',
  succeeded: 'Succeeded',
  cancelled: 'Cancelled',
  dead: 'Failed',
};

export const STATUS_TONES: Record<JobStatus, BadgeTone> = {
  queued: 'neutral',
  running: 'info',
  failed: 'warning',
  succeeded: 'success',
  cancelled: 'neutral',
  dead: 'danger',
};

export function isActiveStatus(status: JobStatus): boolean {
  return (ACTIVE_STATUSES as readonly JobStatus[]).includes(status);
}

/** True when the counts show work that will still change without anyone acting. */
export function hasActiveJobs(counts: Partial<Record<JobStatus, number>> | undefined): boolean {
  return counts !== undefined && ACTIVE_STATUSES.some((status) => (counts[status] ?? 0) > 0);
}
