import type { Alert } from '../../../../shared/api/jobs';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SeverityBadge } from '../../components/SeverityBadge';
import { Skeleton } from '../../components/Skeleton';
import { formatTimestamp } from '../../lib/format';
import { useAlerts } from './queries';

/** Recent alerts raised by the core (stuck jobs, dead jobs, …), newest first. */
export function AlertsCard() {
  const alerts = useAlerts();
  const data = alerts.data;

  let body;
  if (data) {
    body =
      data.length === 0 ? (
        <p className="list-empty">No alerts. Stuck or failing background work would show up here.</p>
      ) : (
        <ul className="alert-list" data-testid="alerts-list">
          {data.map((alert) => (
            <AlertItem key={alert.id} alert={alert} />
          ))}
        </ul>
      );
  } else if (alerts.isError) {
    body = (
      <ErrorMessage
        title="Alerts could not be loaded"
        error={alerts.error}
        onRetry={() => void alerts.refetch()}
        retrying={alerts.isFetching}
      />
    );
  } else {
    body = (
      <div role="status" aria-label="Loading alerts">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} height={36} className="skeleton-row" />
        ))}
      </div>
    );
  }

  return (
    <Card title="Recent alerts" subtitle="Raised by background work, newest first">
      {body}
    </Card>
  );
}

function AlertItem({ alert }: { alert: Alert }) {
  return (
    <li
      className={`alert-item alert-${alert.severity}${alert.acknowledgedAt ? ' is-acknowledged' : ''}`}
      data-testid="alert-item"
      data-severity={alert.severity}
      data-kind={alert.kind}
    >
      <div className="alert-item-heading">
        <SeverityBadge severity={alert.severity} />
        <strong className="alert-title">{alert.title}</strong>
        <time className="alert-time muted" dateTime={alert.createdAt}>
          {formatTimestamp(alert.createdAt)}
        </time>
      </div>
      <p className="alert-message">{alert.message}</p>
      <p className="alert-meta">
        <code>{alert.kind}</code>
        {alert.entityType && alert.entityId && (
          <span>
            {' '}
            {alert.entityType} {alert.entityId}
          </span>
        )}
        {alert.acknowledgedAt && <span> · acknowledged {formatTimestamp(alert.acknowledgedAt)}</span>}
      </p>
    </li>
  );
}
