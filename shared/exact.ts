/**
 * Exact source amounts. Billing exports carry up to 24 decimal places (Azure EA amortized, koku CUR),
 * more than nano-units hold, and a controller expects a file's total to match to the last digit. So
 * ingested amounts are bigint counts of 10⁻²⁷ ("ronto-units") and are stored as four SQLite
 * integers — whole units, then three 9-digit fractions (nanos, atto, ronto) — each of which SQL can
 * SUM without overflow, even for currencies like IDR whose totals pass 9.2 billion units (where a
 * single nano-unit integer would overflow). Nanos stay the unit for display, charts and allocation.
 */
import { MoneyError, nanosToChartNumber, NANO_DIGITS, roundQuotient } from './money';
import { excerpt } from './text';

export const EXACT_DIGITS = 27;
export const EXACT_PER_UNIT = 10n ** 27n;
const EXACT_PER_NANO = 10n ** 18n;
const SUB_STEP = 1_000_000_000n;

const DECIMAL_PATTERN = /^([+-])?(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?$/;

/** 10ⁿ as bigints for n ≤ 27, to scale a parsed mantissa without computing a power per amount. */
const POWERS_OF_TEN = Array.from({ length: EXACT_DIGITS + 1 }, (_, n) => 10n ** BigInt(n));

/** Parses "12.5", "-1.2E-7", ".5" into units of 10⁻²⁷. Rejects anything finer than 27 decimals or not a number. */
export function parseExact(input: string): bigint {
  return parsePlainDecimal(input) ?? parseAnyDecimal(input);
}

/**
 * The shape nearly every export writes ("12.5", "-0.0012", "3"), read without a regular expression or
 * a decimal-string BigInt: up to 15 significant digits, a double holds the mantissa exactly. Anything
 * else (exponents, spaces, more digits, malformed text) returns undefined for parseAnyDecimal.
 */
export function parsePlainDecimal(input: string): bigint | undefined {
  const length = input.length;
  let at = 0;
  const sign = input.charCodeAt(0);
  if (sign === 0x2d || sign === 0x2b) at = 1; // - +
  let mantissa = 0;
  let significant = 0;
  let anyDigit = false;
  let decimals = -1; // before the point
  for (; at < length; at++) {
    const code = input.charCodeAt(at);
    if (code >= 0x30 && code <= 0x39) {
      anyDigit = true;
      if (decimals >= 0) decimals++;
      if ((mantissa !== 0 || code !== 0x30) && ++significant > 15) return undefined;
      mantissa = mantissa * 10 + (code - 0x30);
    } else if (code === 0x2e && decimals < 0) {
      decimals = 0;
    } else {
      return undefined;
    }
  }
  if (!anyDigit || decimals > EXACT_DIGITS) return undefined;
  if (mantissa === 0) return 0n;
  const signed = sign === 0x2d ? -mantissa : mantissa;
  const places = Math.max(decimals, 0);
  const value = BigInt(signed) * POWERS_OF_TEN[EXACT_DIGITS - places]!;
  recentValues[recentNext] = value;
  recentMantissas[recentNext] = signed;
  recentPlaces[recentNext] = places;
  recentNext = (recentNext + 1) % RECENT;
  return value;
}

// The last few amounts parsePlainDecimal read, as mantissa and decimal places: an importer splits a
// line's amounts right after parsing them, and splitting from these is plain arithmetic on doubles
// instead of BigInt divisions.
const RECENT = 4;
const recentValues: (bigint | undefined)[] = new Array<bigint | undefined>(RECENT).fill(undefined);
const recentMantissas = new Float64Array(RECENT);
const recentPlaces = new Uint8Array(RECENT);
let recentNext = 0;

/** The general parser: exponents, surrounding spaces, any number of digits. */
export function parseAnyDecimal(input: string): bigint {
  const match = DECIMAL_PATTERN.exec(input.trim());
  if (!match) throw new MoneyError(`not a decimal number: "${excerpt(input, 80)}"`);
  const sign = match[1] === '-' ? -1n : 1n;
  const body = match[2]!;
  const exponent = match[3] === undefined ? 0 : Number(match[3]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) {
    throw new MoneyError(`exponent out of range: "${excerpt(input, 80)}"`);
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
    if (whole % divisor !== 0n)
      throw new MoneyError(`more than ${EXACT_DIGITS} decimal places: "${excerpt(input, 80)}"`);
    return sign * (whole / divisor);
  }
  if (digits.length + shift > 60) throw new MoneyError(`amount too large: "${excerpt(input, 80)}"`);
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

/** ExactParts with the fractions as numbers (each below 10⁹, so exact): cheaper to build and to post between threads. */
export interface ExactNumberParts {
  units: bigint;
  nanos: number;
  atto: number;
  ronto: number;
}

const NINE = 1e9;
/** 10ⁿ as doubles for n ≤ 22 (all exact), parsed from text rather than computed with **. */
const TENS = Array.from({ length: 23 }, (_, n) => Number(`1e${n}`));

/** splitExact with the fractions as numbers. */
export function splitExactToNumbers(value: bigint): ExactNumberParts {
  for (let index = 0; index < RECENT; index++) {
    if (recentValues[index] === value) return splitMantissa(recentMantissas[index]!, recentPlaces[index]!);
  }
  const parts = splitExact(value);
  return { units: parts.units, nanos: Number(parts.nanos), atto: Number(parts.atto), ronto: Number(parts.ronto) };
}

/**
 * Splits mantissa × 10^-places (|mantissa| < 10¹⁵, places ≤ 27) with doubles only: every intermediate
 * is an integer below 2⁵³, % is exact on doubles, and (x − x % p) / p divides an exact multiple.
 */
function splitMantissa(mantissa: number, places: number): ExactNumberParts {
  const magnitude = Math.abs(mantissa);
  let whole = 0;
  let fraction = magnitude; // the digits after the point, as an integer with `places` digits
  if (places <= 15) {
    const scale = TENS[places]!;
    fraction = magnitude % scale;
    whole = (magnitude - fraction) / scale;
  }
  let nanos: number;
  let atto = 0;
  let ronto = 0;
  if (places <= 9) {
    nanos = fraction * TENS[9 - places]!;
  } else {
    const below = TENS[places - 9]!;
    const rest = fraction % below;
    nanos = (fraction - rest) / below;
    if (places <= 18) {
      atto = rest * TENS[18 - places]!;
    } else {
      const last = TENS[places - 18]!;
      ronto = (rest % last) * TENS[27 - places]!;
      atto = (rest - (rest % last)) / last;
    }
  }
  if (mantissa >= 0) return { units: unitsOf(whole), nanos, atto, ronto };
  if (nanos === 0 && atto === 0 && ronto === 0) return { units: unitsOf(-whole), nanos, atto, ronto };
  // Floor toward −∞: one unit less, and the fraction's complement to a whole unit.
  if (ronto !== 0) {
    ronto = NINE - ronto;
    atto = NINE - 1 - atto;
    nanos = NINE - 1 - nanos;
  } else if (atto !== 0) {
    atto = NINE - atto;
    nanos = NINE - 1 - nanos;
  } else {
    nanos = NINE - nanos;
  }
  return { units: unitsOf(-whole - 1), nanos, atto, ronto };
}

// Most amounts are a few units either side of zero: one shared BigInt each instead of one per line.
const SMALL_UNITS = Array.from({ length: 257 }, (_, n) => BigInt(n - 128));

function unitsOf(whole: number): bigint {
  return whole >= -128 && whole <= 128 ? SMALL_UNITS[whole + 128]! : BigInt(whole);
}

/** Inverse of splitExact; also correct for column SUMs, whose fractions exceed one step. */
export function joinExact(units: bigint, nanos: bigint, atto: bigint, ronto: bigint): bigint {
  return units * EXACT_PER_UNIT + nanos * EXACT_PER_NANO + atto * SUB_STEP + ronto;
}

/** The parts of a stored amount, as the columns `<prefix>_units`, `_nanos`, `_atto`, `_ronto` are named. */
export const EXACT_PARTS = ['units', 'nanos', 'atto', 'ronto'] as const;

/**
 * The exact amount in a row's four stored columns `<prefix>_units`, `<prefix>_nanos`, `<prefix>_atto`
 * and `<prefix>_ronto`, one line's or their SUMs: every reader rebuilds money this way, all four parts,
 * so none truncates to nanos or drops the smallest part. A NULL part (a SUM over no rows) counts as 0.
 */
export function exactFromColumns(row: Readonly<Record<string, unknown>>, prefix: string): bigint {
  const part = (name: (typeof EXACT_PARTS)[number]): bigint => {
    const value = row[`${prefix}_${name}`];
    return value === null || value === undefined ? 0n : BigInt(value as bigint | number);
  };
  return joinExact(part('units'), part('nanos'), part('atto'), part('ronto'));
}

export function nanosToExact(nanos: bigint): bigint {
  return nanos * EXACT_PER_NANO;
}

/**
 * Rounds an exact amount to `digits` decimals, half to even, by magnitude (−0.125 → −0.12): the one
 * rounding of money for people, to a currency's minor unit (display-money.ts) or to nanos for charts.
 */
export function roundExact(value: bigint, digits: number): bigint {
  const unit = EXACT_PER_UNIT / 10n ** BigInt(digits);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const rounded = roundQuotient(magnitude / unit, magnitude % unit, unit, 'half-even') * unit;
  return negative ? -rounded : rounded;
}

/** Rounds an exact amount to nanos, half to even: for charts, never for totals. */
export function exactToNanos(value: bigint): bigint {
  return roundExact(value, NANO_DIGITS) / EXACT_PER_NANO;
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
