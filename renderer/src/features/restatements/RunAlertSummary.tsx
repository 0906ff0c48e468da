import { z } from 'zod';
import { CellAlertSchema } from '../../../../shared/api/costs';
import { ExactDecimalSchema } from '../../../../shared/api/schemas';
import type { Alert } from '../../../../shared/api/jobs';
import { Money } from '../../components/Money';
import { formatCount, formatDay, shortId } from '../../lib/format';
import { AmountChange } from './AmountChange';
import { OpenCellInExplorer } from './OpenCellInExplorer';
import { useRestatementsScreenState } from './screen-state';

/** The details of the one alert an import run raises for its restated cells (publish.ts). */
const RunAlertSchema = z.object({
  runId: z.string(),
  cellCount: z.number().int(),
  impact: z.array(z.object({ currency: z.string(), net: ExactDecimalSchema, gross: ExactDecimalSchema })),
  topCells: z.array(CellAlertSchema.extend({ change: ExactDecimalSchema })),
});

/** The run's alert details, or null when the alert is not one (older per-cell alerts, other kinds). */
export function runAlert(alert: Alert) {
  const parsed = RunAlertSchema.safeParse(alert.details);
  return parsed.success ? parsed.data : null;
}

/** How many cells a run restated, their net and gross change per currency, the largest, and all of them. */
export function RunAlertSummary({ details }: { details: NonNullable<ReturnType<typeof runAlert>> }) {
  const showRun = useRestatementsScreenState((state) => state.showRun);
  return (
    <div className="run-alert" data-testid="run-alert" data-run-id={details.runId} data-cells={details.cellCount}>
      <p className="run-alert-impact">
        {formatCount(details.cellCount)} {details.cellCount === 1 ? 'cell' : 'cells'} moved past the threshold; net{' '}
        {details.impact.map((entry, i) => (
          <span key={entry.currency} data-testid="run-alert-net" data-amount={entry.net}>
            {i > 0 && ', '}
            <Money amount={entry.net} currency={entry.currency} signDisplay="exceptZero" />
          </span>
        ))}{' '}
        (gross{' '}
        {details.impact.map((entry, i) => (
          <span key={entry.currency}>
            {i > 0 && ', '}
            <Money amount={entry.gross} currency={entry.currency} />
          </span>
        ))}
        ).
      </p>
      <table className="data-table run-alert-cells">
        <caption className="muted">Largest changes</caption>
        <tbody>
          {details.topCells.map((cell) => (
            <tr
              key={`${cell.day}:${cell.billingAccountId}:${cell.serviceName}:${cell.currency}`}
              data-testid="restatement-alert-cell"
              data-day={cell.day}
              data-service={cell.serviceName}
            >
              <td>{formatDay(cell.day, { withYear: true })}</td>
              <td className="mono">{cell.billingAccountId}</td>
              <td>{cell.serviceName}</td>
              <td className="numeric">
                <AmountChange before={cell.old} after={cell.new} currency={cell.currency} testId="alert-amounts" />
              </td>
              <td className="numeric" data-testid="alert-percent" data-percent={cell.percent ?? ''}>
                {cell.percent === null ? 'new' : `${cell.percent.startsWith('-') ? '' : '+'}${cell.percent} %`}
              </td>
              <td>
                <OpenCellInExplorer cell={cell} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="link-button link-accent"
        onClick={() => showRun(details.runId)}
        title={details.runId}
        data-testid="run-alert-all"
      >
        All restated lines of run {shortId(details.runId)}
      </button>
    </div>
  );
}
