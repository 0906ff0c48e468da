import { Skeleton } from '../../components/Skeleton';
import { formatCount, formatTimestamp, shortHash } from '../../lib/format';
import { AUDIT_STATUS_REFRESH_MS, type useAuditStatus } from './queries';

/**
 * Whether the stored hash chain still verifies, re-checked every 30 s and after an export: green with the
 * event count and last hash, or red with the first event that fails and why.
 */
export function ChainStatus({ status }: { status: ReturnType<typeof useAuditStatus> }) {
  const data = status.data;

  if (!data) {
    if (status.isError) {
      return (
        <button
          type="button"
          className="chain-status chain-status-unknown"
          onClick={() => void status.refetch()}
          title={status.error instanceof Error ? status.error.message : undefined}
          disabled={status.isFetching}
        >
          <span className="chain-status-dot" aria-hidden="true" />
          {status.isFetching ? 'Checking the chain…' : 'Chain not checked: retry'}
        </button>
      );
    }
    return <Skeleton width={280} height={28} className="chain-status-skeleton" />;
  }

  const checked = `Checked ${formatTimestamp(data.checkedAt)}; checked again every ${AUDIT_STATUS_REFRESH_MS / 1000} s`;
  const events = `${formatCount(data.count)} ${data.count === 1 ? 'event' : 'events'}`;
  return (
    <div
      className={`chain-status ${data.ok ? 'chain-status-ok' : 'chain-status-broken'}`}
      role="status"
      data-testid="audit-chain-status"
      data-ok={String(data.ok)}
      data-count={data.count}
      title={data.ok && data.lastSeq !== null ? `Last hash ${data.lastHash}\n${checked}` : checked}
    >
      <span className="chain-status-dot" aria-hidden="true" />
      {data.ok ? (
        <span>
          <strong>Chain intact</strong> · {events}
          {data.lastSeq !== null && (
            <>
              {' '}
              · last hash <span className="hash">{shortHash(data.lastHash)}</span>
            </>
          )}
        </span>
      ) : (
        <span>
          <strong>Chain broken at event {data.firstBad?.seq ?? '?'}</strong>:{' '}
          {data.firstBad?.reason ?? 'unknown reason'}
        </span>
      )}
      {status.isError && <span className="chain-status-stale"> (last check; the refresh failed)</span>}
    </div>
  );
}
