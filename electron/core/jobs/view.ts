import { isBadInput } from '../../../shared/api/errors';
import type { Job, JobAttempt } from '../../../shared/api/jobs';
import type { JobAttemptRow, JobRow } from './queue';
import type { JobRegistry } from './registry';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The API shape of a job row. */
export function toJobView(row: JobRow, registry: JobRegistry): Job {
  return {
    id: row.id,
    type: row.type,
    title: jobTitle(row, registry),
    status: row.status,
    outcome: row.status === 'succeeded' ? (registry.get(row.type)?.outcome?.(row.result) ?? null) : null,
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    dedupKey: row.dedupKey,
    payload: row.payload,
    progress:
      row.progressDone === null
        ? null
        : { done: row.progressDone, total: row.progressTotal, unit: row.progressUnit, message: row.progressMessage },
    result: row.result ?? null,
    error: row.error ?? null,
    cancelRequested: row.cancelRequested === 1,
    cancellable:
      (row.status === 'queued' || row.status === 'failed' || row.status === 'running') && row.cancelRequested !== 1,
    retryable:
      (row.status === 'failed' || row.status === 'dead' || row.status === 'cancelled') && !isBadInput(row.error),
    leaseOwner: row.leaseOwner,
    scheduleId: row.scheduleId,
    createdAt: iso(row.createdAt)!,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    nextRunAt: iso(row.nextRunAt)!,
    heartbeatAt: iso(row.heartbeatAt),
    updatedAt: iso(row.updatedAt)!,
  };
}

export function toAttemptView(row: JobAttemptRow): JobAttempt {
  return {
    attempt: row.attempt,
    runner: row.runner,
    startedAt: iso(row.startedAt)!,
    finishedAt: iso(row.finishedAt),
    durationMs: row.finishedAt === null ? null : row.finishedAt - row.startedAt,
    outcome: row.outcome,
    error: row.error ?? null,
  };
}

/** What this job works on, in a few words ("Import focus_sample.csv"); the type's title otherwise. */
function jobTitle(row: JobRow, registry: JobRegistry): string {
  const definition = registry.get(row.type);
  if (!definition) return row.type;
  if (!definition.describe) return definition.title;
  const parsed = definition.payloadSchema.safeParse(row.payload);
  return parsed.success ? definition.describe(parsed.data) : definition.title;
}
