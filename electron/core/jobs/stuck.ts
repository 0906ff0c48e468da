import { recordAlert } from '../alerts';
import type { Logger } from '../log';
import type { JobQueue } from './queue';

export const STUCK_QUEUED_MS = 60 * 60 * 1000;
export const STALE_HEARTBEAT_MS = 5 * 60 * 1000;

export interface StuckReport {
  requeued: string[];
  waiting: string[];
}

/**
 * Finds jobs that are not moving and deals with them:
 * - running with a heartbeat older than STALE_HEARTBEAT_MS: its runner is gone or wedged, so the job
 *   goes back to the queue (its lease is void) and an alert is recorded;
 * - due for over an hour while this runner has a free slot: recorded as an alert (most often no
 *   runner knows the job type, or a concurrency limit is held by jobs that never finish), once per job.
 */
export function detectStuckJobs(
  queue: JobQueue,
  options: { freeSlots: number; logger?: Logger; queuedThresholdMs?: number; staleHeartbeatMs?: number },
): StuckReport {
  const now = queue.now();
  const { sqlite } = queue.store;
  const report: StuckReport = { requeued: [], waiting: [] };

  const stale = sqlite
    .prepare(`SELECT id, type, lease_owner, heartbeat_at FROM job WHERE status = 'running' AND heartbeat_at < ?`)
    .all(now - (options.staleHeartbeatMs ?? STALE_HEARTBEAT_MS)) as {
    id: string;
    type: string;
    lease_owner: string;
    heartbeat_at: bigint;
  }[];
  for (const job of stale) {
    const changed = sqlite
      .prepare(
        `UPDATE job SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, next_run_at = ?, updated_at = ?,
           error = json_object('code', 'UNAVAILABLE', 'message', 'heartbeat went stale; requeued by the stuck-job detector')
         WHERE id = ? AND status = 'running' AND heartbeat_at = ?`,
      )
      .run(now, now, job.id, job.heartbeat_at).changes;
    if (!changed) continue;
    sqlite
      .prepare(
        `UPDATE job_attempt SET finished_at = ?, outcome = 'stale-heartbeat' WHERE job_id = ? AND finished_at IS NULL`,
      )
      .run(now, job.id);
    report.requeued.push(job.id);
    recordAlert(
      queue.store,
      {
        kind: 'job.stuck',
        severity: 'warning',
        title: `Job ${job.type} stopped reporting`,
        message: `Runner ${job.lease_owner} last reported ${Math.round((now - Number(job.heartbeat_at)) / 1000)} s ago; the job was put back in the queue.`,
        details: { jobId: job.id, runner: job.lease_owner },
        entityType: 'job',
        entityId: job.id,
      },
      new Date(now),
      queue.audit,
    );
    queue.notify(queue.get(job.id));
  }

  if (options.freeSlots > 0) {
    const waiting = sqlite
      .prepare(`SELECT id, type, next_run_at FROM job WHERE status IN ('queued', 'failed') AND next_run_at < ?`)
      .all(now - (options.queuedThresholdMs ?? STUCK_QUEUED_MS)) as { id: string; type: string; next_run_at: bigint }[];
    for (const job of waiting) {
      report.waiting.push(job.id);
      const known = queue.registry.has(job.type);
      recordAlert(
        queue.store,
        {
          kind: 'job.stuck',
          severity: 'warning',
          title: `Job ${job.type} has waited over an hour`,
          message: known
            ? 'A runner had a free slot but did not start it: its type may be at its concurrency limit with jobs that never finish.'
            : 'No running Valdrix knows this job type; it will start when a version that does opens the workspace.',
          details: { jobId: job.id, dueSince: new Date(Number(job.next_run_at)).toISOString() },
          entityType: 'job',
          entityId: job.id,
        },
        new Date(now),
        queue.audit,
      );
    }
  }
  if (report.requeued.length || report.waiting.length) options.logger?.warn(report, 'stuck jobs found');
  return report;
}
