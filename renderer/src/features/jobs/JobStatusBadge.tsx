import type { Job, JobStatus } from '../../../../shared/api/jobs';
import { Badge } from '../../components/Badge';
import { STATUS_LABELS, STATUS_TONES } from './status';

/** A job's status in words; a succeeded job whose result still waits on someone shows that ("Held"). */
export function JobStatusBadge({ status, outcome = null }: { status: JobStatus; outcome?: Job['outcome'] }) {
  if (outcome) {
    return (
      <Badge
        tone="warning"
        className="job-status"
        data-status={status}
        data-outcome={outcome.label}
        title={outcome.detail}
      >
        {outcome.label}
      </Badge>
    );
  }
  return (
    <Badge tone={STATUS_TONES[status]} className="job-status" data-status={status}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
