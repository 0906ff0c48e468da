import type { Job } from '../../../../shared/api/jobs';
import { ProgressBar, type ProgressBarProps } from '../../components/ProgressBar';
import { formatTime } from '../../lib/format';

/** "12/40 steps" (or "12 steps" when the total is unknown); null before the first report. */
export function progressFigures(job: Job): string | null {
  const { progress } = job;
  if (!progress) return null;
  const unit = progress.unit ? ` ${progress.unit}` : '';
  return progress.total === null ? `${progress.done}${unit}` : `${progress.done}/${progress.total}${unit}`;
}

/** What the job is doing, in words, when it has not reported progress of its own. */
function waitingText(job: Job): string {
  switch (job.status) {
    case 'queued':
      return 'Waiting to start';
    case 'failed':
      return `Waiting to retry at ${formatTime(job.nextRunAt)}`;
    case 'running':
      return job.cancelRequested ? 'Stopping…' : 'Starting…';
    default:
      return '';
  }
}

function progressTone(job: Job): ProgressBarProps['tone'] {
  if (job.status === 'succeeded') return 'success';
  if (job.status === 'dead') return 'danger';
  if (job.status === 'failed') return 'warning';
  if (job.status === 'cancelled' || job.cancelRequested) return 'neutral';
  return 'accent';
}

export interface JobProgressProps {
  job: Job;
  testId: string;
  size?: 'sm' | 'md';
  /** Show the job's own progress message under the bar. */
  showMessage?: boolean;
}

/** A job's progress bar with its figures; the bar carries the job's done/total for assistive tech and tests. */
export function JobProgress({ job, testId, size = 'md', showMessage = true }: JobProgressProps) {
  const figures = progressFigures(job);
  const done = job.progress?.done ?? 0;
  const total = job.progress?.total ?? null;
  const running = job.status === 'running';
  const tone = progressTone(job);
  const message = job.progress?.message;
  return (
    <div className={`job-progress job-progress-${size}`}>
      <div className="job-progress-line">
        <ProgressBar
          value={done}
          max={total}
          label={`${job.title} progress`}
          valueText={figures ?? waitingText(job)}
          active={running}
          tone={tone}
          size={size}
          data-testid={testId}
          data-status={job.status}
        />
        <span className="job-progress-figures num">{figures ?? waitingText(job)}</span>
      </div>
      {showMessage && message && figures !== null && <p className="job-progress-message">{message}</p>}
    </div>
  );
}
