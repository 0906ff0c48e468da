import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundToMinorUnit } from '../../shared/display-money';
import {
  EXACT_PER_UNIT,
  exactFromColumns,
  exactToNanos,
  formatExact,
  parseAnyDecimal,
  parseExact,
  parsePlainDecimal,
  splitExact,
  splitExactToNumbers,
} from '../../shared/exact';

const DIGIT = fc.constantFrom(...'0123456789'.split(''));
const digits = (minLength: number, maxLength: number) => fc.string({ unit: DIGIT, minLength, maxLength });

const zeros = (maxLength: number) => fc.integer({ min: 0, max: maxLength }).map((n) => '0'.repeat(n));
/** Fractions with their few significant digits anywhere in the 27 places, and trailing zeros. */
const sparseFraction = fc
  .tuple(zeros(26), digits(0, 9), zeros(4))
  .map(([leading, significant, trailing]) => leading + significant + trailing);

/** Decimal text in the shapes exports write, with the lengths around the fast path's limits. */
const decimalText = fc
  .record({
    sign: fc.constantFrom('', '+', '-'),
    whole: fc.oneof(digits(0, 3), digits(0, 17), digits(15, 22), zeros(3)),
    fraction: fc.option(fc.oneof(digits(0, 10), digits(0, 30), sparseFraction), { nil: null }),
  })
  .map(({ sign, whole, fraction }) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}`);

/** Near-decimals: anything the general parser sees, most of it invalid. */
const looseText = fc.string({ unit: fc.constantFrom(...'0123456789.+-eE x'.split('')), maxLength: 24 });

function outcome(parse: (text: string) => bigint, text: string): bigint | string {
  try {
    return parse(text);
  } catch (error) {
    return (error as Error).message;
  }
}

function numberParts(value: bigint) {
  const parts = splitExact(value);
  return { units: parts.units, nanos: Number(parts.nanos), atto: Number(parts.atto), ronto: Number(parts.ronto) };
}

describe('the plain-decimal fast path', () => {
  it('parses exactly as the general parser, or leaves the text to it', () => {
    fc.assert(
      fc.property(fc.oneof(decimalText, looseText), (text) => {
        expect(outcome(parseExact, text)).toEqual(outcome(parseAnyDecimal, text));
        const fast = parsePlainDecimal(text);
        if (fast !== undefined) expect(fast).toBe(parseAnyDecimal(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('takes the shapes exports write', () => {
    for (const text of ['1.1083814273', '-0.5', '.5', '5.', '+7', '0', '-0.000', '123456789012345']) {
      expect(parsePlainDecimal(text), text).toBe(parseAnyDecimal(text));
    }
    for (const text of ['1e3', ' 1', '1234567890123456', '1.0000000000000000000000000001', '', '.', '-', '1.2.3']) {
      expect(parsePlainDecimal(text), text).toBeUndefined();
    }
  });
});

describe('splitExactToNumbers', () => {
  it('splits what was just parsed as splitExact does', () => {
    fc.assert(
      fc.property(fc.array(decimalText, { minLength: 1, maxLength: 7 }), (texts) => {
        const values = texts.map((text) => outcome(parseExact, text)).filter((v): v is bigint => typeof v === 'bigint');
        // Split in reverse order too, so that some values are no longer among the remembered ones.
        for (const value of [...values, ...values.reverse()]) {
          expect(splitExactToNumbers(value)).toEqual(numberParts(value));
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('splits any amount as splitExact does', () => {
    const limit = 10n ** 40n * EXACT_PER_UNIT;
    fc.assert(
      fc.property(fc.bigInt({ min: -limit, max: limit }), (value) => {
        expect(splitExactToNumbers(value)).toEqual(numberParts(value));
      }),
      { numRuns: 5_000 },
    );
  });

  it('floors negative amounts at every fraction boundary', () => {
    for (const text of ['-1', '-0.000000001', '-0.000000000000000001', '-1e-27', '-999999999999999', '-1.5', '-0.5']) {
      const value = parseExact(text);
      expect(splitExactToNumbers(value), text).toEqual(numberParts(value));
    }
  });
});

describe('money rebuilt from its four stored parts', () => {
  /** A row as SQLite returns a stored amount: `<prefix>_units`, `_nanos`, `_atto`, `_ronto`. */
  const stored = (text: string, prefix = 'billed') => {
    const parts = splitExact(parseExact(text));
    return {
      [`${prefix}_units`]: parts.units,
      [`${prefix}_nanos`]: parts.nanos,
      [`${prefix}_atto`]: parts.atto,
      [`${prefix}_ronto`]: parts.ronto,
    };
  };

  it('is the exact amount, to its last part, whatever the sign', () => {
    for (const text of [
      '0',
      '0.005000000000000000000000001',
      '-0.014999999999999999999999999',
      '-1e-27',
      '12345678901.123456789123456789123456789',
      '-0.5',
    ]) {
      expect(formatExact(exactFromColumns(stored(text), 'billed')), text).toBe(formatExact(parseExact(text)));
    }
  });

  it('adds SUMs whose fractions passed a whole step, and counts a NULL part (a SUM over nothing) as 0', () => {
    // Two stored 0.6s summed column by column: nanos 1,200,000,000.
    expect(formatExact(exactFromColumns({ a_units: 0n, a_nanos: 1_200_000_000n, a_atto: 0n, a_ronto: 0n }, 'a'))).toBe(
      '1.2',
    );
    expect(exactFromColumns({ a_units: null, a_nanos: null, a_atto: null, a_ronto: null }, 'a')).toBe(0n);
    expect(formatExact(exactFromColumns({ list_nanos: 5, list_units: 1 }, 'list'))).toBe('1.000000005');
  });

  it('rounds once, half to even, from the exact value: a rebuild truncated to nanos shows another amount', () => {
    // What the overview did: units and nanos, atto cut to whole nanos, ronto dropped.
    const truncated = (row: Record<string, bigint>) =>
      row.billed_units! * 1_000_000_000n + row.billed_nanos! + row.billed_atto! / 1_000_000_000n;
    const cases = [
      // The smallest part alone lifts it over the half cent.
      { text: '0.005000000000000000000000001', shown: '0.01', truncatedShown: '0.00' },
      // Negative: truncating floors toward −∞, onto the half cent, which then rounds away.
      { text: '-0.014999999999999999999999999', shown: '-0.01', truncatedShown: '-0.02' },
      // Exactly halfway at the cent: to even, both ways.
      { text: '0.125', shown: '0.12', truncatedShown: '0.12' },
      { text: '-0.135', shown: '-0.14', truncatedShown: '-0.14' },
    ];
    for (const { text, shown, truncatedShown } of cases) {
      const row = stored(text) as Record<string, bigint>;
      expect(roundToMinorUnit(formatExact(exactFromColumns(row, 'billed')), 'USD'), text).toBe(shown);
      const nanos = truncated(row);
      expect(roundToMinorUnit(formatExact(nanos * 10n ** 18n), 'USD'), text).toBe(truncatedShown);
    }
  });

  it('rounds to nanos for charts with the same half-even rule', () => {
    expect(exactToNanos(parseExact('0.0000000005'))).toBe(0n);
    expect(exactToNanos(parseExact('0.0000000015'))).toBe(2n);
    expect(exactToNanos(parseExact('0.000000000500000000000000001'))).toBe(1n);
    expect(exactToNanos(parseExact('-0.0000000015'))).toBe(-2n);
    expect(exactToNanos(parseExact('-0.000000000499999999999999999'))).toBe(0n);
  });
});
