import type { Job } from '../../../../shared/api/jobs';
import { Spinner } from '../../components/Spinner';
import { ActionError } from './ActionError';
import { useCancelJob, useRetryJob } from './mutations';

export interface JobActionsProps {
  job: Job;
  /** Prefix of the buttons' test ids: "job" gives job-cancel and job-retry. */
  testIdPrefix: string;
}

/**
 * Cancel and Retry for one job, as the core allows them (`cancellable`, `retryable`). A running job asked to
 * stop says so until its runner lets go. Errors show right under the buttons.
 */
export function JobActions({ job, testIdPrefix }: JobActionsProps) {
  const cancel = useCancelJob();
  const retry = useRetryJob();
  const cancelling = job.status === 'running' && job.cancelRequested;
  return (
    <div className="job-actions">
      <div className="button-row">
        {cancelling && (
          <span className="job-cancelling" data-testid={`${testIdPrefix}-cancelling`}>
            <Spinner size={12} />
            cancelling…
          </span>
        )}
        {job.cancellable && (
          <button
            type="button"
            className="button button-sm"
            data-testid={`${testIdPrefix}-cancel`}
            disabled={cancel.isPending}
            onClick={() => cancel.mutate(job.id)}
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
        {job.retryable && (
          <button
            type="button"
            className="button button-sm"
            data-testid={`${testIdPrefix}-retry`}
            disabled={retry.isPending}
            onClick={() => retry.mutate(job.id)}
          >
            {retry.isPending ? 'Retrying…' : job.status === 'failed' ? 'Retry now' : 'Retry'}
          </button>
        )}
      </div>
      {cancel.isError && <ActionError action="cancel the job" error={cancel.error} />}
      {retry.isError && <ActionError action="retry the job" error={retry.error} />}
    </div>
  );
}
