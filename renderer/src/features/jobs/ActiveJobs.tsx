import type { Job } from '../../../../shared/api/jobs';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Skeleton } from '../../components/Skeleton';
import { formatTime } from '../../lib/format';
import { JobActions } from './JobActions';
import { JobFailureLine } from './JobFailureNote';
import { JobProgress } from './JobProgress';
import { JobStatusBadge } from './JobStatusBadge';
import type { useJobs } from './queries';
import { useJobsScreenState } from './screen-state';
import { useOpenJobOnRowClick } from './useOpenJobOnRowClick';

/** Queued, running and retrying jobs with live progress. */
export function ActiveJobs({ query }: { query: ReturnType<typeof useJobs> }) {
  const jobs = query.data?.jobs;
  let body;
  if (jobs) {
    body =
      jobs.length === 0 ? (
        <p className="list-empty">Nothing is running. Jobs you start, and scheduled work, show up here.</p>
      ) : (
        <ul className="job-list" aria-label="Active jobs">
          {jobs.map((job) => (
            <ActiveJobRow key={job.id} job={job} />
          ))}
        </ul>
      );
  } else if (query.isError) {
    body = (
      <ErrorMessage
        title="Active jobs could not be loaded"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = (
      <div role="status" aria-label="Loading active jobs">
        {[0, 1].map((i) => (
          <Skeleton key={i} height={44} className="skeleton-row" />
        ))}
      </div>
    );
  }
  return (
    <Card title="Active" subtitle="Queued, running, and failed jobs waiting to retry" data-testid="jobs-active">
      {body}
    </Card>
  );
}

function ActiveJobRow({ job }: { job: Job }) {
  const select = useJobsScreenState((state) => state.select);
  const selected = useJobsScreenState((state) => state.selectedId === job.id);
  const onRowClick = useOpenJobOnRowClick(job.id);
  return (
    <li
      className={selected ? 'job-row is-selected' : 'job-row'}
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
      data-job-type={job.type}
      onClick={onRowClick}
    >
      <div className="job-row-main">
        <div className="job-row-heading">
          <button type="button" className="link-button job-title" onClick={() => select(job.id)}>
            {job.title}
          </button>
          <JobStatusBadge status={job.status} outcome={job.outcome} />
        </div>
        <JobProgress job={job} testId="job-progress" />
        <p className="job-meta">
          <AttemptText job={job} />
          {job.startedAt && (
            <>
              {' · '}started <time dateTime={job.startedAt}>{formatTime(job.startedAt)}</time>
            </>
          )}
          {!job.startedAt && (
            <>
              {' · '}queued <time dateTime={job.createdAt}>{formatTime(job.createdAt)}</time>
            </>
          )}
        </p>
        {job.status === 'failed' && (
          <p className="job-row-error">
            <JobFailureLine job={job} />
          </p>
        )}
      </div>
      <JobActions job={job} testIdPrefix="job" />
    </li>
  );
}

/** "attempt 1 of 3": the attempt running now, or the one a waiting job will make next. */
function AttemptText({ job }: { job: Job }) {
  const attempt = job.status === 'running' ? Math.max(1, job.attempts) : job.attempts + 1;
  if (job.status === 'failed') {
    return (
      <span>
        attempt {job.attempts} of {job.maxAttempts} failed
      </span>
    );
  }
  return (
    <span>
      attempt {Math.min(attempt, job.maxAttempts)} of {job.maxAttempts}
    </span>
  );
}
