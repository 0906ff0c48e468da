/**
 * Amounts as people read them: rounded to the currency's minor unit, half to even, straight from the
 * exact source amount (10⁻²⁷ units). Rounding once from the exact value matters: going through nanos
 * first would round twice (0.005000000001 → 0.005000000 → 0.00 instead of 0.01). Screens show this;
 * the exact figure stays in the tooltip, the drill-down and exports.
 */
import { formatExact, nanosToExact, parseExact, roundExact } from './exact';
import type { Money } from './money';

/**
 * ISO 4217 minor units that are not 2. Intl's own digits come from CLDR, which differs for some
 * currencies (IQD has 3 in ISO 4217 and 0 in CLDR), so the standard's table is kept here.
 */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** The number of decimals of a currency's minor unit (ISO 4217): 2 for USD, 0 for JPY, 3 for KWD. */
export function minorUnitDigits(currency: string): number {
  return MINOR_UNITS[currency.toUpperCase()] ?? 2;
}

/**
 * An exact decimal string rounded to the currency's minor unit, as a decimal string with exactly that
 * many decimals ("5505845.48", "0.00", "-1235" for JPY). A result of zero carries no sign.
 */
export function roundToMinorUnit(amount: string, currency: string): string {
  const digits = minorUnitDigits(currency);
  const rounded = roundExact(parseExact(amount), digits);
  const text = formatExact(rounded);
  const [whole = '0', fraction = ''] = text.split('.');
  return digits === 0 ? whole : `${whole}.${fraction.padEnd(digits, '0')}`;
}

export interface DisplayMoneyOptions {
  /** '+' before increases (restatement impacts, changes). */
  signDisplay?: 'auto' | 'always' | 'exceptZero';
  locale?: string;
}

/**
 * An exact decimal string as currency text rounded to the minor unit: "$5,505,845.48", "¥1,235",
 * "KWD 1.235". Intl formats the rounded decimal string as it is (no floating point). A currency code
 * Intl does not know is printed after the digits.
 */
export function formatDisplayAmount(amount: string, currency: string, options: DisplayMoneyOptions = {}): string {
  const digits = minorUnitDigits(currency);
  const rounded = roundToMinorUnit(amount, currency);
  const signDisplay = options.signDisplay ?? 'auto';
  try {
    const format = new Intl.NumberFormat(options.locale ?? 'en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      signDisplay,
    });
    // Intl.NumberFormat v3 formats decimal strings exactly.
    return format.format(rounded as unknown as number);
  } catch {
    const sign = signDisplay !== 'auto' && !rounded.startsWith('-') && /[1-9]/.test(rounded) ? '+' : '';
    return `${sign}${rounded} ${currency}`;
  }
}

export interface FormatMoneyOptions {
  locale?: string;
  /** Decimals shown; defaults to the currency's minor unit (2 for USD, 0 for JPY, 3 for KWD). */
  fractionDigits?: number;
  /** Compact notation ("$1.2M") for axis labels; never for totals a user reconciles. */
  compact?: boolean;
  signDisplay?: 'auto' | 'always' | 'exceptZero';
}

/**
 * A nano amount as currency text (chart axis ticks), rounded half to even by roundExact like every
 * other amount shown; Intl receives the rounded decimal string.
 */
export function formatMoney(value: Money, options: FormatMoneyOptions = {}): string {
  const digits = options.fractionDigits ?? minorUnitDigits(value.currency);
  const rounded = formatExact(roundExact(nanosToExact(value.nanos), digits));
  const formatter = new Intl.NumberFormat(options.locale ?? 'en-US', {
    style: 'currency',
    currency: value.currency,
    minimumFractionDigits: options.compact ? 0 : digits,
    maximumFractionDigits: options.compact ? 1 : digits,
    notation: options.compact ? 'compact' : 'standard',
    signDisplay: options.signDisplay ?? 'auto',
  });
  // Intl.NumberFormat v3 formats decimal strings exactly (no float conversion).
  return formatter.format(rounded as unknown as number);
}
