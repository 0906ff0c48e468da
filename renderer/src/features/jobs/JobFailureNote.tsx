import type { Job } from '../../../../shared/api/jobs';
import { CopyButton } from '../../components/CopyButton';
import { describeFailure, failureDetailsText } from './failure';

/** Why a job failed, on one line for lists; nothing for a success or a cancellation someone asked for. */
export function JobFailureLine({ job, testId }: { job: Pick<Job, 'status' | 'error' | 'type'>; testId?: string }) {
  const failure = describeFailure(job);
  if (!failure) return null;
  return (
    <span className="job-failure-line" title={failure.summary} data-testid={testId}>
      {failure.summary}
    </span>
  );
}

/**
 * Why a job failed, in plain words: where in the file, what was wrong and what to do. Codes, internal
 * paths and the raw request stay out of sight, in "Copy details". A cancellation is not a failure.
 */
export function JobFailureNote({ job, testId }: { job: Job; testId?: string }) {
  const failure = describeFailure(job);
  if (!failure) return null;
  return (
    <div className="job-error" role="note" data-testid={testId} data-code={job.error?.code ?? ''}>
      <p data-testid={testId ? `${testId}-summary` : undefined}>
        <strong>{job.status === 'failed' ? 'Attempt failed:' : 'Failed:'}</strong> {failure.summary}
      </p>
      {failure.fileName && (
        <p className="muted">
          File <span className="mono">{failure.fileName}</span>
        </p>
      )}
      <p className="muted" data-testid={testId ? `${testId}-advice` : undefined}>
        {failure.advice}
      </p>
      <CopyButton text={failureDetailsText(job)} label="Copy details" testId={testId ? `${testId}-copy` : undefined} />
    </div>
  );
}
