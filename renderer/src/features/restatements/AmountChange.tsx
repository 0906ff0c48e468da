import { ExactMoney } from '../../components/ExactMoney';

/** "3.5 → 4.25" with both sides exact; a missing side (added or removed line) shows "—". */
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
      {before === null ? <span className="muted">—</span> : <ExactMoney amount={before} currency={currency} />}
      <span className="amount-arrow" aria-label="to">
        →
      </span>
      {after === null ? <span className="muted">—</span> : <ExactMoney amount={after} currency={currency} />}
    </span>
  );
}
