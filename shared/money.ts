/**
 * Exact money. Amounts are bigint counts of nano-units (10⁻⁹ of the currency unit); they are
 * parsed from and printed as decimal strings and never pass through floating point.
 */

export const NANO_DIGITS = 9;
export const NANOS_PER_UNIT = 1_000_000_000n;

export interface Money {
  readonly nanos: bigint;
  readonly currency: string;
}

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

// Optional sign, digits with optional fraction (or a leading-dot fraction), optional exponent.
const DECIMAL_PATTERN = /^([+-])?(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;

export type RoundingMode = 'half-even' | 'half-up' | 'exact';

/**
 * Parses a decimal string ("12.5", "-0.000000001", "1.2E-7", ".5", "1e3") into nanos.
 * Digits beyond 9 decimals are rejected in 'exact' mode (the default) or rounded otherwise.
 */
export function parseDecimalToNanos(input: string, rounding: RoundingMode = 'exact'): bigint {
  const text = input.trim();
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) throw new MoneyError(`not a decimal number: "${input}"`);
  const sign = match[1] === '-' ? -1n : 1n;
  const body = match[2]!;
  const exponent = match[3] === undefined ? 0 : Number(match[3]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) {
    throw new MoneyError(`exponent out of range: "${input}"`);
  }
  const dot = body.indexOf('.');
  const intPart = dot === -1 ? body : body.slice(0, dot);
  const fracPart = dot === -1 ? '' : body.slice(dot + 1);
  // value = digits × 10^(exponent − fracPart.length); we want value × 10^9.
  const digits = (intPart + fracPart).replace(/^0+(?=\d)/, '') || '0';
  const shift = exponent - fracPart.length + NANO_DIGITS;
  let magnitude: bigint;
  if (shift >= 0) {
    if (digits !== '0' && digits.length + shift > 60) throw new MoneyError(`amount too large: "${input}"`);
    magnitude = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    const whole = BigInt(digits);
    magnitude = whole / divisor;
    const remainder = whole % divisor;
    if (remainder !== 0n) {
      if (rounding === 'exact') {
        throw new MoneyError(`more than ${NANO_DIGITS} decimal places: "${input}"`);
      }
      magnitude = roundQuotient(magnitude, remainder, divisor, rounding);
    }
  }
  return sign * magnitude;
}

/** Rounds quotient + remainder/divisor (non-negative) to an integer, by `mode`'s rule for ties. */
export function roundQuotient(quotient: bigint, remainder: bigint, divisor: bigint, mode: RoundingMode): bigint {
  const twice = remainder * 2n;
  if (twice > divisor) return quotient + 1n;
  if (twice < divisor) return quotient;
  if (mode === 'half-up') return quotient + 1n;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
}

/** Prints nanos as a plain decimal string with trailing zeros trimmed ("12.5", "-0.000000001", "3"). */
export function formatNanos(nanos: bigint, minFractionDigits = 0): string {
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const whole = magnitude / NANOS_PER_UNIT;
  let fraction = (magnitude % NANOS_PER_UNIT).toString().padStart(NANO_DIGITS, '0').replace(/0+$/, '');
  if (fraction.length < minFractionDigits) fraction = fraction.padEnd(minFractionDigits, '0');
  const text = fraction ? `${whole}.${fraction}` : `${whole}`;
  return negative ? `-${text}` : text;
}

