import type { Job } from '../../../../shared/api/jobs';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { Skeleton } from '../../components/Skeleton';
import { Spinner } from '../../components/Spinner';
import { formatElapsed } from '../../lib/format';
import { ActionError } from '../jobs/ActionError';
import { JobStatusBadge } from '../jobs/JobStatusBadge';
import { useCancelJob } from '../jobs/mutations';
import { describeFailure, failureDetailsText } from '../jobs/failure';
import { isActiveStatus } from '../jobs/status';
import { formatBytes } from './format';
import { HeldImport } from './HeldImport';
import { ImportResultSummary } from './ImportResultSummary';
import { importJobOptions, parseImportResult, useImportJob } from './queries';

export interface ImportJobPanelProps {
  jobId: string;
  onDismiss: () => void;
}

/** The running import's progress with Cancel, then its result, or where it failed. */
export function ImportJobPanel({ jobId, onDismiss }: ImportJobPanelProps) {
  const query = useImportJob(jobId);
  const job = query.data?.job;

  let body;
  if (job) {
    body = <JobBody job={job} />;
  } else if (query.isError) {
    body = (
      <ErrorMessage
        title="The import could not be followed"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = <Skeleton height={40} />;
  }

  const active = job ? isActiveStatus(job.status) : true;
  return (
    <Card
      title={job ? (isHeld(job) ? 'Import held: confirm the replacement' : jobHeading(job)) : 'Import'}
      subtitle={job && !active ? `Took ${formatElapsed(job.startedAt ?? job.createdAt, job.finishedAt)}` : undefined}
      actions={
        <div className="button-row">
          {job &&
            (isHeld(job) ? (
              <Badge tone="warning" data-testid="import-held-badge">
                Held
              </Badge>
            ) : (
              <JobStatusBadge status={job.status} />
            ))}
          {!active && (
            <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
              <Icon name="close" size={14} />
            </button>
          )}
        </div>
      }
      data-testid="import-job"
      data-job-id={jobId}
      data-status={job?.status ?? ''}
    >
      {body}
    </Card>
  );
}

function jobHeading(job: Job): string {
  switch (job.status) {
    case 'succeeded':
      return 'Import finished';
    case 'cancelled':
      return 'Import cancelled';
    case 'dead':
    case 'failed':
      return 'Import failed';
    default:
      return 'Importing…';
  }
}

/** Whether the finished job's import is held by the replacement guard (written, not published). */
function isHeld(job: Job): boolean {
  if (job.status !== 'succeeded') return false;
  const parsed = parseImportResult(job);
  return 'result' in parsed && parsed.result.status === 'held';
}

function JobBody({ job }: { job: Job }) {
  if (isActiveStatus(job.status) && job.status !== 'failed') return <ImportProgress job={job} />;
  if (job.status === 'succeeded') {
    const parsed = parseImportResult(job);
    if ('problem' in parsed) {
      return (
        <ErrorMessage title="The import finished, but its result could not be read" error={new Error(parsed.problem)} />
      );
    }
    if (parsed.result.status === 'held') return <HeldImport result={parsed.result} />;
    return <ImportResultSummary result={parsed.result} skipBadRows={importJobOptions(job)?.skipBadRows ?? false} />;
  }
  if (job.status === 'cancelled') {
    return (
      <p className="notice" role="status" data-testid="import-cancelled">
        <strong>Cancelled.</strong> Nothing was changed: an import is all or nothing.
      </p>
    );
  }
  return <ImportFailure job={job} />;
}

function ImportProgress({ job }: { job: Job }) {
  const cancel = useCancelJob();
  const progress = job.progress;
  const done = progress?.done ?? 0;
  const total = progress?.total ?? null;
  const figures =
    progress === null
      ? job.status === 'queued'
        ? 'Waiting to start'
        : 'Starting…'
      : total === null
        ? formatBytes(done)
        : `${formatBytes(done)} of ${formatBytes(total)}`;
  // Geometry for the label only; the bar itself gets the raw byte counts.
  const pct = total && total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : null;
  return (
    <div className="import-progress" aria-live="polite">
      <div className="job-progress-line">
        <ProgressBar
          value={done}
          max={total}
          label="Import progress"
          valueText={figures}
          active={job.status === 'running'}
          tone={job.cancelRequested ? 'neutral' : 'accent'}
          data-testid="import-progress"
          data-status={job.status}
        />
        <span className="job-progress-figures num">
          {figures}
          {pct !== null && ` · ${pct}%`}
        </span>
      </div>
      <div className="import-progress-footer">
        <p className="job-progress-message" data-testid="import-progress-message">
          {job.cancelRequested ? 'Stopping…' : (progress?.message ?? 'Reading the files…')}
        </p>
        <button
          type="button"
          className="button"
          disabled={!job.cancellable || job.cancelRequested || cancel.isPending}
          onClick={() => cancel.mutate(job.id)}
          data-testid="import-cancel"
        >
          {cancel.isPending && <Spinner size={12} />}
          Cancel
        </button>
      </div>
      {cancel.isError && <ActionError action="cancel the import" error={cancel.error} />}
    </div>
  );
}

function ImportFailure({ job }: { job: Job }) {
  const failure = describeFailure(job);
  const error = job.error;
  return (
    <div className="job-error import-error" role="alert" data-testid="import-error" data-code={error?.code ?? ''}>
      <p data-testid="import-error-summary">
        <strong>Failed:</strong> {failure?.summary ?? 'the import stopped without saying why.'}
      </p>
      {failure && (failure.fileName || failure.line !== null || failure.column) && (
        <dl className="kv-list import-error-where" data-testid="import-error-location">
          {failure.fileName && (
            <div>
              <dt>File</dt>
              <dd className="mono" data-testid="import-error-file">
                {failure.fileName}
              </dd>
            </div>
          )}
          {failure.line !== null && (
            <div>
              <dt>Line</dt>
              <dd className="num" data-testid="import-error-line">
                {failure.line}
              </dd>
            </div>
          )}
          {failure.column && (
            <div>
              <dt>Column</dt>
              <dd className="mono" data-testid="import-error-column">
                {failure.column}
              </dd>
            </div>
          )}
        </dl>
      )}
      <p className="muted" data-testid="import-error-advice">
        {failure?.advice ?? 'Nothing was imported.'}
      </p>
      <CopyButton text={failureDetailsText(job)} label="Copy details" testId="import-error-copy" />
    </div>
  );
}
