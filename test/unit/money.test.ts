import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../shared/display-money';
import {
  MoneyError,
  NANOS_PER_UNIT,
  addMoney,
  assertCurrency,
  formatNanos,
  money,
  parseDecimalToNanos,
  parseMoney,
  percentChange,
  percentShare,
  roundNanos,
  splitEvenly,
  splitNanos,
  sumMoney,
  sumNanos,
  type RoundingMode,
} from '../../shared/money';

const DIGIT = fc.constantFrom(...'0123456789'.split(''));
const digitString = (minLength: number, maxLength: number) => fc.string({ unit: DIGIT, minLength, maxLength });

interface DecimalParts {
  padLeft: string;
  sign: '' | '+' | '-';
  intDigits: string;
  /** null: no decimal point at all; '' : a trailing point ("12.") */
  fracDigits: string | null;
  exponent: { letter: 'e' | 'E'; sign: '' | '+' | '-'; zeros: string; value: number } | null;
  padRight: string;
}

function renderDecimal(p: DecimalParts): string {
  const fraction = p.fracDigits === null ? '' : `.${p.fracDigits}`;
  const exponent = p.exponent ? `${p.exponent.letter}${p.exponent.sign}${p.exponent.zeros}${p.exponent.value}` : '';
  return `${p.padLeft}${p.sign}${p.intDigits}${fraction}${exponent}${p.padRight}`;
}

const WHITESPACE = fc.constantFrom('', ' ', '  ', '\t', '\n ');

const decimalParts: fc.Arbitrary<DecimalParts> = fc
  .record({
    padLeft: WHITESPACE,
    sign: fc.constantFrom<'' | '+' | '-'>('', '+', '-'),
    intDigits: digitString(0, 15),
    fracDigits: fc.option(digitString(0, 12), { nil: null }),
    exponent: fc.option(
      fc.record({
        letter: fc.constantFrom<'e' | 'E'>('e', 'E'),
        sign: fc.constantFrom<'' | '+' | '-'>('', '+', '-'),
        zeros: fc.constantFrom('', '0', '00'),
        value: fc.integer({ min: 0, max: 12 }),
      }),
      { nil: null },
    ),
    padRight: WHITESPACE,
  })
  // The grammar needs at least one digit before the exponent: "12", "12.", "12.5" or ".5".
  .filter((p) => p.intDigits.length > 0 || (p.fracDigits !== null && p.fracDigits.length > 0));

type Reference = { nanos: bigint; exact: boolean };

/**
 * Independent reference: write every digit into a long, zero-padded digit string, move the decimal
 * point 9 places right (plus the exponent), and cut the string at the point. Rounding compares the
 * cut-off tail with "5000…" as text.
 */
function referenceNanos(p: DecimalParts, mode: RoundingMode): Reference {
  const PAD = '0'.repeat(64);
  const digits = p.intDigits + (p.fracDigits ?? '');
  const exponent = p.exponent ? (p.exponent.sign === '-' ? -p.exponent.value : p.exponent.value) : 0;
  const padded = PAD + digits + PAD;
  const pointAt = PAD.length + p.intDigits.length + exponent + 9;
  const wholeText = padded.slice(0, pointAt);
  const tail = padded.slice(pointAt);
  let magnitude = BigInt(wholeText);
  const exact = !/[1-9]/.test(tail);
  if (!exact && mode !== 'exact') {
    const half = '5'.padEnd(tail.length, '0');
    const roundUp = mode === 'half-up' ? tail >= half : tail > half || (tail === half && magnitude % 2n === 1n);
    if (roundUp) magnitude += 1n;
  }
  return { nanos: p.sign === '-' ? -magnitude : magnitude, exact };
}

