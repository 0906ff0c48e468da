import { describe, expect, it } from 'vitest';
import { formatDisplayAmount, formatMoney, minorUnitDigits, roundToMinorUnit } from '../../shared/display-money';
import { formatNanos } from '../../shared/money';

describe('minorUnitDigits', () => {
  it('follows ISO 4217, not CLDR', () => {
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KRW')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
    expect(minorUnitDigits('BHD')).toBe(3);
    // CLDR (and so Intl) says 0 for the Iraqi dinar; ISO 4217 says 3.
    expect(minorUnitDigits('IQD')).toBe(3);
    expect(minorUnitDigits('CLF')).toBe(4);
  });
});

describe('roundToMinorUnit', () => {
  it('rounds half to even at the minor unit', () => {
    expect(roundToMinorUnit('0.125', 'USD')).toBe('0.12');
    expect(roundToMinorUnit('0.135', 'USD')).toBe('0.14');
    expect(roundToMinorUnit('2.5', 'JPY')).toBe('2');
    expect(roundToMinorUnit('3.5', 'JPY')).toBe('4');
    expect(roundToMinorUnit('1.0005', 'KWD')).toBe('1.000');
    expect(roundToMinorUnit('1.0015', 'KWD')).toBe('1.002');
  });

  it('rounds once from the exact amount, not through nanos', () => {
    // Through nanos this is 0.005000000, a tie that half-even sends down to 0.00.
    expect(roundToMinorUnit('0.0050000000001', 'USD')).toBe('0.01');
    expect(roundToMinorUnit('0.004999999999999999999999999', 'USD')).toBe('0.00');
  });

  it('keeps source precision amounts honest', () => {
    expect(roundToMinorUnit('5505845.47806672899', 'USD')).toBe('5505845.48');
    expect(roundToMinorUnit('0.0001907906', 'USD')).toBe('0.00');
    expect(roundToMinorUnit('12', 'USD')).toBe('12.00');
  });

  it('rounds negative amounts by magnitude and drops the sign of a zero', () => {
    expect(roundToMinorUnit('-0.125', 'USD')).toBe('-0.12');
    expect(roundToMinorUnit('-0.135', 'USD')).toBe('-0.14');
    expect(roundToMinorUnit('-0.15', 'USD')).toBe('-0.15');
    expect(roundToMinorUnit('-0.004', 'USD')).toBe('0.00');
    expect(roundToMinorUnit('-1234.5', 'JPY')).toBe('-1234');
  });

  it('handles amounts past what a double holds', () => {
    expect(roundToMinorUnit('123456789012345678901234.565', 'USD')).toBe('123456789012345678901234.56');
    expect(roundToMinorUnit('98765432109876543210.5', 'JPY')).toBe('98765432109876543210');
  });
});

describe('formatDisplayAmount', () => {
  it('prints the rounded amount with its currency', () => {
    expect(formatDisplayAmount('5505845.47806672899', 'USD')).toBe('$5,505,845.48');
    expect(formatDisplayAmount('0.0001907906', 'USD')).toBe('$0.00');
    expect(formatDisplayAmount('-0.15', 'USD')).toBe('-$0.15');
    expect(formatDisplayAmount('1234.5', 'JPY')).toBe('¥1,234');
    expect(formatDisplayAmount('1.2345', 'KWD')).toBe('KWD\u00a01.234');
    expect(formatDisplayAmount('123456789012345678901234.565', 'USD')).toBe('$123,456,789,012,345,678,901,234.56');
  });

  it('is the one rounding for formatMoney too (chart axes): ISO 4217 minor units, half to even', () => {
    for (const [nanos, currency] of [
      [1_234_500_000n, 'IQD'],
      [1_235_500_000n, 'KWD'],
      [2_500_000_000n, 'JPY'],
      [125_000_000n, 'USD'],
      [-135_000_000n, 'USD'],
    ] as const) {
      expect(formatMoney({ nanos, currency }), `${nanos} ${currency}`).toBe(
        formatDisplayAmount(formatNanos(nanos), currency),
      );
    }
  });

  it('signs increases when asked', () => {
    expect(formatDisplayAmount('0.5', 'USD', { signDisplay: 'always' })).toBe('+$0.50');
    expect(formatDisplayAmount('-0.5', 'USD', { signDisplay: 'always' })).toBe('-$0.50');
  });
});
