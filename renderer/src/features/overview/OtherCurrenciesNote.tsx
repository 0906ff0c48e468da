import type { Overview } from '../../../../shared/api/overview';
import { Money } from '../../components/Money';

/** Cost in currencies other than the reporting one: listed, never converted or added in. */
export function OtherCurrenciesNote({ items, currency }: { items: Overview['otherCurrencies']; currency: string }) {
  return (
    <div className="notice" role="note">
      <strong>Other currencies not included.</strong> This month also has cost in{' '}
      {items.map((item, index) => (
        <span key={item.currency}>
          {index > 0 && (index === items.length - 1 ? ' and ' : ', ')}
          <Money amount={item.amount} currency={item.currency} /> ({item.currency})
        </span>
      ))}
      ; the figures above count only {currency}.
    </div>
  );
}