describe('parseDecimalToNanos / formatNanos', () => {
  it('round-trips every bigint through formatNanos and back', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (n) => {
        expect(parseDecimalToNanos(formatNanos(n))).toBe(n);
        expect(parseDecimalToNanos(formatNanos(n, 2))).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('formatNanos prints a canonical decimal (no trailing zeros, no leading zeros, no "-0")', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), (n) => {
        expect(formatNanos(n)).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/);
        if (n === 0n) expect(formatNanos(n)).toBe('0');
      }),
    );
  });

  it.each([
    [0n, 0, '0'],
    [0n, 2, '0.00'],
    [-1n, 0, '-0.000000001'],
    [12_500_000_000n, 0, '12.5'],
    [12_500_000_000n, 2, '12.50'],
    [3n * NANOS_PER_UNIT, 0, '3'],
    [-2_613_700_000n, 0, '-2.6137'],
    [1_234_567_891_000_000n, 0, '1234567.891'],
  ])('formatNanos(%s, %s) = %s', (nanos, minFractionDigits, expected) => {
    expect(formatNanos(nanos, minFractionDigits)).toBe(expected);
  });

  it('agrees with an independent digit-shifting reference in all rounding modes', () => {
    fc.assert(
      fc.property(decimalParts, (parts) => {
        const text = renderDecimal(parts);
        const exact = referenceNanos(parts, 'exact');
        if (exact.exact) {
          expect(parseDecimalToNanos(text)).toBe(exact.nanos);
          expect(parseDecimalToNanos(text, 'exact')).toBe(exact.nanos);
        } else {
          expect(() => parseDecimalToNanos(text)).toThrow(MoneyError);
        }
        expect(parseDecimalToNanos(text, 'half-even')).toBe(referenceNanos(parts, 'half-even').nanos);
        expect(parseDecimalToNanos(text, 'half-up')).toBe(referenceNanos(parts, 'half-up').nanos);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['1.2E-7', 120n],
    ['0.000000001', 1n],
    ['-2.6137', -2_613_700_000n],
    ['1e-9', 1n],
    ['12', 12_000_000_000n],
    ['  3.5 ', 3_500_000_000n],
    ['5e3', 5_000_000_000_000n],
    ['-3.40E+2', -340_000_000_000n],
    ['.5', 500_000_000n],
    ['+0.25', 250_000_000n],
    ['12.', 12_000_000_000n],
    ['-0', 0n],
    ['0.000000000E+5', 0n],
    ['1234567.891', 1_234_567_891_000_000n],
    ['98765432109876.123456789', 98_765_432_109_876_123_456_789n],
    ['1.0000000000', 1_000_000_000n],
  ])('parses %j exactly to %s', (text, expected) => {
    expect(parseDecimalToNanos(text)).toBe(expected);
  });

  it.each(['0.0000000001', '1.2E-10', '-0.0000000015', '1e-10', '3.1415926535'])(
    'rejects %j in exact mode (more than 9 decimals)',
    (text) => {
      expect(() => parseDecimalToNanos(text)).toThrow(MoneyError);
      expect(() => parseDecimalToNanos(text, 'exact')).toThrow(/decimal places/);
    },
  );

  it.each([
    ['0.0000000005', 0n, 1n],
    ['0.0000000015', 2n, 2n],
    ['0.0000000025', 2n, 3n],
    ['0.00000000049', 0n, 0n],
    ['0.00000000051', 1n, 1n],
    ['1.2E-10', 0n, 0n],
    ['1.5e-9', 2n, 2n],
    ['-0.0000000005', 0n, -1n],
    ['-0.0000000015', -2n, -2n],
    ['3.1415926535', 3_141_592_654n, 3_141_592_654n],
    ['2.0000000005', 2_000_000_000n, 2_000_000_001n],
  ])('rounds %j to %s (half-even) and %s (half-up, away from zero)', (text, halfEven, halfUp) => {
    expect(parseDecimalToNanos(text, 'half-even')).toBe(halfEven);
    expect(parseDecimalToNanos(text, 'half-up')).toBe(halfUp);
  });

  it.each([
    '',
    '   ',
    'abc',
    '1.2.3',
    '1e',
    '--1',
    '1,000.00',
    'NaN',
    'Infinity',
    '0x10',
    '.',
    '-',
    '1e+',
    '1 000',
    '$5',
  ])('rejects malformed input %j with MoneyError', (text) => {
    expect(() => parseDecimalToNanos(text)).toThrow(MoneyError);
  });

  it('rejects absurd exponents and amounts instead of allocating huge numbers', () => {
    expect(() => parseDecimalToNanos('1e500')).toThrow(MoneyError);
    expect(() => parseDecimalToNanos('1e100')).toThrow(/too large/);
  });
});

describe('sumNanos', () => {
  const amounts = fc.array(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), { maxLength: 40 });

  it('equals a plain reduce', () => {
    fc.assert(
      fc.property(amounts, (values) => {
        expect(sumNanos(values)).toBe(values.reduce((a, b) => a + b, 0n));
      }),
    );
  });

  it('does not depend on order', () => {
    fc.assert(
      fc.property(
        amounts.chain((values) =>
          fc.tuple(fc.constant(values), fc.shuffledSubarray(values, { minLength: values.length })),
        ),
        ([values, shuffled]) => {
          expect(shuffled).toHaveLength(values.length);
          expect(sumNanos(shuffled)).toBe(sumNanos(values));
        },
      ),
    );
  });

  it('accepts any iterable', () => {
    function* gen() {
      yield 1n;
      yield -5n;
      yield 10n ** 20n;
    }
    expect(sumNanos(gen())).toBe(10n ** 20n - 4n);
    expect(sumNanos(new Set([2n, 3n]))).toBe(5n);
    expect(sumNanos([])).toBe(0n);
  });
});

