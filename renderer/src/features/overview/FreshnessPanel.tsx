import type { Overview } from '../../../../shared/api/overview';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { FinalityNote } from '../../components/FinalityNote';
import { formatDateTime, formatLongDay } from '../../lib/format';

/** How current the numbers are: the latest day with charges, the last load, and where the data comes from. */
export function FreshnessPanel({ freshness }: { freshness: Overview['freshness'] }) {
  return (
    <Card title="Data freshness" className="freshness" data-testid="freshness">
      <dl className="facts">
        <div>
          <dt>Latest charge day</dt>
          <dd>{freshness.latestChargeDay ? formatLongDay(freshness.latestChargeDay) : 'No charges yet'}</dd>
        </div>
        <div>
          <dt>Last loaded</dt>
          <dd>
            {freshness.lastLoadedAt ? (
              <time dateTime={freshness.lastLoadedAt}>{formatDateTime(freshness.lastLoadedAt)}</time>
            ) : (
              'Never'
            )}
          </dd>
        </div>
        <div>
          <dt>Sources</dt>
          <dd>
            {freshness.sources.length === 0 ? (
              'None yet'
            ) : (
              <ul className="sources">
                {freshness.sources.map((source) => (
                  <li key={source.name}>
                    <span>{source.name}</span>
                    <Badge>{source.kind}</Badge>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <p className="note" data-testid="overview-finality">
        <FinalityNote finality={freshness.finality} />
      </p>
    </Card>
  );
}
