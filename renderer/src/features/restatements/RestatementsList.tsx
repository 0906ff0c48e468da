import { Badge, type BadgeTone } from '../../components/Badge';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Money } from '../../components/Money';
import { Skeleton } from '../../components/Skeleton';
import { formatCount, formatDay, formatMonth, formatTimestamp, shortId } from '../../lib/format';
import { useImportRuns } from '../import/queries';
import { AmountChange } from './AmountChange';
import { RESTATEMENTS_PAGE_SIZE, useRestatementPage, type RankedRestatement, type RestatementPage } from './queries';
import { useRestatementsScreenState } from './screen-state';

const KIND_TONES: Record<RankedRestatement['kind'], BadgeTone> = {
  changed: 'info',
  added: 'neutral',
  removed: 'neutral',
};
const KIND_LABELS: Record<RankedRestatement['kind'], string> = {
  changed: 'Changed',
  added: 'Added',
  removed: 'Removed',
};

/** Restated lines ranked by how much they moved the bill, a page at a time, under their sums per currency. */
export function RestatementsList() {
  const runId = useRestatementsScreenState((state) => state.runId);
  const setRunId = useRestatementsScreenState((state) => state.setRunId);
  const offset = useRestatementsScreenState((state) => state.offset);
  const query = useRestatementPage(runId, offset);
  const data = query.data;

  let body;
  if (data) {
    body =
      data.total === 0 ? (
        <Card>
          <EmptyState title={runId ? 'This run restated nothing' : 'No restatements yet'}>
            <p>
              When an import replaces an earlier import of the same billing account and period, every line it changes,
              adds or removes is listed here.
            </p>
          </EmptyState>
        </Card>
      ) : (
        <>
          <RestatementSummary page={data} />
          <RestatementTable page={data} updating={query.isPlaceholderData} />
        </>
      );
  } else if (query.isError) {
    body = (
      <ErrorMessage
        title="Restatements could not be loaded"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    body = (
      <Card>
        <div role="status" aria-label="Loading restatements">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={18} className="skeleton-row" />
          ))}
        </div>
      </Card>
    );
  }

  return (
    <div className="restatements">
      <RunPicker runId={runId} onChange={setRunId} />
      {data && query.isError && (
        <ErrorMessage
          title="Showing earlier restatements: the refresh failed"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      )}
      {body}
    </div>
  );
}

