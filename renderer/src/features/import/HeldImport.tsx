import type { ImportResult, ReplacePreviewView } from '../../../../shared/api/costs';
import { ExactMoney } from '../../components/ExactMoney';
import { Spinner } from '../../components/Spinner';
import { formatCount, formatDay, formatMonth } from '../../lib/format';
import { ActionError } from '../jobs/ActionError';
import { useAcceptHeldImport, useDiscardHeldImport } from './mutations';

type PreviewRow = ReplacePreviewView['totals'][number];
type HoldReason = NonNullable<ImportResult['held']>['reasons'][number];

/** Rows of the by-service table shown; the core keeps the 100 that move most. */
const SERVICES_SHOWN = 12;

/**
 * An import the replacement guard held: why, what publishing it would add, change and remove (exact
 * money, by day and by service), and Accept / Discard. Nothing it read is visible until accepted.
 */
export function HeldImport({ result }: { result: ImportResult }) {
  const accept = useAcceptHeldImport();
  const discard = useDiscardHeldImport();
  const held = result.held;
  if (!held) return null;
  const busy = accept.isPending || discard.isPending;

  if (accept.isSuccess) {
    return (
      <p className="notice" role="status" data-testid="held-accepted" data-run-id={result.runId}>
        <strong>Published.</strong> The import replaced the snapshot: {formatCount(accept.data.removed)}{' '}
        {accept.data.removed === 1 ? 'line was' : 'lines were'} removed and every difference is listed under
        Restatements.
      </p>
    );
  }
  if (discard.isSuccess) {
    return (
      <p className="notice" role="status" data-testid="held-discarded" data-run-id={result.runId}>
        <strong>Discarded.</strong> Nothing from this import was published; the stored snapshot is unchanged.
      </p>
    );
  }

  const { preview } = held;
  return (
    <section className="held-import" data-testid="held-import" data-run-id={result.runId} aria-label="Held import">
      <div className="notice held-import-why" role="note">
        <p>
          <strong>Not published yet.</strong> This import of source <strong>{result.source}</strong> would replace
          stored data, and it looks incomplete:
        </p>
        <ul data-testid="held-reasons">
          {held.reasons.map((reason, i) => (
            <li key={i} data-code={reason.code}>
              <Reason reason={reason} />
            </li>
          ))}
        </ul>
        <p className="muted">
          The figures below are what publishing it would do. Until you decide, everyone keeps seeing the stored data.
        </p>
      </div>

      <div className="table-scroll table-scroll-flush">
        <table className="data-table" data-testid="held-snapshots">
          <caption className="detail-heading">Snapshots it would replace</caption>
          <thead>
            <tr>
              <th scope="col">Billing account</th>
              <th scope="col">Period</th>
              <th scope="col" className="numeric">
                Lines now
              </th>
              <th scope="col" className="numeric">
                Lines after
              </th>
              <th scope="col" className="numeric">
                Billed now
              </th>
              <th scope="col" className="numeric">
                Billed after
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.snapshots.map((s) => (
              <tr key={`${s.billingAccountId}:${s.billingPeriod}`}>
                <th scope="row" className="mono">
                  {s.billingAccountId}
                </th>
                <td>{formatMonth(s.billingPeriod)}</td>
                <td className="numeric">{formatCount(s.linesBefore)}</td>
                <td className="numeric">{formatCount(s.linesAfter)}</td>
                <td className="numeric">
                  <ExactMoney amount={s.billedBefore} currency={s.currency} data-testid="held-billed-before" />
                </td>
                <td className="numeric">
                  <ExactMoney amount={s.billedAfter} currency={s.currency} data-testid="held-billed-after" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <PreviewTable
        caption="What would change, in all"
        label="Currency"
        rows={preview.totals.map((row) => ({ key: row.currency, name: row.currency, row }))}
        testId="held-totals"
      />
      <PreviewTable
        caption="By day"
        label="Day"
        rows={preview.byDay.map((row) => ({
          key: `${row.currency}:${row.day}`,
          name: formatDay(row.day, { withYear: true }),
          row,
        }))}
        more={preview.moreDays}
        testId="held-by-day"
      />
      <PreviewTable
        caption="By service (largest changes first)"
        label="Service"
        rows={preview.byService
          .slice(0, SERVICES_SHOWN)
          .map((row) => ({ key: `${row.currency}:${row.serviceName}`, name: row.serviceName, row }))}
        more={preview.moreServices + Math.max(0, preview.byService.length - SERVICES_SHOWN)}
        testId="held-by-service"
      />

      <div className="import-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => accept.mutate(result.runId)}
          data-testid="held-accept"
        >
          {accept.isPending && <Spinner size={12} />}
          Accept and publish
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => discard.mutate(result.runId)}
          data-testid="held-discard"
        >
          {discard.isPending && <Spinner size={12} />}
          Discard
        </button>
        <span className="muted">Run {result.runId}. Both choices are recorded in the audit trail.</span>
      </div>
      {accept.isError && <ActionError action="publish the held import" error={accept.error} />}
      {discard.isError && <ActionError action="discard the held import" error={discard.error} />}
    </section>
  );
}

/** A reason in words; money in it is shown like every amount on screen (currency, grouped, cents). */
function Reason({ reason }: { reason: HoldReason }) {
  if (reason.code !== 'cost_removed') {
    if (!('billingPeriod' in reason)) return <>{reason.message}</>;
    // The core names the period 2026-10 (as the CLI does); the screen names months in words.
    const prefix = `${reason.billingAccountId} ${reason.billingPeriod}:`;
    const rest = reason.message.startsWith(prefix) ? reason.message.slice(prefix.length) : `: ${reason.message}`;
    return (
      <>
        {reason.billingAccountId} {formatMonth(reason.billingPeriod)}:{rest}
      </>
    );
  }
  return (
    <>
      {reason.billingAccountId} {formatMonth(reason.billingPeriod)}: the removed lines carry{' '}
      <ExactMoney amount={reason.removed} currency={reason.currency} /> of its{' '}
      <ExactMoney amount={reason.before} currency={reason.currency} /> billed ({reason.share} %)
    </>
  );
}

function PreviewTable({
  caption,
  label,
  rows,
  more = 0,
  testId,
}: {
  caption: string;
  label: string;
  rows: { key: string; name: string; row: PreviewRow }[];
  more?: number;
  testId: string;
}) {
  if (rows.length === 0) return null;
  return (
    <div className="table-scroll table-scroll-flush">
      <table className="data-table held-preview" data-testid={testId}>
        <caption className="detail-heading">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="numeric">
              Added
            </th>
            <th scope="col" className="numeric">
              Changed by
            </th>
            <th scope="col" className="numeric">
              Removed
            </th>
            <th scope="col" className="numeric">
              Net change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, name, row }) => (
            <tr key={key} data-testid={`${testId}-row`} data-key={key}>
              <th scope="row">{name}</th>
              <LinesCell entry={row.added} currency={row.currency} />
              <LinesCell entry={row.changed} currency={row.currency} />
              <LinesCell entry={row.removed} currency={row.currency} negate />
              <td className="numeric" data-amount={row.net}>
                <ExactMoney amount={row.net} currency={row.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 && (
        <p className="muted held-more">{formatCount(more)} more not listed here; they are in the totals above.</p>
      )}
    </div>
  );
}

/** "3 lines · $12.50"; a removal is shown as what leaves ("−$12.50"). */
function LinesCell({
  entry,
  currency,
  negate = false,
}: {
  entry: { lines: number; amount: string };
  currency: string;
  negate?: boolean;
}) {
  if (entry.lines === 0) return <td className="numeric muted">—</td>;
  // Text, not arithmetic: the amount stays exact.
  const amount = !negate ? entry.amount : entry.amount.startsWith('-') ? entry.amount.slice(1) : `-${entry.amount}`;
  return (
    <td className="numeric">
      <span className="muted">
        {formatCount(entry.lines)} {entry.lines === 1 ? 'line' : 'lines'} ·{' '}
      </span>
      <ExactMoney amount={amount} currency={currency} />
    </td>
  );
}
