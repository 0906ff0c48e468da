import type { Overview } from '../../../../shared/api/overview';
import { Card } from '../../components/Card';
import { Money } from '../../components/Money';
import { Percent } from '../../components/Percent';
import { providerLabel } from '../../lib/format';

/** The largest services this month against the same days of last month. */
export function TopServicesTable({ overview }: { overview: Overview }) {
  const { topServices, currency } = overview;
  return (
    <Card title="Top services" subtitle="Month to date against the same days of last month">
      <div className="table-scroll">
        <table className="data-table" data-testid="top-services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Provider</th>
              <th scope="col" className="numeric">
                Month to date
              </th>
              <th scope="col" className="numeric">
                Same period last month
              </th>
              <th scope="col" className="numeric">
                Change
              </th>
              <th scope="col" className="numeric">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {topServices.length === 0 && (
              <tr>
                <td colSpan={6} className="table-empty">
                  No spend this month yet.
                </td>
              </tr>
            )}
            {topServices.map((row) => (
              <tr key={`${row.provider}:${row.service}`}>
                <th scope="row" className="cell-service">
                  {row.service}
                </th>
                <td>
                  <span className={`provider provider-${row.provider}`}>{providerLabel(row.provider)}</span>
                </td>
                <td className="numeric">
                  <Money amount={row.monthToDate} currency={currency} />
                </td>
                <td className="numeric muted">
                  <Money amount={row.lastMonthSamePeriod} currency={currency} />
                </td>
                <td className="numeric">
                  <Percent kind="change" value={row.changePct} />
                </td>
                <td className="numeric">
                  <ShareCell pct={row.sharePct} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function ShareCell({ pct }: { pct: string | null }) {
  // The bar's width is geometry only; the figure shown is the core's exact percentage string.
  const width = pct === null ? 0 : Math.min(100, Math.max(0, Number(pct)));
  return (
    <span className="share">
      <span className="share-bar" aria-hidden="true">
        <span className="share-fill" style={{ width: `${width}%` }} />
      </span>
      <Percent kind="share" value={pct} />
    </span>
  );
}