/** Largest remainder, written as repeated selection (first index wins a tie) instead of a sort. */
function referenceSplit(total: bigint, weights: readonly bigint[]): bigint[] {
  const weightSum = weights.reduce((a, b) => a + b, 0n);
  const magnitude = total < 0n ? -total : total;
  const floors = weights.map((w) => (magnitude * w) / weightSum);
  const rests = weights.map((w) => (magnitude * w) % weightSum);
  let leftover = magnitude - floors.reduce((a, b) => a + b, 0n);
  const taken = weights.map(() => false);
  while (leftover > 0n) {
    let best = -1;
    for (let i = 0; i < weights.length; i++) {
      if (!taken[i] && (best === -1 || rests[i]! > rests[best]!)) best = i;
    }
    taken[best] = true;
    floors[best] = floors[best]! + 1n;
    leftover--;
  }
  return total < 0n ? floors.map((p) => -p) : floors;
}

describe('splitNanos', () => {
  const weight = fc.oneof(
    fc.constant(0n),
    fc.bigInt({ min: 0n, max: 3n }),
    fc.bigInt({ min: 0n, max: 10n ** 12n }),
    fc.bigInt({ min: 0n, max: 10n ** 24n }),
  );
  const weightsArb = fc
    .array(weight, { minLength: 1, maxLength: 12 })
    .filter((ws) => ws.reduce((a, b) => a + b, 0n) > 0n);
  const totalArb = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }));

  it('parts sum exactly to the total and each is within one nano of the exact share', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const parts = splitNanos(total, weights);
        const weightSum = weights.reduce((a, b) => a + b, 0n);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
        parts.forEach((part, i) => {
          const error = part * weightSum - total * weights[i]!;
          expect(error < weightSum && error > -weightSum).toBe(true);
          if (weights[i] === 0n) expect(part).toBe(0n);
          if (total !== 0n && part !== 0n) expect(part < 0n).toBe(total < 0n);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('is deterministic, leaves the weights untouched and matches an independent largest-remainder split', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const before = [...weights];
        const first = splitNanos(total, weights);
        expect(splitNanos(total, weights)).toEqual(first);
        expect(weights).toEqual(before);
        expect(first).toEqual(referenceSplit(total, weights));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives ties to the earlier index: equal weights never get a smaller part later', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const parts = splitNanos(total, weights);
        for (let i = 0; i < weights.length; i++) {
          for (let j = i + 1; j < weights.length; j++) {
            if (weights[i] !== weights[j]) continue;
            const a = parts[i]! < 0n ? -parts[i]! : parts[i]!;
            const b = parts[j]! < 0n ? -parts[j]! : parts[j]!;
            expect(a >= b).toBe(true);
          }
        }
      }),
    );
  });

  it.each([
    [10n, [1n, 1n, 1n], [4n, 3n, 3n]],
    [-10n, [1n, 1n, 1n], [-4n, -3n, -3n]],
    [11n, [1n, 1n, 1n], [4n, 4n, 3n]],
    [100n, [1n, 2n, 3n], [17n, 33n, 50n]],
    [1n, [0n, 5n, 5n], [0n, 1n, 0n]],
    [7n, [3n, 0n], [7n, 0n]],
    [0n, [1n, 2n], [0n, 0n]],
    [2n, [1n, 1n, 1n, 1n], [1n, 1n, 0n, 0n]],
  ])('splitNanos(%s, [%s]) = [%s]', (total, weights, expected) => {
    expect(splitNanos(total, weights)).toEqual(expected);
  });

  it('splitEvenly gives remainder nanos to the first parts', () => {
    expect(splitEvenly(100n, 3)).toEqual([34n, 33n, 33n]);
    expect(splitEvenly(-100n, 3)).toEqual([-34n, -33n, -33n]);
    expect(splitEvenly(5n, 1)).toEqual([5n]);
    expect(splitEvenly(2n, 4)).toEqual([1n, 1n, 0n, 0n]);
  });

  it('refuses impossible splits', () => {
    expect(() => splitNanos(10n, [])).toThrow(MoneyError);
    expect(() => splitNanos(10n, [0n, 0n])).toThrow(MoneyError);
    expect(() => splitNanos(10n, [2n, -1n])).toThrow(MoneyError);
    expect(() => splitEvenly(10n, 0)).toThrow(MoneyError);
    expect(() => splitEvenly(10n, -2)).toThrow(MoneyError);
    expect(() => splitEvenly(10n, 1.5)).toThrow(MoneyError);
  });
});

