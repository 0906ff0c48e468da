import { Badge, type BadgeTone } from '../../components/Badge';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Skeleton } from '../../components/Skeleton';
import { formatCount, formatDay, formatMonth, formatTimestamp, shortId } from '../../lib/format';
import { useImportRuns } from '../import/queries';
import { AmountChange } from './AmountChange';
import { groupByRun, RESTATEMENTS_LIMIT, useRestatements, type Restatement, type RunGroup } from './queries';
import { useRestatementsScreenState } from './screen-state';

const KIND_TONES: Record<Restatement['kind'], BadgeTone> = { changed: 'warning', added: 'success', removed: 'danger' };
const KIND_LABELS: Record<Restatement['kind'], string> = { changed: 'Changed', added: 'Added', removed: 'Removed' };

/** Restated lines grouped by the import run that recorded them; each opens its before and after lines. */
export function RestatementsList() {
  const runId = useRestatementsScreenState((state) => state.runId);
  const setRunId = useRestatementsScreenState((state) => state.setRunId);
  const query = useRestatements(runId);
  const data = query.data;

  let body;
  if (data) {
    const groups = groupByRun(data);
    body =
      groups.length === 0 ? (
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
          {data.length >= RESTATEMENTS_LIMIT && (
            <p className="notice" role="note">
              <strong>Only the newest {formatCount(RESTATEMENTS_LIMIT)} restatements are listed.</strong> Choose a run
              to see all of its own.
            </p>
          )}
          {groups.map((group) => (
            <RunCard key={group.runId} group={group} />
          ))}
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

function RunCard({ group }: { group: RunGroup }) {
  const setRunId = useRestatementsScreenState((state) => state.setRunId);
  const runId = useRestatementsScreenState((state) => state.runId);
  const counts = { changed: 0, added: 0, removed: 0 };
  for (const row of group.rows) counts[row.kind]++;
  return (
    <Card
      title={
        <>
          Run{' '}
          <span className="mono" title={group.runId}>
            {shortId(group.runId)}
          </span>{' '}
          · {group.source}
        </>
      }
      subtitle={
        <>
          <time dateTime={group.createdAt}>{formatTimestamp(group.createdAt)}</time>, against run{' '}
          <span className="mono" title={group.previousRunId}>
            {shortId(group.previousRunId)}
          </span>
        </>
      }
      actions={
        <div className="restatement-counts">
          {(['changed', 'added', 'removed'] as const).map(
            (kind) =>
              counts[kind] > 0 && (
                <Badge key={kind} tone={KIND_TONES[kind]}>
                  {formatCount(counts[kind])} {KIND_LABELS[kind].toLowerCase()}
                </Badge>
              ),
          )}
          {runId !== group.runId && (
            <button type="button" className="link-button link-accent" onClick={() => setRunId(group.runId)}>
              Only this run
            </button>
          )}
        </div>
      }
      data-testid="restatement-run"
      data-run-id={group.runId}
    >
      <div className="table-scroll">
        <table className="data-table restatement-table">
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Day</th>
              <th scope="col">Account · period</th>
              <th scope="col">Service</th>
              <th scope="col">Resource</th>
              <th scope="col">Charge</th>
              <th scope="col" className="numeric">
                Billed
              </th>
              <th scope="col" className="numeric">
                Effective
              </th>
              <th scope="col">
                <span className="visually-hidden">Lines</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {group.rows.map((row) => (
              <RestatementRow key={row.id} row={row} />
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function RestatementRow({ row }: { row: Restatement }) {
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
      <td>
        <time dateTime={row.chargeDay}>{formatDay(row.chargeDay, { withYear: true })}</time>
      </td>
      <td>
        <span className="mono">{row.billingAccountId}</span>{' '}
        <span className="muted" title={row.billingPeriod}>
          {formatMonth(row.billingPeriod)}
        </span>
      </td>
      <td className="cell-service">{row.serviceName}</td>
      <td className="mono cell-resource" title={row.resourceId ?? undefined}>
        {row.resourceId ?? <span className="muted">—</span>}
      </td>
      <td>{row.chargeCategory}</td>
      <td className="numeric">
        <AmountChange
          before={row.oldBilled}
          after={row.newBilled}
          currency={row.currency}
          testId="restatement-billed"
        />
      </td>
      <td className="numeric muted">
        <AmountChange before={row.oldEffective} after={row.newEffective} currency={row.currency} />
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
