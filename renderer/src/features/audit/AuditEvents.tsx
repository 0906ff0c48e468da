import type { MouseEvent } from 'react';
import type { AuditRecord } from '../../../../shared/audit';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Skeleton } from '../../components/Skeleton';
import { Spinner } from '../../components/Spinner';
import { formatCount, formatTimestamp, formatUtcTimestamp, shortId } from '../../lib/format';
import { AuditFilters } from './AuditFilters';
import { auditListInput, useAuditEvents } from './queries';
import { hasFilters, useAuditScreenState } from './screen-state';

/**
 * The filters and the matching events, newest first, with "Load more" for older pages. `firstBadSeq` is the
 * first event the chain check rejected, marked in the table.
 */
export function AuditEvents({ firstBadSeq }: { firstBadSeq: number | null }) {
  const filters = useAuditScreenState((state) => state.filters);
  const clearFilters = useAuditScreenState((state) => state.clearFilters);
  const query = useAuditEvents(auditListInput(filters));
  const pages = query.data?.pages;
  const events = pages?.flatMap((page) => page.events);
  const total = pages?.at(-1)?.total;

  let body;
  if (events && total !== undefined) {
    body = (
      <>
        {query.isRefetchError && (
          <ErrorMessage
            title="Showing earlier events: the refresh failed"
            error={query.error}
            onRetry={() => void query.refetch()}
            retrying={query.isFetching}
          />
        )}
        <div className={query.isPlaceholderData ? 'table-scroll is-updating' : 'table-scroll'}>
          <table
            className="data-table audit-table"
            data-testid="audit-table"
            data-total={total}
            data-shown={events.length}
            aria-busy={query.isPlaceholderData}
          >
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  Seq
                </th>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Entity</th>
                <th scope="col">Run</th>
              </tr>
            </thead>
            <tbody>
              {events.length === 0 && (
                <tr>
                  <td colSpan={6} className="table-empty">
                    {hasFilters(filters) ? (
                      <>
                        No events match these filters.{' '}
                        <button type="button" className="link-button link-accent" onClick={clearFilters}>
                          Clear the filters
                        </button>
                      </>
                    ) : (
                      'No events recorded yet.'
                    )}
                  </td>
                </tr>
              )}
              {events.map((event) => (
                <AuditRow key={event.seq} event={event} chainBreaks={event.seq === firstBadSeq} />
              ))}
            </tbody>
          </table>
        </div>
        <footer className="table-footer">
          <span className="muted num" data-testid="audit-shown">
            {events.length > 0 && `Showing ${formatCount(events.length)} of ${formatCount(total)}`}
          </span>
          {query.hasNextPage && (
            <button
              type="button"
              className="button"
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
              data-testid="audit-load-more"
            >
              {query.isFetchingNextPage && <Spinner size={12} />}
              {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
        </footer>
        {query.isFetchNextPageError && (
          <ErrorMessage
            title="Older events could not be loaded"
            error={query.error}
            onRetry={() => void query.fetchNextPage()}
            retrying={query.isFetchingNextPage}
          />
        )}
      </>
    );
  } else if (query.isError) {
    body = (
      <ErrorMessage
        title="The audit log could not be loaded"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = (
      <div role="status" aria-label="Loading events">
        {[0, 1, 2, 3, 4, 5].map((i) => (
          <Skeleton key={i} height={18} className="skeleton-row" />
        ))}
      </div>
    );
  }

  return (
    <Card title="Events" subtitle="Newest first; times in your time zone (hover for UTC)" data-testid="audit-events">
      <AuditFilters />
      {body}
    </Card>
  );
}

function AuditRow({ event, chainBreaks }: { event: AuditRecord; chainBreaks: boolean }) {
  const select = useAuditScreenState((state) => state.select);
  const selected = useAuditScreenState((state) => state.selected?.seq === event.seq);
  const onClick = (mouse: MouseEvent<HTMLElement>) => {
    if (mouse.target instanceof Element && mouse.target.closest('button, a')) return;
    select(event);
  };
  const entity = event.entityId === null ? event.entityType : `${event.entityType}:${event.entityId}`;
  return (
    <tr
      className={`audit-row${selected ? ' is-selected' : ''}${chainBreaks ? ' is-broken' : ''}`}
      data-testid="audit-row"
      data-seq={event.seq}
      data-action={event.action}
      data-chain-broken={chainBreaks || undefined}
      onClick={onClick}
    >
      <td className="numeric muted">
        {chainBreaks && (
          <Badge tone="danger" className="audit-broken-badge" title="The chain check fails at this event">
            chain breaks
          </Badge>
        )}
        {event.seq}
      </td>
      <td>
        <time dateTime={event.ts} title={formatUtcTimestamp(event.ts)}>
          {formatTimestamp(event.ts)}
        </time>
      </td>
      <td>
        {event.actor.os}
        {event.actor.user !== null && <span className="muted"> · {event.actor.user}</span>}
      </td>
      <th scope="row" className="cell-action">
        <button
          type="button"
          className="link-button audit-action"
          onClick={() => select(event)}
          title="Show this event"
        >
          {event.action}
        </button>
      </th>
      <td className="cell-entity" title={entity}>
        <span className="muted">{event.entityType}</span>
        {event.entityId !== null && <>:{event.entityId}</>}
      </td>
      <td className="muted">
        {event.runId === null ? (
          '—'
        ) : (
          <span className="audit-run" title={`Run ${event.runId}`}>
            {shortId(event.runId)}
          </span>
        )}
      </td>
    </tr>
  );
}