describe('roundNanos', () => {
  const n = (text: string) => parseDecimalToNanos(text);

  it.each([
    ['1.005', '1.00'],
    ['1.015', '1.02'],
    ['-1.005', '-1.00'],
    ['-1.015', '-1.02'],
    ['2.675', '2.68'],
    ['2.665', '2.66'],
    ['1.0051', '1.01'],
    ['1.00499999', '1.00'],
    ['0.004', '0'],
  ])('rounds %s half-even to 2 digits as %s', (input, expected) => {
    expect(roundNanos(n(input), 2)).toBe(n(expected));
  });

  it('supports half-up, 0 digits, and leaves nanos alone at 9+ digits', () => {
    expect(roundNanos(n('1.005'), 2, 'half-up')).toBe(n('1.01'));
    expect(roundNanos(n('-1.005'), 2, 'half-up')).toBe(n('-1.01'));
    expect(roundNanos(n('2.5'), 0)).toBe(n('2'));
    expect(roundNanos(n('3.5'), 0)).toBe(n('4'));
    expect(roundNanos(n('0.123456789'), 9)).toBe(n('0.123456789'));
    expect(roundNanos(n('0.123456789'), 12)).toBe(n('0.123456789'));
  });

  it('always lands on a multiple of the unit within half a unit', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 8 }),
        (nanos, digits) => {
          const unit = 10n ** BigInt(9 - digits);
          const rounded = roundNanos(nanos, digits);
          expect(rounded % unit).toBe(0n);
          const diff = rounded - nanos;
          expect(2n * (diff < 0n ? -diff : diff) <= unit).toBe(true);
        },
      ),
    );
  });
});

describe('formatMoney', () => {
  const usd = (text: string) => money(parseDecimalToNanos(text), 'USD');

  it('formats USD with grouping and 2 decimals', () => {
    expect(formatMoney({ nanos: parseDecimalToNanos('1234567.891'), currency: 'USD' })).toBe('$1,234,567.89');
    expect(formatMoney(usd('0'))).toBe('$0.00');
    expect(formatMoney(usd('12.5'))).toBe('$12.50');
  });

  it('uses 0 decimals for JPY', () => {
    expect(formatMoney({ nanos: parseDecimalToNanos('1234567.891'), currency: 'JPY' })).toBe('¥1,234,568');
    expect(formatMoney({ nanos: parseDecimalToNanos('2.5'), currency: 'JPY' })).toBe('¥2');
  });

  it('formats negative amounts and never shows a negative zero', () => {
    expect(formatMoney(usd('-1234.565'))).toBe('-$1,234.56');
    expect(formatMoney(usd('-0.5'))).toBe('-$0.50');
    expect(formatMoney(usd('-0.004'))).toBe('$0.00');
  });

  it('rounds half-even in bigint before formatting (Intl alone would round 0.125 up)', () => {
    expect(formatMoney(usd('0.125'))).toBe('$0.12');
    expect(formatMoney(usd('0.135'))).toBe('$0.14');
  });

  it('keeps every digit of amounts far beyond 2^53 nanos', () => {
    expect(parseDecimalToNanos('98765432109876.123456789') > 2n ** 53n).toBe(true);
    expect(formatMoney(usd('98765432109876.123456789'))).toBe('$98,765,432,109,876.12');
    expect(formatMoney(usd('12345678901234567.89'))).toBe('$12,345,678,901,234,567.89');
    expect(formatMoney(usd('9007199254740993'))).toBe('$9,007,199,254,740,993.00');
  });

  it('honours locale, fraction digits, sign display and compact notation', () => {
    expect(formatMoney(money(parseDecimalToNanos('1234.5678'), 'EUR'), { locale: 'de-DE' })).toBe('1.234,57\u00a0€');
    expect(formatMoney(usd('1234.5678'), { fractionDigits: 3 })).toBe('$1,234.568');
    expect(formatMoney(usd('1'), { signDisplay: 'always' })).toBe('+$1.00');
    expect(formatMoney(usd('1234567'), { compact: true })).toBe('$1.2M');
  });
});

