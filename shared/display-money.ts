/**
 * Amounts as people read them: rounded to the currency's minor unit, half to even, straight from the
 * exact source amount (10⁻²⁷ units). Rounding once from the exact value matters: going through nanos
 * first would round twice (0.005000000001 → 0.005000000 → 0.00 instead of 0.01). Screens show this;
 * the exact figure stays in the tooltip, the drill-down and exports.
 */
import { EXACT_PER_UNIT, formatExact, parseExact } from './exact';
import { roundQuotient } from './money';

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

/** Rounds an exact amount (10⁻²⁷ units) to `digits` decimals, half to even. */
export function roundExact(value: bigint, digits: number): bigint {
  const unit = EXACT_PER_UNIT / 10n ** BigInt(digits);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const rounded = roundQuotient(magnitude / unit, magnitude % unit, unit, 'half-even') * unit;
  return negative ? -rounded : rounded;
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
