import { JOB_STATUSES } from '../store';
import type { JobQueue } from './queue';

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Job metrics in the Prometheus text exposition format (version 0.0.4): jobs by type and status,
 * queue depth, attempt durations (summary with quantiles over the last 24 hours) and failures.
 */
export function jobMetrics(queue: JobQueue, windowMs = 24 * 60 * 60 * 1000): string {
  const { sqlite } = queue.store;
  const now = queue.now();
  const lines: string[] = [];
  const types = new Set<string>(queue.registry.types());

  const byStatus = sqlite.prepare('SELECT type, status, COUNT(*) AS n FROM job GROUP BY type, status').all() as {
    type: string;
    status: string;
    n: bigint;
  }[];
  for (const row of byStatus) types.add(row.type);
  const count = (type: string, status: string) =>
    Number(byStatus.find((r) => r.type === type && r.status === status)?.n ?? 0n);
  const sortedTypes = [...types].sort();

  lines.push('# HELP valdrix_jobs Jobs in the workspace by type and status.', '# TYPE valdrix_jobs gauge');
  for (const type of sortedTypes) {
    for (const status of JOB_STATUSES)
      lines.push(`valdrix_jobs{type="${escapeLabel(type)}",status="${status}"} ${count(type, status)}`);
  }

  lines.push(
    '# HELP valdrix_job_queue_depth Jobs waiting to run (queued, or failed and waiting to retry).',
    '# TYPE valdrix_job_queue_depth gauge',
  );
  for (const type of sortedTypes)
    lines.push(`valdrix_job_queue_depth{type="${escapeLabel(type)}"} ${count(type, 'queued') + count(type, 'failed')}`);

  const attempts = sqlite
    .prepare(
      `SELECT j.type AS type, a.outcome AS outcome, a.finished_at - a.started_at AS ms FROM job_attempt a JOIN job j ON j.id = a.job_id
       WHERE a.finished_at IS NOT NULL AND a.finished_at >= ?`,
    )
    .all(now - windowMs) as { type: string; outcome: string; ms: bigint }[];
  lines.push(
    '# HELP valdrix_job_run_duration_seconds Duration of finished job attempts over the last 24 hours.',
    '# TYPE valdrix_job_run_duration_seconds summary',
  );
  for (const type of sortedTypes) {
    const durations = attempts
      .filter((a) => a.type === type)
      .map((a) => Number(a.ms) / 1000)
      .sort((a, b) => a - b);
    const label = escapeLabel(type);
    for (const q of [0.5, 0.9, 0.99]) {
      const value = durations.length
        ? durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!
        : Number.NaN;
      lines.push(`valdrix_job_run_duration_seconds{type="${label}",quantile="${q}"} ${formatNumber(value)}`);
    }
    lines.push(
      `valdrix_job_run_duration_seconds_sum{type="${label}"} ${formatNumber(durations.reduce((s, d) => s + d, 0))}`,
    );
    lines.push(`valdrix_job_run_duration_seconds_count{type="${label}"} ${durations.length}`);
  }

  const failures = sqlite
    .prepare(
      `SELECT j.type AS type, COUNT(*) AS n FROM job_attempt a JOIN job j ON j.id = a.job_id
       WHERE a.outcome IN ('failed', 'dead', 'lease-expired', 'stale-heartbeat') GROUP BY j.type`,
    )
    .all() as { type: string; n: bigint }[];
  lines.push(
    '# HELP valdrix_job_attempt_failures_total Failed job attempts (errors, lost leases, stale heartbeats).',
    '# TYPE valdrix_job_attempt_failures_total counter',
  );
  for (const type of sortedTypes) {
    lines.push(
      `valdrix_job_attempt_failures_total{type="${escapeLabel(type)}"} ${Number(failures.find((f) => f.type === type)?.n ?? 0n)}`,
    );
  }

  const alerts = sqlite
    .prepare('SELECT kind, COUNT(*) AS n FROM alert WHERE acknowledged_at IS NULL GROUP BY kind')
    .all() as { kind: string; n: bigint }[];
  lines.push('# HELP valdrix_alerts_open Unacknowledged alerts by kind.', '# TYPE valdrix_alerts_open gauge');
  for (const alert of alerts) lines.push(`valdrix_alerts_open{kind="${escapeLabel(alert.kind)}"} ${Number(alert.n)}`);

  return `${lines.join('\n')}\n`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return String(Math.round(value * 1e6) / 1e6);
}