describe('percentChange / percentShare', () => {
  it.each([
    [150n, 100n, 1, '50.0'],
    [50n, 100n, 1, '-50.0'],
    [100n, 100n, 1, '0.0'],
    [0n, 100n, 1, '-100.0'],
    [-50n, -100n, 1, '50.0'],
    [-150n, -100n, 1, '-50.0'],
    [50n, -100n, 1, '150.0'],
    [1n, 3n, 0, '-67'],
    [2n, 3n, 2, '-33.33'],
    [10005n, 10000n, 1, '0.0'],
    [10015n, 10000n, 1, '0.2'],
    [9995n, 10000n, 1, '0.0'],
    [-1n, 1000n, 1, '-100.1'],
  ])('percentChange(%s, %s, %s) = %s', (current, previous, digits, expected) => {
    expect(percentChange(current, previous, digits)).toBe(expected);
  });

  it('uses one decimal by default and returns null for a zero base', () => {
    expect(percentChange(3n, 2n)).toBe('50.0');
    expect(percentChange(5n, 0n)).toBeNull();
    expect(percentChange(0n, 0n)).toBeNull();
    expect(percentChange(-5n, 0n, 2)).toBeNull();
  });

  it.each([
    [1n, 3n, 2, '33.33'],
    [2n, 3n, 1, '66.7'],
    [0n, 5n, 1, '0.0'],
    [5n, 5n, 1, '100.0'],
    [-1n, 4n, 1, '-25.0'],
    [1n, 8n, 2, '12.50'],
  ])('percentShare(%s, %s, %s) = %s', (part, whole, digits, expected) => {
    expect(percentShare(part, whole, digits)).toBe(expected);
  });

  it('returns null for a share of a zero whole', () => {
    expect(percentShare(5n, 0n)).toBeNull();
    expect(percentShare(0n, 0n)).toBeNull();
  });

  it('computes the share of a negative whole as part / whole (credits: -100 of -400 is 25%)', () => {
    expect(percentShare(-100n, -400n)).toBe('25.0');
    expect(percentShare(100n, -400n)).toBe('-25.0');
  });
});

describe('currency safety', () => {
  it('addMoney adds one currency and refuses mixed currencies', () => {
    expect(addMoney(money(5n, 'USD'), money(-7n, 'USD'))).toEqual({ nanos: -2n, currency: 'USD' });
    expect(() => addMoney(money(5n, 'USD'), money(5n, 'EUR'))).toThrow(MoneyError);
  });

  it('sumMoney refuses a foreign currency in the list', () => {
    expect(sumMoney([money(1n, 'EUR'), money(2n, 'EUR')], 'EUR')).toEqual({ nanos: 3n, currency: 'EUR' });
    expect(sumMoney([], 'EUR')).toEqual({ nanos: 0n, currency: 'EUR' });
    expect(() => sumMoney([money(1n, 'EUR'), money(2n, 'USD')], 'EUR')).toThrow(MoneyError);
  });

  it.each(['usd', 'US', 'USDX', '', 'U$D', ' USD'])('assertCurrency rejects %j', (code) => {
    expect(() => assertCurrency(code)).toThrow(MoneyError);
    expect(() => money(1n, code)).toThrow(MoneyError);
  });

  it('assertCurrency returns a valid ISO code unchanged', () => {
    expect(assertCurrency('USD')).toBe('USD');
    expect(assertCurrency('JPY')).toBe('JPY');
  });

  it('parseMoney parses exactly and validates both parts', () => {
    expect(parseMoney('-2.6137', 'USD')).toEqual({ nanos: -2_613_700_000n, currency: 'USD' });
    expect(() => parseMoney('1.0000000001', 'USD')).toThrow(MoneyError);
    expect(() => parseMoney('1', 'usd')).toThrow(MoneyError);
  });
});
