import type { JobStatus } from '../../../../shared/api/jobs';
import { Badge } from '../../components/Badge';
import { STATUS_LABELS, STATUS_TONES } from './status';

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return (
    <Badge tone={STATUS_TONES[status]} className="job-status" data-status={status}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
