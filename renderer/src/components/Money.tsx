import type { HTMLAttributes } from 'react';
import type { FormatMoneyOptions } from '../../../shared/money';
import { formatAmount } from '../lib/format';

export interface MoneyProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /** Exact decimal string from the core, e.g. "12345.678". */
  amount: string;
  currency: string;
  compact?: boolean;
  fractionDigits?: number;
  signDisplay?: FormatMoneyOptions['signDisplay'];
}

/** An exact amount formatted for display; the tooltip shows the unrounded value. */
export function Money({ amount, currency, compact, fractionDigits, signDisplay, className, ...rest }: MoneyProps) {
  const text = formatAmount(amount, currency, { compact, fractionDigits, signDisplay });
  return (
    <span className={className ? `num ${className}` : 'num'} title={`${amount} ${currency}`} {...rest}>
      {text}
    </span>
  );
}
