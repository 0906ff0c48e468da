/**
 * Exact source amounts. Billing exports carry up to 24 decimal places (Azure EA amortized, koku CUR),
 * more than nano-units hold, and a controller expects a file's total to match to the last digit. So
 * ingested amounts are bigint counts of 10⁻²⁷ ("ronto-units") and are stored as four SQLite
 * integers — whole units, then three 9-digit fractions (nanos, atto, ronto) — each of which SQL can
 * SUM without overflow, even for currencies like IDR whose totals pass 9.2 billion units (where a
 * single nano-unit integer would overflow). Nanos stay the unit for display, charts and allocation.
 */
import { MoneyError, nanosToChartNumber } from './money';

export const EXACT_DIGITS = 27;
export const EXACT_PER_UNIT = 10n ** 27n;
const EXACT_PER_NANO = 10n ** 18n;
const SUB_STEP = 1_000_000_000n;

const DECIMAL_PATTERN = /^([+-])?(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?$/;

/** Parses "12.5", "-1.2E-7", ".5" into units of 10⁻²⁷. Rejects anything finer than 27 decimals or not a number. */
export function parseExact(input: string): bigint {
  const match = DECIMAL_PATTERN.exec(input.trim());
  if (!match) throw new MoneyError(`not a decimal number: "${input}"`);
  const sign = match[1] === '-' ? -1n : 1n;
  const body = match[2]!;
  const exponent = match[3] === undefined ? 0 : Number(match[3]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) {
    throw new MoneyError(`exponent out of range: "${input}"`);
  }
  const dot = body.indexOf('.');
  const intPart = dot === -1 ? body : body.slice(0, dot);
  // Trailing zeros carry no value ("16.29693213663664462748541900" is 26 digits, not 28).
  const fracPart = dot === -1 ? '' : body.slice(dot + 1).replace(/0+$/, '');
  const digits = (intPart + fracPart).replace(/^0+(?=\d)/, '') || '0';
  const shift = exponent - fracPart.length + EXACT_DIGITS;
  if (digits === '0') return 0n;
  if (shift < 0) {
    const divisor = 10n ** BigInt(-shift);
    const whole = BigInt(digits);
    if (whole % divisor !== 0n) throw new MoneyError(`more than ${EXACT_DIGITS} decimal places: "${input}"`);
    return sign * (whole / divisor);
  }
  if (digits.length + shift > 60) throw new MoneyError(`amount too large: "${input}"`);
  return sign * BigInt(digits) * 10n ** BigInt(shift);
}

/** Plain decimal string with trailing zeros trimmed: "12.5", "-0.000000000000000001", "3". */
export function formatExact(value: bigint): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const whole = magnitude / EXACT_PER_UNIT;
  const fraction = (magnitude % EXACT_PER_UNIT).toString().padStart(EXACT_DIGITS, '0').replace(/0+$/, '');
  return `${negative && magnitude !== 0n ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export interface ExactParts {
  /** Whole currency units, floored (toward −∞). */
  units: bigint;
  /** Fraction in 10⁻⁹ units, 0 ≤ nanos < 10⁹. */
  nanos: bigint;
  /** Fraction in 10⁻¹⁸ units, 0 ≤ atto < 10⁹. */
  atto: bigint;
  /** Fraction in 10⁻²⁷ units, 0 ≤ ronto < 10⁹. */
  ronto: bigint;
}

/** Splits an exact amount into the four integers the store keeps (fractions non-negative). */
export function splitExact(value: bigint): ExactParts {
  let units = value / EXACT_PER_UNIT;
  let rest = value % EXACT_PER_UNIT;
  if (rest < 0n) {
    units -= 1n;
    rest += EXACT_PER_UNIT;
  }
  const nanos = rest / EXACT_PER_NANO;
  rest %= EXACT_PER_NANO;
  return { units, nanos, atto: rest / SUB_STEP, ronto: rest % SUB_STEP };
}

/** Inverse of splitExact; also correct for column SUMs, whose fractions exceed one step. */
export function joinExact(units: bigint, nanos: bigint, atto: bigint, ronto: bigint): bigint {
  return units * EXACT_PER_UNIT + nanos * EXACT_PER_NANO + atto * SUB_STEP + ronto;
}

export function nanosToExact(nanos: bigint): bigint {
  return nanos * EXACT_PER_NANO;
}

/** Rounds an exact amount to nanos, half to even: for display and charts, never for totals. */
export function exactToNanos(value: bigint): bigint {
  const quotient = value / EXACT_PER_NANO;
  const remainder = value % EXACT_PER_NANO;
  if (remainder === 0n) return quotient;
  const negative = remainder < 0n;
  const twice = (negative ? -remainder : remainder) * 2n;
  const away = negative ? quotient - 1n : quotient + 1n;
  if (twice > EXACT_PER_NANO) return away;
  if (twice < EXACT_PER_NANO) return quotient;
  return quotient % 2n === 0n ? quotient : away;
}

/** Relative change in percent of `next` against `previous`, exact to 4 decimals; null when previous is 0. */
export function exactPercentChange(previous: bigint, next: bigint): string | null {
  if (previous === 0n) return null;
  const magnitude = previous < 0n ? -previous : previous;
  const scaled = ((next - previous) * 1_000_000n) / magnitude; // percent × 10⁴
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const text = `${abs / 10_000n}.${(abs % 10_000n).toString().padStart(4, '0')}`.replace(/\.?0+$/, '');
  return `${negative ? '-' : ''}${text}`;
}

/** An exact decimal string as a number for chart geometry only (bar heights), through nanos. */
export function exactToChartNumber(text: string): number {
  return nanosToChartNumber(exactToNanos(parseExact(text)));
}
