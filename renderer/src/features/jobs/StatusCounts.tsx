import type { JobStatus } from '../../../../shared/api/jobs';
import { COUNT_ORDER, STATUS_LABELS } from './status';

/** One chip per status with its number of jobs in the workspace. */
export function StatusCounts({ counts }: { counts: Record<JobStatus, number> | undefined }) {
  return (
    <ul className="status-chips" aria-label="Jobs by status">
      {COUNT_ORDER.map((status) => {
        const count = counts?.[status];
        return (
          <li
            key={status}
            className={`status-chip status-chip-${status}${count ? ' has-jobs' : ''}`}
            data-testid={`job-count-${status}`}
            data-count={count ?? ''}
          >
            <span className="status-chip-dot" aria-hidden="true" />
            <span className="status-chip-label">{STATUS_LABELS[status]}</span>
            <span className="status-chip-count num">{count ?? '–'}</span>
          </li>
        );
      })}
    </ul>
  );
}
