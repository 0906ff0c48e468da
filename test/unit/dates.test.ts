import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayToDate,
  daysBetween,
  daysInMonth,
  eachDay,
  firstDayOfMonth,
  isIsoDay,
  isIsoMonth,
  lastDayOfMonth,
  monthOf,
  sameDayPreviousMonth,
  weekday,
} from '../../shared/dates';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Independent calendar: Gregorian leap-year rule and a month-length table. */
function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
function monthLength(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}
/** The next day by hand: bump the day, roll over month and year. */
function nextDay(day: string): string {
  let [y, m, d] = day.split('-').map(Number) as [number, number, number];
  d++;
  if (d > monthLength(y, m)) {
    d = 1;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

const dayArb = fc
  .record({
    y: fc.integer({ min: 1900, max: 2200 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .filter(({ y, m, d }) => d <= monthLength(y, m))
  .map(({ y, m, d }) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`);

describe('isIsoDay / isIsoMonth', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31', '2026-04-30'])('accepts %s', (day) => {
    expect(isIsoDay(day)).toBe(true);
  });

  it.each([
    '2026-02-30',
    '2026-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-01-00',
    '2026-1-01',
    '2026-01-1',
    '20260101',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01',
    '',
  ])('rejects %j', (day) => {
    expect(isIsoDay(day)).toBe(false);
  });

  it('accepts exactly the days of an independent calendar', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const valid = m >= 1 && m <= 12 && d >= 1 && d <= monthLength(y, m);
          expect(isIsoDay(`${pad(y, 4)}-${pad(m)}-${pad(d)}`)).toBe(valid);
        },
      ),
    );
  });

  it('dayToDate refuses an invalid day and gives UTC midnight otherwise', () => {
    expect(() => dayToDate('2026-02-30')).toThrow(RangeError);
    expect(dayToDate('2026-03-01').toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('isIsoMonth checks the month number', () => {
    expect(isIsoMonth('2026-12')).toBe(true);
    expect(isIsoMonth('2026-01')).toBe(true);
    expect(isIsoMonth('2026-13')).toBe(false);
    expect(isIsoMonth('2026-00')).toBe(false);
    expect(isIsoMonth('2026-1')).toBe(false);
    expect(isIsoMonth('2026-01-01')).toBe(false);
  });
});

describe('addDays / daysBetween / eachDay', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-11-21', -9, '2026-11-12'],
    ['2026-01-01', 364, '2026-12-31'],
    ['2024-01-01', 365, '2024-12-31'],
    ['2026-03-29', 0, '2026-03-29'],
  ])('addDays(%s, %i) = %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });

  it('steps one day exactly like an independent calendar', () => {
    fc.assert(
      fc.property(dayArb, (day) => {
        expect(addDays(day, 1)).toBe(nextDay(day));
        expect(addDays(nextDay(day), -1)).toBe(day);
      }),
      { numRuns: 500 },
    );
  });

  it('addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -2000, max: 2000 }), (day, n) => {
        const later = addDays(day, n);
        expect(isIsoDay(later)).toBe(true);
        expect(daysBetween(day, later)).toBe(n);
        expect(addDays(later, -n)).toBe(day);
      }),
    );
  });

  it('eachDay is inclusive and contiguous', () => {
    expect(eachDay('2024-02-27', '2024-03-01')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(eachDay('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(eachDay('2026-05-05', '2026-05-05')).toEqual(['2026-05-05']);
    expect(eachDay('2026-05-06', '2026-05-05')).toEqual([]);
    expect(eachDay('2025-11-01', '2026-11-20')).toHaveLength(385);
  });

  it('eachDay matches repeated nextDay', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 400 }), (from, n) => {
        const expected = [from];
        while (expected.length <= n) expected.push(nextDay(expected[expected.length - 1]!));
        expect(eachDay(from, expected[expected.length - 1]!)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});

describe('months', () => {
  it.each([
    ['2024-02', 29],
    ['2026-02', 28],
    ['2000-02', 29],
    ['1900-02', 28],
    ['2026-01', 31],
    ['2026-04', 30],
    ['2026-12', 31],
  ])('daysInMonth(%s) = %i', (month, expected) => {
    expect(daysInMonth(month)).toBe(expected);
  });

  it('lastDayOfMonth, firstDayOfMonth and monthOf', () => {
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2026-09')).toBe('2026-09-30');
    expect(firstDayOfMonth('2026-09')).toBe('2026-09-01');
    expect(monthOf('2026-09-17')).toBe('2026-09');
  });

  it.each([
    ['2026-05', 0, '2026-05'],
    ['2026-11', 1, '2026-12'],
    ['2026-12', 1, '2027-01'],
    ['2026-11', 14, '2028-01'],
    ['2026-01', -1, '2025-12'],
    ['2026-03', -27, '2023-12'],
    ['2026-11', -12, '2025-11'],
    ['2025-12', -24, '2023-12'],
  ])('addMonths(%s, %i) = %s', (month, n, expected) => {
    expect(addMonths(month, n)).toBe(expected);
  });

  it('addMonths agrees with stepping one month at a time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1950, max: 2150 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: -600, max: 600 }),
        (y0, m0, n) => {
          let y = y0;
          let m = m0;
          for (let i = 0; i < Math.abs(n); i++) {
            m += Math.sign(n);
            if (m === 13) [y, m] = [y + 1, 1];
            if (m === 0) [y, m] = [y - 1, 12];
          }
          expect(addMonths(`${y0}-${pad(m0)}`, n)).toBe(`${y}-${pad(m)}`);
        },
      ),
    );
  });

  it.each([
    ['2026-03-31', '2026-02-28'],
    ['2024-03-30', '2024-02-29'],
    ['2024-03-31', '2024-02-29'],
    ['2026-05-31', '2026-04-30'],
    ['2026-12-31', '2026-11-30'],
    ['2026-01-15', '2025-12-15'],
    ['2026-01-31', '2025-12-31'],
    ['2026-03-28', '2026-02-28'],
  ])('sameDayPreviousMonth(%s) = %s', (day, expected) => {
    expect(sameDayPreviousMonth(day)).toBe(expected);
  });
});

describe('weekday', () => {
  it.each([
    ['1970-01-01', 4],
    ['2000-01-01', 6],
    ['2024-02-29', 4],
    ['2026-01-01', 4],
    ['2026-11-21', 6],
    ['2026-11-22', 0],
    ['2026-11-23', 1],
  ])('weekday(%s) = %i', (day, expected) => {
    expect(weekday(day)).toBe(expected);
  });

  it('advances by one each day, modulo 7', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -1000, max: 1000 }), (day, n) => {
        expect(weekday(addDays(day, n))).toBe((((weekday(day) + n) % 7) + 7) % 7);
      }),
    );
  });
});