function RunPicker({ runId, onChange }: { runId: string | null; onChange: (runId: string | null) => void }) {
  const runs = useImportRuns(50).data ?? [];
  const known = runs.some((run) => run.id === runId);
  return (
    <div className="filter-bar">
      <div className="field">
        <label className="field-label" htmlFor="restatements-run">
          Import run
        </label>
        <select
          id="restatements-run"
          className="select restatements-run-select"
          value={runId ?? ''}
          onChange={(event) => onChange(event.target.value || null)}
          data-testid="restatements-run"
        >
          <option value="">All runs</option>
          {runId && !known && <option value={runId}>{shortId(runId)}</option>}
          {runs.map((run) => (
            <option key={run.id} value={run.id}>
              {formatTimestamp(run.startedAt)} · {run.source} · {shortId(run.id)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** What the restatements did to the bill, per currency (never added across currencies): the core's exact sums. */
function RestatementSummary({ page }: { page: RestatementPage }) {
  return (
    <div className="restatement-summary" data-testid="restatement-summary">
      {page.summary.map((entry) => (
        <Card key={entry.currency} className="restatement-summary-card" data-currency={entry.currency}>
          <div className="restatement-summary-head">
            <span className="field-label">Net change in {entry.currency}</span>
            <span className="muted">
              {formatCount(entry.count)} restated {entry.count === 1 ? 'line' : 'lines'}
            </span>
          </div>
          <Money
            className={`restatement-net impact-${entry.direction}`}
            amount={entry.net}
            currency={entry.currency}
            signDisplay="exceptZero"
            data-testid="restatement-net"
            data-direction={entry.direction}
          />
          <div className="restatement-summary-split">
            <span>
              Cost up{' '}
              <Money
                className="impact-up"
                amount={entry.increase}
                currency={entry.currency}
                signDisplay="exceptZero"
                data-testid="restatement-increase"
              />
            </span>
            <span>
              Cost down{' '}
              <Money
                className="impact-down"
                amount={entry.decrease}
                currency={entry.currency}
                signDisplay="exceptZero"
                data-testid="restatement-decrease"
              />
            </span>
          </div>
        </Card>
      ))}
    </div>
  );
}

function RestatementTable({ page, updating }: { page: RestatementPage; updating: boolean }) {
  const setOffset = useRestatementsScreenState((state) => state.setOffset);
  const first = page.offset + 1;
  const last = page.offset + page.rows.length;
  return (
    <Card
      title="Restated lines"
      subtitle="Largest change in billed cost first; amounts rounded to the currency's smallest unit, exact on hover and in the lines"
    >
      <table
        className={updating ? 'data-table restatement-table is-updating' : 'data-table restatement-table'}
        data-testid="restatement-table"
        aria-busy={updating}
      >
        <thead>
          <tr>
            <th scope="col">Change</th>
            <th scope="col">Day</th>
            <th scope="col">Account · period</th>
            <th scope="col">Service · resource</th>
            <th scope="col" className="numeric">
              Billed before → after
            </th>
            <th scope="col" className="numeric">
              Impact
            </th>
            <th scope="col">
              <span className="visually-hidden">Lines</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {page.rows.map((row) => (
            <RestatementRow key={row.id} row={row} />
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label="Restated lines pages" data-testid="restatements-pager">
        <span className="muted" data-testid="restatements-range">
          {formatCount(first)}–{formatCount(last)} of {formatCount(page.total)}
        </span>
        <button
          type="button"
          className="button button-sm"
          disabled={page.offset === 0}
          onClick={() => setOffset(Math.max(0, page.offset - RESTATEMENTS_PAGE_SIZE))}
          data-testid="restatements-previous"
        >
          Previous
        </button>
        <button
          type="button"
          className="button button-sm"
          disabled={last >= page.total}
          onClick={() => setOffset(page.offset + RESTATEMENTS_PAGE_SIZE)}
          data-testid="restatements-next"
        >
          Next
        </button>
      </nav>
    </Card>
  );
}

function RestatementRow({ row }: { row: RankedRestatement }) {
  const openDrill = useRestatementsScreenState((state) => state.openDrill);
  const open = () =>
    openDrill({
      kind: 'restatement',
      id: row.id,
      oldLineId: row.oldLineId,
      newLineId: row.newLineId,
      title: `${row.serviceName} on ${formatDay(row.chargeDay, { withYear: true })}`,
    });
  return (
    <tr
      className="restatement-row"
      data-testid="restatement-row"
      data-kind={row.kind}
      data-service={row.serviceName}
      data-impact={row.impact}
      data-direction={row.direction}
      onClick={(event) => {
        if (event.target instanceof Element && event.target.closest('button, a')) return;
        open();
      }}
    >
      <td>
        <Badge tone={KIND_TONES[row.kind]} data-testid="restatement-kind">
          {KIND_LABELS[row.kind]}
        </Badge>
      </td>
      <td className="cell-nowrap">
        <time dateTime={row.chargeDay}>{formatDay(row.chargeDay, { withYear: true })}</time>
      </td>
      <td>
        <span className="mono" title={`${row.source} · run ${row.runId}`}>
          {row.billingAccountId}
        </span>{' '}
        <span className="muted" title={row.billingPeriod}>
          {formatMonth(row.billingPeriod)}
        </span>
      </td>
      <td className="cell-service-resource">
        <span className="cell-service">{row.serviceName}</span>
        <span className="mono muted cell-resource" title={row.resourceId ?? undefined}>
          {row.resourceId ?? row.chargeCategory}
        </span>
      </td>
      <td className="numeric">
        <AmountChange
          before={row.oldBilled}
          after={row.newBilled}
          currency={row.currency}
          testId="restatement-billed"
        />
      </td>
      <td className="numeric">
        <Money
          className={`impact-${row.direction}`}
          amount={row.impact}
          currency={row.currency}
          signDisplay="exceptZero"
          data-testid="restatement-impact"
          data-direction={row.direction}
        />
      </td>
      <td className="cell-actions">
        <button
          type="button"
          className="button button-sm"
          onClick={open}
          disabled={row.oldLineId === null && row.newLineId === null}
          data-testid="restatement-lines"
        >
          Lines
        </button>
      </td>
    </tr>
  );
}
