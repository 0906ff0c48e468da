import type { HTMLAttributes } from 'react';

const LOCALE = 'en-US';

interface CurrencyStyle {
  prefix: string;
  suffix: string;
  minFraction: number;
}

const styles = new Map<string, CurrencyStyle>();

/** The symbol around the digits and the usual number of decimals for a currency ("$" before, 2 for USD). */
function currencyStyle(currency: string): CurrencyStyle {
  const cached = styles.get(currency);
  if (cached) return cached;
  let style: CurrencyStyle;
  try {
    const format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency });
    const parts = format.formatToParts(1);
    const first = parts.findIndex((p) => p.type === 'integer');
    const last = parts.findLastIndex((p) => p.type === 'integer' || p.type === 'decimal' || p.type === 'fraction');
    style = {
      prefix: parts
        .slice(0, first)
        .map((p) => p.value)
        .join(''),
      suffix: parts
        .slice(last + 1)
        .map((p) => p.value)
        .join(''),
      minFraction: format.resolvedOptions().minimumFractionDigits ?? 2,
    };
  } catch {
    // Not a code Intl knows (a malformed export): show the code itself after the digits.
    style = { prefix: '', suffix: currency ? ` ${currency}` : '', minFraction: 2 };
  }
  styles.set(currency, style);
  return style;
}

const EXACT = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * An exact decimal string from the core ("-1234.500000000000000001") printed with its currency and
 * every digit it has: grouped thousands, padded to the currency's usual decimals, never rounded.
 * Pure string work: nothing passes through floating point. Unparseable text is shown as it is.
 */
export function formatExactAmount(amount: string, currency: string): string {
  const match = EXACT.exec(amount.trim());
  if (!match) return `${amount} ${currency}`.trim();
  const [, minus, whole = '0', fraction = ''] = match;
  const style = currencyStyle(currency);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const digits = fraction.length < style.minFraction ? fraction.padEnd(style.minFraction, '0') : fraction;
  const isZero = /^0*$/.test(whole + fraction);
  const sign = minus && !isZero ? '-' : '';
  return `${sign}${style.prefix}${grouped}${digits ? `.${digits}` : ''}${style.suffix}`;
}

export interface ExactMoneyProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /** Exact decimal string from the core, at source precision (up to 27 decimals). */
  amount: string;
  currency: string;
}

/**
 * An amount exactly as the core computed it, to the source's last digit. `data-amount` carries the raw
 * string for tests and copy tools; the tooltip repeats it with the currency code.
 */
export function ExactMoney({ amount, currency, className, ...rest }: ExactMoneyProps) {
  return (
    <span
      className={className ? `num ${className}` : 'num'}
      title={`${amount} ${currency}`}
      data-amount={amount}
      data-currency={currency}
      {...rest}
    >
      {formatExactAmount(amount, currency)}
    </span>
  );
}
