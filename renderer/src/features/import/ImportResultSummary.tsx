import type { ImportResult } from '../../../../shared/api/costs';
import { useRouter } from '../../app/router';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Money } from '../../components/Money';
import { formatCount, formatMonth } from '../../lib/format';
import { useRestatementsScreenState } from '../restatements/screen-state';
import { baseName, formatLabel, shownPath } from './format';
import { SkippedRows } from './SkippedRows';

const SNAPSHOT_TONES: Record<ImportResult['snapshots'][number]['status'], BadgeTone> = {
  new: 'success',
  replaced: 'warning',
  unchanged: 'neutral',
};

/** What an import did: counts, exact totals, the snapshots it wrote, alerts, and the rows it skipped. */
export function ImportResultSummary({ result, skipBadRows }: { result: ImportResult; skipBadRows: boolean }) {
  const navigate = useRouter((state) => state.navigate);
  const showRun = useRestatementsScreenState((state) => state.showRun);
  const setTab = useRestatementsScreenState((state) => state.setTab);
  // Results list the first 1,000 alerts and count all; older results only list them.
  const { alertCount } = result;
  const stats: [string, string, number][] = [
    ['files', 'Files', result.files.length],
    ['rows-read', 'Rows read', result.rowsRead],
    ['inserted', 'Inserted', result.inserted],
    ['updated', 'Updated', result.updated],
    ['unchanged', 'Unchanged', result.unchanged],
    ['removed', 'Removed', result.removed],
    ['restated', 'Restated', result.restated],
    ['skipped', 'Skipped', result.skippedCount],
  ];
  const { totals } = result;

  return (
    <section
      className="import-result"
      data-testid="import-result"
      data-run-id={result.runId}
      aria-label="Import result"
    >
      <div className="import-totals">
        {totals.map((entry) => (
          <div key={entry.currency} className="import-total-group" data-currency={entry.currency}>
            <TotalFigure
              label={totals.length === 1 ? 'Billed' : `Billed ${entry.currency}`}
              amount={entry.billed}
              currency={entry.currency}
              testId="import-total-billed"
            />
            <TotalFigure
              label={totals.length === 1 ? 'Effective' : `Effective ${entry.currency}`}
              amount={entry.effective}
              currency={entry.currency}
              testId="import-total-effective"
            />
          </div>
        ))}
        <p className="muted import-totals-note">
          Source <strong>{result.source}</strong> · run <span className="mono">{result.runId}</span>
        </p>
      </div>

      <dl className="import-stats">
        {stats.map(([id, label, value]) => (
          <div key={id} data-testid={`import-stat-${id}`} data-value={value}>
            <dt>{label}</dt>
            <dd className="num">{formatCount(value)}</dd>
          </div>
        ))}
      </dl>

      {(result.restated > 0 || alertCount > 0) && (
        <div className="notice import-restated" role="note" data-testid="import-restated">
          <strong>
            {formatCount(result.restated)} {result.restated === 1 ? 'line was' : 'lines were'} restated
          </strong>{' '}
          against the earlier import of the same account and period
          {alertCount > 0 &&
            `, and ${formatCount(alertCount)} ${alertCount === 1 ? 'day moved' : 'days moved'} past the alert threshold`}
          .{' '}
          <button
            type="button"
            className="link-button link-accent"
            onClick={() => {
              showRun(result.runId);
              navigate('restatements');
            }}
            data-testid="import-view-restatements"
          >
            View the restatements
          </button>
          {alertCount > 0 && (
            <>
              {' · '}
              <button
                type="button"
                className="link-button link-accent"
                onClick={() => {
                  setTab('alerts');
                  navigate('restatements');
                }}
                data-testid="import-view-alerts"
              >
                View the alerts
              </button>
            </>
          )}
        </div>
      )}

      <section className="detail-section">
        <h3 className="detail-heading">Files</h3>
        <div className="table-scroll table-scroll-flush">
          <table className="data-table" data-testid="import-result-files">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Format</th>
                <th scope="col">Container</th>
                <th scope="col" className="numeric">
                  Rows
                </th>
              </tr>
            </thead>
            <tbody>
              {result.files.map((file) => (
                <tr key={file.path}>
                  <th scope="row" title={shownPath(file.path)}>
                    {baseName(file.path)}
                  </th>
                  <td>
                    {formatLabel(file.format)} <span className="muted">{file.variant}</span>
                  </td>
                  <td>
                    <code>{file.container}</code>
                  </td>
                  <td className="numeric">{formatCount(file.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="detail-section">
        <h3 className="detail-heading">Snapshots</h3>
        <div className="table-scroll table-scroll-flush">
          <table className="data-table" data-testid="import-snapshots">
            <thead>
              <tr>
                <th scope="col">Billing account</th>
                <th scope="col">Billing period</th>
                <th scope="col">Status</th>
                <th scope="col" className="numeric">
                  Lines
                </th>
              </tr>
            </thead>
            <tbody>
              {result.snapshots.length === 0 && (
                <tr>
                  <td colSpan={4} className="table-empty">
                    No snapshots were written.
                  </td>
                </tr>
              )}
              {result.snapshots.map((snapshot) => (
                <tr
                  key={`${snapshot.billingAccountId}:${snapshot.billingPeriod}`}
                  data-testid="import-snapshot"
                  data-status={snapshot.status}
                >
                  <th scope="row" className="mono">
                    {snapshot.billingAccountId}
                  </th>
                  <td title={snapshot.billingPeriod}>{formatMonth(snapshot.billingPeriod)}</td>
                  <td>
                    <Badge tone={SNAPSHOT_TONES[snapshot.status]}>{snapshot.status}</Badge>
                  </td>
                  <td className="numeric">{formatCount(snapshot.lines)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {(skipBadRows || result.skippedCount > 0) && <SkippedRows rows={result.skipped} count={result.skippedCount} />}
    </section>
  );
}

function TotalFigure({
  label,
  amount,
  currency,
  testId,
}: {
  label: string;
  amount: string;
  currency: string;
  testId: string;
}) {
  return (
    <div className="import-total">
      <span className="field-label">{label}</span>
      <Money className="import-total-amount" amount={amount} currency={currency} data-testid={testId} />
    </div>
  );
}
