import type { HTMLAttributes } from 'react';
import type { DisplayMoneyOptions } from '../../../shared/display-money';
import { formatAmount } from '../lib/format';

export interface MoneyProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /** Exact decimal string from the core, e.g. "12345.678" (up to 27 decimals). */
  amount: string;
  currency: string;
  signDisplay?: DisplayMoneyOptions['signDisplay'];
}

/**
 * An amount as tables, cards and charts show it: rounded to the currency's minor unit (half to even).
 * The exact figure is the tooltip and `data-amount`; drill-downs and exports show it in full (ExactMoney).
 */
export function Money({ amount, currency, signDisplay, className, ...rest }: MoneyProps) {
  return (
    <span
      className={className ? `num ${className}` : 'num'}
      title={`${amount} ${currency} (exact)`}
      data-amount={amount}
      data-currency={currency}
      {...rest}
    >
      {formatAmount(amount, currency, { signDisplay })}
    </span>
  );
}
