import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { ActionError } from './ActionError';
import { JobActions } from './JobActions';
import { JobProgress } from './JobProgress';
import { JobStatusBadge } from './JobStatusBadge';
import { DEMO_JOB, useStartJob } from './mutations';
import { useJob, useJobTypes } from './queries';
import { useJobsScreenState } from './screen-state';
import { isActiveStatus } from './status';

/** "Start demo job", and once started, that job's progress right beside the button with its own Cancel. */
export function StartDemoJob() {
  const start = useStartJob();
  const types = useJobTypes();
  const startedId = useJobsScreenState((state) => state.startedId);
  const setStarted = useJobsScreenState((state) => state.setStarted);
  const demoType = types.data?.find((t) => t.type === DEMO_JOB.type);
  // Until the types arrive, assume the demo is there; the core refuses it anyway if it is not.
  const unavailable = types.data !== undefined && !demoType?.userStartable;

  return (
    <div className="start-job">
      <div className="start-job-controls">
        {startedId && <StartedJob id={startedId} onDismiss={() => setStarted(null)} />}
        <button
          type="button"
          className="button button-primary"
          data-testid="start-demo-job"
          disabled={start.isPending || unavailable}
          title={
            unavailable ? 'This build has no demo job' : `Runs "${demoType?.title ?? DEMO_JOB.type}" in the background`
          }
          onClick={() => start.mutate(DEMO_JOB, { onSuccess: (job) => setStarted(job.id) })}
        >
          {start.isPending ? <Spinner size={12} /> : <Icon name="jobs" size={14} />}
          Start demo job
        </button>
      </div>
      {start.isError && <ActionError action="start the demo job" error={start.error} />}
    </div>
  );
}

function StartedJob({ id, onDismiss }: { id: string; onDismiss: () => void }) {
  const query = useJob(id);
  const select = useJobsScreenState((state) => state.select);
  const job = query.data?.job;
  if (!job) {
    return query.isError ? <ActionError action="follow the started job" error={query.error} /> : null;
  }
  const active = isActiveStatus(job.status);
  return (
    <div className="inline-job" data-job-id={job.id} aria-live="polite">
      <button type="button" className="link-button inline-job-title" onClick={() => select(job.id)}>
        {active ? 'Demo job' : <JobStatusBadge status={job.status} outcome={job.outcome} />}
      </button>
      <JobProgress job={job} testId="inline-job-progress" size="sm" showMessage={false} />
      {active ? (
        <JobActions job={job} testIdPrefix="inline-job" />
      ) : (
        <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
          <Icon name="close" size={14} />
        </button>
      )}
    </div>
  );
}
