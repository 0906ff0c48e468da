import type { Job } from '../../../../shared/api/jobs';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Skeleton } from '../../components/Skeleton';
import { formatElapsed, formatTimestamp } from '../../lib/format';
import { JobActions } from './JobActions';
import { JobFailureLine } from './JobFailureNote';
import { JobStatusBadge } from './JobStatusBadge';
import type { useJobs } from './queries';
import { useJobsScreenState } from './screen-state';
import { useOpenJobOnRowClick } from './useOpenJobOnRowClick';

/** Finished jobs (succeeded, cancelled, dead), newest first. */
export function JobHistory({ query }: { query: ReturnType<typeof useJobs> }) {
  const jobs = query.data?.jobs;
  let body;
  if (jobs) {
    body = (
      <div className="table-scroll">
        <table className="data-table job-table" data-testid="jobs-history">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col" className="numeric">
                Attempts
              </th>
              <th scope="col" className="numeric">
                Duration
              </th>
              <th scope="col">Finished</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.length === 0 && (
              <tr>
                <td colSpan={6} className="table-empty">
                  No finished jobs yet.
                </td>
              </tr>
            )}
            {jobs.map((job) => (
              <HistoryRow key={job.id} job={job} />
            ))}
          </tbody>
        </table>
      </div>
    );
  } else if (query.isError) {
    body = (
      <ErrorMessage
        title="Job history could not be loaded"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = (
      <div role="status" aria-label="Loading job history">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} height={18} className="skeleton-row" />
        ))}
      </div>
    );
  }
  return (
    <Card title="History" subtitle="Finished jobs, newest first" data-testid="jobs-history-card">
      {body}
    </Card>
  );
}

function HistoryRow({ job }: { job: Job }) {
  const select = useJobsScreenState((state) => state.select);
  const selected = useJobsScreenState((state) => state.selectedId === job.id);
  const onRowClick = useOpenJobOnRowClick(job.id);
  return (
    <tr
      className={selected ? 'job-history-row is-selected' : 'job-history-row'}
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
      data-job-type={job.type}
      onClick={onRowClick}
    >
      <th scope="row" className="cell-job">
        <button type="button" className="link-button job-title" onClick={() => select(job.id)}>
          {job.title}
        </button>
      </th>
      <td>
        <JobStatusBadge status={job.status} outcome={job.outcome} />
        <span className="job-history-error">
          <JobFailureLine job={job} testId="job-row-failure" />
        </span>
      </td>
      <td className="numeric muted">
        {job.attempts} of {job.maxAttempts}
      </td>
      <td className="numeric">{formatElapsed(job.startedAt, job.finishedAt)}</td>
      <td className="muted">
        {job.finishedAt ? <time dateTime={job.finishedAt}>{formatTimestamp(job.finishedAt)}</time> : '—'}
      </td>
      <td className="cell-actions">
        <JobActions job={job} testIdPrefix="job" />
      </td>
    </tr>
  );
}