/** Exact sum of nano amounts. */
export function sumNanos(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/**
 * Splits `total` into parts proportional to `weights` so that the parts sum to `total` exactly.
 * Uses the largest-remainder method; ties go to the earlier index, so the result is deterministic.
 * Negative totals are split by their magnitude and negated. Weights must be non-negative with a positive sum.
 */
export function splitNanos(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) throw new MoneyError('cannot split into zero parts');
  if (weights.some((w) => w < 0n)) throw new MoneyError('split weights must not be negative');
  const weightSum = sumNanos(weights);
  if (weightSum === 0n) throw new MoneyError('split weights must not all be zero');
  const negative = total < 0n;
  const magnitude = negative ? -total : total;
  const parts = weights.map((w) => (magnitude * w) / weightSum);
  const remainders = weights.map((w, index) => ({ index, rest: (magnitude * w) % weightSum }));
  let leftover = magnitude - sumNanos(parts);
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (let i = 0; leftover > 0n; i++, leftover--) {
    const target = remainders[i % remainders.length]!.index;
    parts[target] = parts[target]! + 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}

/** Splits evenly into `count` parts (remainder nanos to the first parts). */
export function splitEvenly(total: bigint, count: number): bigint[] {
  if (!Number.isInteger(count) || count <= 0) throw new MoneyError('split count must be a positive integer');
  return splitNanos(
    total,
    Array.from({ length: count }, () => 1n),
  );
}

/**
 * Rounds nanos to `fractionDigits` decimals (default half-even, as in IEEE 754 / banker's rounding):
 * arithmetic on nano amounts. Amounts shown to people are rounded once, from the exact value, by
 * roundExact (shared/exact.ts).
 */
export function roundNanos(
  nanos: bigint,
  fractionDigits: number,
  mode: Exclude<RoundingMode, 'exact'> = 'half-even',
): bigint {
  if (fractionDigits >= NANO_DIGITS) return nanos;
  const unit = 10n ** BigInt(NANO_DIGITS - fractionDigits);
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const rounded = roundQuotient(magnitude / unit, magnitude % unit, unit, mode) * unit;
  return negative ? -rounded : rounded;
}

export function assertCurrency(code: string): string {
  if (!CURRENCY_PATTERN.test(code)) throw new MoneyError(`not an ISO 4217 currency code: "${code}"`);
  return code;
}

export function money(nanos: bigint, currency: string): Money {
  return { nanos, currency: assertCurrency(currency) };
}

export function parseMoney(amount: string, currency: string): Money {
  return money(parseDecimalToNanos(amount), currency);
}

/** Adds amounts of one currency; mixing currencies is an error, never a silent conversion. */
export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new MoneyError(`cannot add ${a.currency} and ${b.currency}`);
  return { nanos: a.nanos + b.nanos, currency: a.currency };
}

export function sumMoney(values: Iterable<Money>, currency: string): Money {
  let total = 0n;
  for (const v of values) {
    if (v.currency !== currency) throw new MoneyError(`cannot add ${v.currency} to a ${currency} total`);
    total += v.nanos;
  }
  return money(total, currency);
}

/** Converts nanos to a JS number for chart geometry only. Never use the result for arithmetic. */
export function nanosToChartNumber(nanos: bigint): number {
  return Number(formatNanos(nanos));
}

/**
 * Percentage change from `previous` to `current` as a decimal string with `digits` decimals (half-even),
 * measured against |previous| so that a shrinking credit reads as a positive change; null when previous is 0.
 */
export function percentChange(current: bigint, previous: bigint, digits = 1): string | null {
  if (previous === 0n) return null;
  return percentOf(current - previous, previous < 0n ? -previous : previous, digits);
}

/** Share of `part` in `whole` as a decimal percentage string (signs respected), or null when whole is 0. */
export function percentShare(part: bigint, whole: bigint, digits = 1): string | null {
  if (whole === 0n) return null;
  return percentOf(part, whole, digits);
}

function percentOf(numerator: bigint, denominator: bigint, digits: number): string {
  const negative = numerator < 0n !== denominator < 0n;
  const n = (numerator < 0n ? -numerator : numerator) * 100n * 10n ** BigInt(digits);
  const d = denominator < 0n ? -denominator : denominator;
  const q = roundQuotient(n / d, n % d, d, 'half-even');
  return formatScaled(negative ? -q : q, digits);
}

function formatScaled(value: bigint, digits: number): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const scale = 10n ** BigInt(digits);
  const whole = magnitude / scale;
  const frac = (magnitude % scale).toString().padStart(digits, '0');
  const text = digits > 0 ? `${whole}.${frac}` : `${whole}`;
  return negative && magnitude !== 0n ? `-${text}` : text;
}
