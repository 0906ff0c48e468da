import { Money } from '../../components/Money';

/** "$3.50 → $4.25", rounded to the minor unit (exact on hover); a missing side (added or removed line) shows "—". */
export function AmountChange({
  before,
  after,
  currency,
  testId,
}: {
  before: string | null;
  after: string | null;
  currency: string;
  testId?: string;
}) {
  return (
    <span className="amount-change" data-testid={testId} data-old={before ?? ''} data-new={after ?? ''}>
      {before === null ? <span className="muted">—</span> : <Money amount={before} currency={currency} />}
      <span className="amount-arrow" aria-label="to">
        →
      </span>
      {after === null ? <span className="muted">—</span> : <Money amount={after} currency={currency} />}
    </span>
  );
}
