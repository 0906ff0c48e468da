import type { Alert } from '../../../shared/api/jobs';
import { Badge, type BadgeTone } from './Badge';

type Severity = Alert['severity'];

/** How each alert severity reads and looks: the core's codes ("warning") are not words for people. */
const SEVERITIES: Record<Severity, { label: string; tone: BadgeTone }> = {
  info: { label: 'Info', tone: 'info' },
  warning: { label: 'Warning', tone: 'warning' },
  critical: { label: 'Critical', tone: 'danger' },
};

/** An alert's severity as a badge; every list of alerts shows it through this. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  const { label, tone } = SEVERITIES[severity];
  return (
    <Badge tone={tone} data-severity={severity}>
      {label}
    </Badge>
  );
}
