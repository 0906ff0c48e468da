import type { Job, JobAttempt } from '../../../../shared/api/jobs';
import { Drawer } from '../../components/Drawer';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Skeleton } from '../../components/Skeleton';
import { formatDuration, formatElapsed, formatTime, formatTimestamp } from '../../lib/format';
import { JobActions } from './JobActions';
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
            <JobStatusBadge status={job.status} />
            <code className="job-type">{job.type}</code>
            <span className="job-id num" title="Job id">
              {job.id}
            </span>
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
        {job.leaseOwner && <Fact label="Runner">{job.leaseOwner}</Fact>}
        {job.dedupKey && <Fact label="Dedup key">{job.dedupKey}</Fact>}
        {job.scheduleId && <Fact label="Schedule">{job.scheduleId}</Fact>}
      </dl>

      {job.error && (
        <section className="detail-section">
          <h3 className="detail-heading">Error</h3>
          <div className="job-error" role="note" data-testid="job-detail-error">
            <p>
              <code className="error-code">{job.error.code}</code> {job.error.message}
            </p>
            {job.error.details !== undefined && <JsonBlock value={job.error.details} label="Error details" />}
          </div>
        </section>
      )}

      <section className="detail-section">
        <h3 className="detail-heading">Payload</h3>
        <JsonBlock value={job.payload} label="Payload" testId="job-detail-payload" />
      </section>

      <section className="detail-section">
        <h3 className="detail-heading">Result</h3>
        {job.result === null || job.result === undefined ? (
          <p className="muted">{active ? 'Not finished yet.' : 'No result.'}</p>
        ) : (
          <JsonBlock value={job.result} label="Result" testId="job-detail-result" />
        )}
      </section>

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
                  <td>{attempt.outcome ?? '—'}</td>
                  <td className="cell-wrap">
                    {attempt.error ? (
                      <>
                        <code className="error-code">{attempt.error.code}</code> {attempt.error.message}
                      </>
                    ) : (
                      '—'
                    )}
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
