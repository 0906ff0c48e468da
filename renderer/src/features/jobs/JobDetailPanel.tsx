import type { Job, JobAttempt } from '../../../../shared/api/jobs';
import { Drawer } from '../../components/Drawer';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Skeleton } from '../../components/Skeleton';
import { formatDuration, formatElapsed, formatTime, formatTimestamp } from '../../lib/format';
import { JobActions } from './JobActions';
import { JobFailureNote } from './JobFailureNote';
import { JobProgress } from './JobProgress';
import { JobStatusBadge } from './JobStatusBadge';
import { useJob } from './queries';
import { useJobsScreenState } from './screen-state';
import { isActiveStatus } from './status';
import { Fact } from '../../components/Fact';

/** The selected job in a side panel: what it was asked to do, what came of it, and every attempt. */
export function JobDetailPanel() {
  const selectedId = useJobsScreenState((state) => state.selectedId);
  const select = useJobsScreenState((state) => state.select);
  if (selectedId === null) return null;
  return <JobDetailDrawer key={selectedId} id={selectedId} onClose={() => select(null)} />;
}

function JobDetailDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const query = useJob(id);
  const data = query.data;
  const job = data?.job;

  let body;
  if (data && job) {
    body = <JobDetailBody job={job} attempts={data.attempts} />;
  } else if (query.isError) {
    body = (
      <ErrorMessage
        title="The job could not be loaded"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = (
      <div role="status" aria-label="Loading job">
        {[0, 1, 2, 3, 4].map((i) => (
          <Skeleton key={i} height={18} className="skeleton-row" />
        ))}
      </div>
    );
  }

  return (
    <Drawer
      title={job?.title ?? 'Job'}
      subtitle={
        job ? (
          <>
            <JobStatusBadge status={job.status} outcome={job.outcome} />
          </>
        ) : undefined
      }
      onClose={onClose}
      testId="job-detail"
    >
      {body}
    </Drawer>
  );
}

function JobDetailBody({ job, attempts }: { job: Job; attempts: JobAttempt[] }) {
  const active = isActiveStatus(job.status);
  return (
    <div className="job-detail" data-job-id={job.id} data-status={job.status}>
      {(job.cancellable || job.retryable || job.cancelRequested) && <JobActions job={job} testIdPrefix="job-detail" />}
      {active && <JobProgress job={job} testId="job-detail-progress" />}

      <dl className="facts job-facts">
        <Fact label="Attempts">
          {job.attempts} of {job.maxAttempts}
        </Fact>
        <Fact label="Created">
          <Timestamp iso={job.createdAt} />
        </Fact>
        <Fact label="Started">
          <Timestamp iso={job.startedAt} />
        </Fact>
        <Fact label="Finished">
          <Timestamp iso={job.finishedAt} />
        </Fact>
        <Fact label="Duration">{job.finishedAt ? formatElapsed(job.startedAt, job.finishedAt) : '—'}</Fact>
        {job.status === 'failed' && (
          <Fact label="Next attempt">
            <Timestamp iso={job.nextRunAt} />
          </Fact>
        )}
      </dl>

      {job.status === 'cancelled' && (
        <p className="notice" role="status" data-testid="job-detail-cancelled">
          {job.error?.message === 'cancelled before it ran'
            ? 'Cancelled before it started, as asked.'
            : 'Stopped as asked. Nothing it was doing was kept.'}
        </p>
      )}
      {(job.status === 'dead' || job.status === 'failed') && (
        <section className="detail-section">
          <h3 className="detail-heading">
            {job.status === 'failed' ? 'Why the last attempt failed' : 'Why it failed'}
          </h3>
          <JobFailureNote job={job} testId="job-detail-error" />
        </section>
      )}

      <details className="detail-section technical-details" data-testid="job-detail-technical">
        <summary className="detail-heading">Technical details</summary>
        <dl className="facts job-facts">
          <Fact label="Job type">
            <code className="job-type">{job.type}</code>
          </Fact>
          <Fact label="Job id">
            <span className="job-id num">{job.id}</span>
          </Fact>
          {job.leaseOwner && <Fact label="Runner">{job.leaseOwner}</Fact>}
          {job.dedupKey && <Fact label="Dedup key">{job.dedupKey}</Fact>}
          {job.scheduleId && <Fact label="Schedule">{job.scheduleId}</Fact>}
        </dl>
        {job.error && (
          <>
            <h4 className="detail-subheading">Error</h4>
            <p>
              <code className="error-code">{job.error.code}</code> {job.error.message}
            </p>
            {job.error.details !== undefined && <JsonBlock value={job.error.details} label="Error details" />}
          </>
        )}
        <h4 className="detail-subheading">Request</h4>
        <JsonBlock value={job.payload} label="Payload" testId="job-detail-payload" />
        <h4 className="detail-subheading">Result</h4>
        {job.result === null || job.result === undefined ? (
          <p className="muted">{active ? 'Not finished yet.' : 'No result.'}</p>
        ) : (
          <JsonBlock value={job.result} label="Result" testId="job-detail-result" />
        )}
      </details>

      <section className="detail-section">
        <h3 className="detail-heading">Attempts</h3>
        <div className="table-scroll table-scroll-flush">
          <table className="data-table" data-testid="job-attempts">
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  #
                </th>
                <th scope="col">Runner</th>
                <th scope="col">Started</th>
                <th scope="col" className="numeric">
                  Duration
                </th>
                <th scope="col">Outcome</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {attempts.length === 0 && (
                <tr>
                  <td colSpan={6} className="table-empty">
                    No attempt yet.
                  </td>
                </tr>
              )}
              {attempts.map((attempt) => (
                <tr key={attempt.attempt}>
                  <td className="numeric">{attempt.attempt}</td>
                  <td className="muted">{attempt.runner}</td>
                  <td>
                    <Timestamp iso={attempt.startedAt} timeOnly />
                  </td>
                  <td className="numeric">
                    {attempt.durationMs === null ? 'running' : formatDuration(attempt.durationMs)}
                  </td>
                  <td>{attempt.outcome === null ? '—' : (OUTCOME_LABELS[attempt.outcome] ?? attempt.outcome)}</td>
                  <td className="cell-wrap">
                    {attempt.error && attempt.outcome !== 'cancelled' ? attempt.error.message : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

/** An attempt's end in plain words (the stored outcomes are the runner's own terms). */
const OUTCOME_LABELS: Record<string, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  dead: 'Failed',
  cancelled: 'Cancelled',
  released: 'Handed back (app closing)',
  'lease-expired': 'Runner stopped responding',
  'stale-heartbeat': 'Runner stopped responding',
};

/** A timestamp to the second; `timeOnly` for narrow columns, with the full date in the tooltip. */
function Timestamp({ iso, timeOnly = false }: { iso: string | null; timeOnly?: boolean }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={timeOnly ? formatTimestamp(iso) : undefined}>
      {timeOnly ? formatTime(iso) : formatTimestamp(iso)}
    </time>
  );
}

function JsonBlock({ value, label, testId }: { value: unknown; label: string; testId?: string }) {
  const text = JSON.stringify(value, null, 2) ?? String(value);
  return (
    <pre className="code-block" aria-label={label} data-testid={testId}>
      {text}
    </pre>
  );
}
