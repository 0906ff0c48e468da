import type { Alert } from '../../../../shared/api/jobs';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Percent } from '../../components/Percent';
import { SeverityBadge } from '../../components/SeverityBadge';
import { Skeleton } from '../../components/Skeleton';
import { formatDay, formatTimestamp, shortId } from '../../lib/format';
import { AmountChange } from './AmountChange';
import { OpenCellInExplorer } from './OpenCellInExplorer';
import { restatedCell, type useRestatementAlerts } from './queries';
import { useRestatementsScreenState } from './screen-state';
import { runAlert, RunAlertSummary } from './RunAlertSummary';

/** Days whose cost of a service moved past the alert threshold when an import restated them. */
export function RestatementAlerts({ query }: { query: ReturnType<typeof useRestatementAlerts> }) {
  const data = query.data;
  let body;
  if (data) {
    body =
      data.length === 0 ? (
        <EmptyState title="No restatement alerts">
          <p>
            An import raises one when it restates a day&apos;s cost of a service by more than the alert threshold and
            minimum amount.
          </p>
        </EmptyState>
      ) : (
        <ul className="alert-list" data-testid="restatement-alerts">
          {data.map((alert) => (
            <AlertItem key={alert.id} alert={alert} />
          ))}
        </ul>
      );
  } else if (query.isError) {
    body = (
      <ErrorMessage
        title="Alerts could not be loaded"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = (
      <div role="status" aria-label="Loading alerts">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} height={48} className="skeleton-row" />
        ))}
      </div>
    );
  }
  return (
    <Card title="Restatement alerts" subtitle="Newest first">
      {body}
    </Card>
  );
}

function AlertItem({ alert }: { alert: Alert }) {
  const cell = restatedCell(alert);
  const openDrill = useRestatementsScreenState((state) => state.openDrill);
  const showRun = useRestatementsScreenState((state) => state.showRun);

  return (
    <li
      className={`alert-item alert-${alert.severity}${alert.acknowledgedAt ? ' is-acknowledged' : ''}`}
      data-testid="restatement-alert"
      data-day={cell?.day ?? ''}
      data-service={cell?.serviceName ?? ''}
    >
      <div className="alert-item-heading">
        <SeverityBadge severity={alert.severity} />
        <strong className="alert-title">{alert.title}</strong>
        <time className="alert-time muted" dateTime={alert.createdAt}>
          {formatTimestamp(alert.createdAt)}
        </time>
      </div>
      {cell ? (
        <>
          <dl className="restated-cell">
            <div>
              <dt>Day</dt>
              <dd>{formatDay(cell.day, { withYear: true })}</dd>
            </div>
            <div>
              <dt>Account</dt>
              <dd className="mono">{cell.billingAccountId}</dd>
            </div>
            <div>
              <dt>Service</dt>
              <dd>{cell.serviceName}</dd>
            </div>
            <div>
              <dt>Billed</dt>
              <dd>
                <AmountChange before={cell.old} after={cell.new} currency={cell.currency} testId="alert-amounts" />
              </dd>
            </div>
            <div>
              <dt>Change</dt>
              <dd data-testid="alert-percent" data-percent={cell.percent ?? ''}>
                <Percent kind="change" value={cell.percent} decreaseIs="neutral" />
              </dd>
            </div>
          </dl>
          <div className="alert-actions">
            <OpenCellInExplorer cell={cell} />
            <button
              type="button"
              className="button button-sm"
              onClick={() =>
                openDrill({
                  kind: 'cell',
                  title: `${cell.serviceName} on ${formatDay(cell.day, { withYear: true })}`,
                  day: cell.day,
                  billingAccountId: cell.billingAccountId,
                  serviceName: cell.serviceName,
                })
              }
              data-testid="alert-lines"
            >
              Current lines
            </button>
            <button
              type="button"
              className="link-button link-accent"
              onClick={() => showRun(cell.runId)}
              title={cell.runId}
            >
              Restated lines of run {shortId(cell.runId)}
            </button>
          </div>
        </>
      ) : runAlert(alert) ? (
        <RunAlertSummary details={runAlert(alert)!} />
      ) : (
        <p className="alert-message">{alert.message}</p>
      )}
    </li>
  );
}
