import { describe, expect, it } from 'vitest';
import { rankCostRows, totalsByCurrency } from '../../shared/cost-table';

const row = (service: string, currency: string, billed: string, effective = billed) => ({
  service,
  currency,
  billed,
  effective,
});

describe('totalsByCurrency', () => {
  it('sums each currency exactly and never across currencies', () => {
    const rows = [
      row('a', 'USD', '0.1'),
      row('b', 'EUR', '5'),
      row('c', 'USD', '0.2'),
      row('d', 'USD', '0.000000000000000000000000001'),
      row('e', 'JPY', '1000'),
    ];
    expect(totalsByCurrency(rows)).toEqual([
      { currency: 'EUR', billed: '5', effective: '5' },
      { currency: 'JPY', billed: '1000', effective: '1000' },
      { currency: 'USD', billed: '0.300000000000000000000000001', effective: '0.300000000000000000000000001' },
    ]);
  });
});

describe('rankCostRows', () => {
  it('orders by amount, largest first, within each currency, with exact shares', () => {
    const rows = [
      row('small', 'USD', '0.54'),
      row('euro', 'EUR', '100'),
      row('credit', 'USD', '-0.15'),
      row('big', 'USD', '3180000.0000000000000000001'),
      row('tie-a', 'USD', '2'),
      row('tie-b', 'USD', '2'),
    ];
    const totals = [
      { currency: 'EUR', billed: '100', effective: '100' },
      { currency: 'USD', billed: '3180004.3900000000000000001', effective: '0' },
    ];
    const ranked = rankCostRows(rows, 'billed', totals);
    expect(ranked.map((r) => r.row.service)).toEqual(['euro', 'big', 'tie-a', 'tie-b', 'small', 'credit']);
    expect(ranked.map((r) => r.sharePct)).toEqual(['100.0', '100.0', '0.0', '0.0', '0.0', '0.0']);
    // A zero total has no shares.
    expect(rankCostRows(rows, 'effective', totals).find((r) => r.row.service === 'big')?.sharePct).toBeNull();
  });

  it('compares amounts beyond a double exactly', () => {
    const rows = [row('a', 'USD', '9007199254740993.01'), row('b', 'USD', '9007199254740993.02')];
    const ranked = rankCostRows(rows, 'billed', totalsByCurrency(rows));
    expect(ranked.map((r) => r.row.service)).toEqual(['b', 'a']);
    expect(ranked.map((r) => r.sharePct)).toEqual(['50.0', '50.0']);
  });
});
