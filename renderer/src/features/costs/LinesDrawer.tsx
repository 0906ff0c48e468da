import type { ReactNode } from 'react';
import { Badge } from '../../components/Badge';
import { Drawer } from '../../components/Drawer';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ExactMoney } from '../../components/ExactMoney';
import { Skeleton } from '../../components/Skeleton';
import { Spinner } from '../../components/Spinner';
import { formatCount, formatDay, formatTimestamp, providerLabel, shortId } from '../../lib/format';
import { useCostLines, type CostLine, type CostLinesInput } from './queries';

export interface LinesDrawerProps {
  title: ReactNode;
  /** Under the title: what the lines add up to (from the core) and what was asked. */
  subtitle?: ReactNode;
  input: CostLinesInput;
  onClose: () => void;
  /** Lines the caller wants told apart ("before" / "after" of a restatement), by id. */
  markers?: Record<number, string>;
  testId?: string;
}

/** The cost lines behind a figure, each with where it came from: source, import run, file and line. */
export function LinesDrawer({
  title,
  subtitle,
  input,
  onClose,
  markers,
  testId = 'cost-lines-drawer',
}: LinesDrawerProps) {
  const query = useCostLines(input);
  const lines = query.data?.pages.flatMap((page) => page.lines);

  let body;
  if (lines) {
    body = (
      <>
        {lines.length === 0 ? (
          <p className="list-empty">No lines match. They may have been replaced by a later import.</p>
        ) : (
          <ol className="cost-lines" aria-label="Cost lines" data-count={lines.length}>
            {lines.map((line) => (
              <CostLineItem key={line.id} line={line} marker={markers?.[line.id]} />
            ))}
          </ol>
        )}
        <footer className="table-footer">
          <span className="muted num" data-testid="cost-lines-shown">
            {lines.length > 0 && `${formatCount(lines.length)} ${lines.length === 1 ? 'line' : 'lines'}`}
            {query.hasNextPage && ' shown'}
          </span>
          {query.hasNextPage && (
            <button
              type="button"
              className="button"
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
              data-testid="cost-lines-more"
            >
              {query.isFetchingNextPage && <Spinner size={12} />}
              {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
        </footer>
        {query.isFetchNextPageError && (
          <ErrorMessage
            title="More lines could not be loaded"
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
        title="The lines could not be loaded"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = (
      <div role="status" aria-label="Loading lines">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} height={84} className="skeleton-row" />
        ))}
      </div>
    );
  }

  return (
    <Drawer title={title} subtitle={subtitle} onClose={onClose} testId={testId}>
      {body}
    </Drawer>
  );
}

function CostLineItem({ line, marker }: { line: CostLine; marker?: string }) {
  const { lineage } = line;
  const location = lineage.file === null ? null : `${lineage.file}${lineage.line === null ? '' : `:${lineage.line}`}`;
  const tags = Object.entries(line.tags);
  return (
    <li
      className={lineage.current ? 'cost-line' : 'cost-line is-superseded'}
      data-testid="cost-line"
      data-line-id={line.id}
      data-current={lineage.current}
      data-file={lineage.file ?? ''}
      data-line={lineage.line ?? ''}
    >
      <div className="cost-line-heading">
        <div className="cost-line-title">
          {marker && <Badge tone="accent">{marker}</Badge>}
          <strong>{line.serviceName}</strong>
          <span className="muted">
            <time dateTime={line.chargeDay}>{formatDay(line.chargeDay, { withYear: true })}</time>
          </span>
        </div>
        <div className="cost-line-amounts">
          <ExactMoney amount={line.billed} currency={line.currency} data-testid="cost-line-billed" />
          <span className="muted cost-line-effective">
            effective <ExactMoney amount={line.effective} currency={line.currency} />
          </span>
        </div>
      </div>
      <dl className="cost-line-facts">
        <LineFact label="Provider">{providerLabel(line.provider)}</LineFact>
        <LineFact label="Account">
          <span className="mono">{line.billingAccountId}</span>
          {line.subAccountId && <span className="mono"> / {line.subAccountId}</span>}
        </LineFact>
        <LineFact label="Charge">{line.chargeCategory}</LineFact>
        {line.region && <LineFact label="Region">{line.region}</LineFact>}
        {line.resourceId && (
          <LineFact label="Resource">
            <span className="mono break">{line.resourceId}</span>
          </LineFact>
        )}
        {line.list !== null && (
          <LineFact label="List">
            <ExactMoney amount={line.list} currency={line.currency} />
          </LineFact>
        )}
        {tags.length > 0 && (
          <LineFact label="Tags">
            <span className="cost-line-tags">
              {tags.map(([key, value]) => (
                <code key={key}>
                  {key}={value}
                </code>
              ))}
            </span>
          </LineFact>
        )}
      </dl>
      <div className="lineage" aria-label="Lineage" data-testid="cost-line-lineage">
        <span className="lineage-item">
          <span className="lineage-label">Source</span> {lineage.source}
        </span>
        <span className="lineage-item">
          <span className="lineage-label">File</span>{' '}
          {location === null ? (
            <span className="muted">—</span>
          ) : (
            <span className="mono" data-testid="cost-line-location">
              {location}
            </span>
          )}
        </span>
        <span className="lineage-item" title={lineage.runId}>
          <span className="lineage-label">Run</span> <span className="mono">{shortId(lineage.runId)}</span>
        </span>
        <span className="lineage-item">
          <span className="lineage-label">Ingested</span>{' '}
          <time dateTime={lineage.ingestedAt}>{formatTimestamp(lineage.ingestedAt)}</time>
        </span>
        {lineage.current ? (
          <Badge tone="success">Current</Badge>
        ) : (
          <Badge title="Replaced by a later import of the same account and period">Superseded</Badge>
        )}
      </div>
    </li>
  );
}

function LineFact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
