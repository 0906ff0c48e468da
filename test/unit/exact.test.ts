import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXACT_PER_UNIT,
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
