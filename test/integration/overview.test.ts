import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeOverview, OTHER_SERIES_KEY } from '../../electron/core/costs/overview';
import { importCostFiles } from '../../electron/core/ingest/import';
import { silentLogger } from '../../electron/core/log/logger';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { OverviewSchema } from '../../shared/api/overview';
import { roundToMinorUnit } from '../../shared/display-money';
import { formatNanos, parseDecimalToNanos } from '../../shared/money';
import { writeFocusCsv } from '../support/ingest-fixtures';
import { request } from '../support/ingest-store';
import {
  DEMO_AS_OF,
  demoWorkspace,
  readLinesIndependently,
  sumWhere,
  tempDir,
  type IndependentLine,
} from '../support/workspace';

let workspace: Workspace;
let lines: IndependentLine[];

beforeAll(() => {
  const demo = demoWorkspace();
  workspace = demo.workspace;
  lines = readLinesIndependently(demo.dir);
});
afterAll(() => workspace.close());

const query = (groupBy: 'provider' | 'service', metric: 'billed' | 'effective' = 'billed') =>
  computeOverview(workspace.store.sqlite, { asOf: DEMO_AS_OF, currency: 'USD', groupBy, metric });

describe('overview', () => {
  it('month-to-date and last month equal independent sums of the cost lines', () => {
    const overview = query('provider');
    expect(overview.empty).toBe(false);
    expect(overview.monthToDate).toEqual({
      from: '2026-11-01',
      to: '2026-11-20',
      amount: formatNanos(sumWhere(lines, (l) => l.day >= '2026-11-01' && l.day <= DEMO_AS_OF)),
    });
    expect(overview.lastMonthSamePeriod).toEqual({
      from: '2026-10-01',
      to: '2026-10-20',
      amount: formatNanos(sumWhere(lines, (l) => l.day >= '2026-10-01' && l.day <= '2026-10-20')),
    });
    expect(overview.lastMonth.amount).toBe(formatNanos(sumWhere(lines, (l) => l.day.startsWith('2026-10'))));
  });

  it('effective metric sums effective cost', () => {
    const overview = query('provider', 'effective');
    let expected = 0n;
    for (const l of lines) if (l.day >= '2026-11-01' && l.day <= DEMO_AS_OF) expected += l.effective;
    expect(overview.monthToDate.amount).toBe(formatNanos(expected));
    expect(overview.monthToDate.amount).not.toBe(query('provider').monthToDate.amount);
  });

  it('daily series by provider equal independent per-provider sums over the window', () => {
    const overview = query('provider');
    const from = overview.daily.from;
    expect(from).toBe('2026-10-01');
    expect(overview.daily.days).toHaveLength(51);
    expect(overview.daily.to).toBe('2026-11-20');
    const keys = overview.daily.series.map((s) => s.key).sort();
    expect(keys).toEqual(['aws', 'azure', 'gcp']);
    for (const series of overview.daily.series) {
      const expected = sumWhere(lines, (l) => l.provider === series.key && l.day >= from && l.day <= DEMO_AS_OF);
      expect(series.total, series.key).toBe(formatNanos(expected));
      const fromDays = overview.daily.days.reduce((sum, d) => sum + parseDecimalToNanos(d.amounts[series.key]!), 0n);
      expect(fromDays).toBe(expected);
    }
    for (const day of overview.daily.days) {
      expect(day.total).toBe(formatNanos(sumWhere(lines, (l) => l.day === day.day)));
    }
  });

  it('groups by service with at most 8 series, the rest merged into Other', () => {
    const overview = query('service');
    expect(overview.daily.series).toHaveLength(8);
    const other = overview.daily.series.find((s) => s.key === OTHER_SERIES_KEY)!;
    const named = new Set(overview.daily.series.filter((s) => s.key !== OTHER_SERIES_KEY).map((s) => s.key));
    const expectedOther = sumWhere(lines, (l) => !named.has(l.service) && l.day >= '2026-10-01' && l.day <= DEMO_AS_OF);
    expect(other.total).toBe(formatNanos(expectedOther));
    const totals = overview.daily.series.slice(0, -1).map((s) => parseDecimalToNanos(s.total));
    expect([...totals].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(totals);
  });

  it('top services are ranked by month-to-date with exact change and share', () => {
    const overview = query('provider');
    expect(overview.topServices.length).toBe(10);
    const first = overview.topServices[0]!;
    const mtd = sumWhere(lines, (l) => l.service === first.service && l.day >= '2026-11-01');
    expect(first.monthToDate).toBe(formatNanos(mtd));
    const amounts = overview.topServices.map((s) => parseDecimalToNanos(s.monthToDate));
    expect([...amounts].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(amounts);
    expect(first.sharePct).not.toBeNull();
  });

  it('reports freshness from the data', () => {
    const overview = query('provider');
    expect(overview.freshness.latestChargeDay).toBe('2026-11-20');
    expect(overview.freshness.sources).toEqual([{ name: 'Demo data', kind: 'demo' }]);
    expect(overview.freshness.lastLoadedAt).toMatch(/^2026-11-21T/);
  });

  it('an empty workspace gives an empty, zero overview', async () => {
    const { openWorkspace } = await import('../../electron/core/workspace/workspace');
    const { fixedClock, parseAsOf } = await import('../../electron/core/app/clock');
    const { silentLogger } = await import('../../electron/core/log/logger');
    const { tempDir } = await import('../support/workspace');
    const empty = openWorkspace(tempDir(), {
      clock: fixedClock(parseAsOf(DEMO_AS_OF)),
      create: true,
      logger: silentLogger(),
    });
    try {
      const overview = computeOverview(empty.store.sqlite, {
        asOf: DEMO_AS_OF,
        currency: 'USD',
        groupBy: 'provider',
        metric: 'billed',
      });
      expect(overview.empty).toBe(true);
      expect(overview.monthToDate.amount).toBe('0');
      expect(overview.changePct).toBeNull();
      expect(overview.daily.series).toEqual([]);
      expect(overview.freshness.latestChargeDay).toBeNull();
    } finally {
      empty.close();
    }
  });
});

describe('overview of the demo with an import that spells providers its own way', () => {
  let mixed: Workspace;
  let demoLines: IndependentLine[];

  beforeAll(async () => {
    const demo = demoWorkspace();
    mixed = demo.workspace;
    demoLines = readLinesIndependently(demo.dir);
    // Half a nano-unit under each AWS spelling: a nano only once the two are added before truncating.
    const { file } = writeFocusCsv(tempDir(), 'focus.csv', [
      { day: '2026-11-05', provider: 'AWS', billed: '0.0000000005', resource: 'a' },
      { day: '2026-11-05', provider: 'Amazon Web Services', billed: '0.0000000005', resource: 'b' },
      { day: '2026-11-05', provider: 'Microsoft', service: 'Virtual Machines', billed: '1.25', resource: 'c' },
    ]);
    await importCostFiles(
      { store: mixed.store, audit: mixed.audit, now: () => mixed.clock.now(), logger: silentLogger() },
      request(file),
    );
  });
  afterAll(() => mixed.close());

  const demoSum = (predicate: (l: IndependentLine) => boolean) =>
    sumWhere(demoLines, (l) => l.day >= '2026-10-01' && l.day <= DEMO_AS_OF && predicate(l));

  it('has one series per provider, each the exact sum of every spelling', () => {
    const overview = computeOverview(mixed.store.sqlite, {
      asOf: DEMO_AS_OF,
      currency: 'USD',
      groupBy: 'provider',
      metric: 'billed',
    });
    // Ranked by total; compared in key order.
    expect(overview.daily.series.map((s) => [s.key, s.label]).sort()).toEqual([
      ['aws', 'AWS'],
      ['azure', 'Azure'],
      ['gcp', 'Google Cloud'],
    ]);
    const total = (key: string) => overview.daily.series.find((s) => s.key === key)!.total;
    expect(total('aws')).toBe(formatNanos(demoSum((l) => l.provider === 'aws') + 1n));
    expect(total('azure')).toBe(formatNanos(demoSum((l) => l.provider === 'azure') + 1_250_000_000n));
    const day = overview.daily.days.find((d) => d.day === '2026-11-05')!;
    expect(day.amounts.aws).toBe(
      formatNanos(sumWhere(demoLines, (l) => l.provider === 'aws' && l.day === day.day) + 1n),
    );

    // Top services know the imported providers too (not "other"), one row per service and provider.
    const services = overview.topServices.map((s) => `${s.provider}:${s.service}`);
    expect(services).toContain('azure:Virtual Machines');
    expect(new Set(services).size).toBe(services.length);
    expect(overview.topServices.filter((s) => s.provider === 'other')).toEqual([]);
  });
});

describe('overview amounts are exact, to the smallest stored part', () => {
  let ws: Workspace;

  beforeAll(async () => {
    const { emptyWorkspace } = await import('../support/ingest-store');
    ws = emptyWorkspace().workspace;
    const { file } = writeFocusCsv(tempDir(), 'exact.csv', [
      // 27 decimals: the last digit lives in the smallest stored part (ronto).
      { day: '2026-11-05', service: 'Compute', billed: '0.005000000000000000000000001', resource: 'a' },
      { day: '2026-11-05', service: 'Storage', billed: '0.000000000000000000000000002', resource: 'b' },
      {
        day: '2026-11-05',
        account: 'acct-eur',
        currency: 'EUR',
        billed: '-0.014999999999999999999999999',
        resource: 'c',
      },
      // Exactly halfway at the cent, last month.
      { day: '2026-10-10', service: 'Compute', billed: '0.125', resource: 'd' },
    ]);
    await importCostFiles(
      { store: ws.store, audit: ws.audit, now: () => ws.clock.now(), logger: silentLogger() },
      request(file),
    );
  });
  afterAll(() => ws.close());

  it('keeps every part a truncating rebuild drops, and rounds once for the screen', () => {
    const overview = computeOverview(ws.store.sqlite, {
      asOf: DEMO_AS_OF,
      currency: 'USD',
      groupBy: 'service',
      metric: 'billed',
    });
    expect(OverviewSchema.parse(overview)).toEqual(overview);
    expect(overview.monthToDate.amount).toBe('0.005000000000000000000000003');
    // Truncated to nanos this was 0.005: a tie, shown as $0.00.
    expect(roundToMinorUnit(overview.monthToDate.amount, 'USD')).toBe('0.01');
    expect(overview.topServices.map((s) => [s.service, s.monthToDate])).toEqual([
      ['Compute', '0.005000000000000000000000001'],
      ['Storage', '0.000000000000000000000000002'],
    ]);
    const day = overview.daily.days.find((d) => d.day === '2026-11-05')!;
    expect(day.total).toBe('0.005000000000000000000000003');
    expect(overview.daily.series.find((s) => s.key === 'Storage')!.total).toBe('0.000000000000000000000000002');
    // A negative amount was floored to -0.015 and shown as -$0.02.
    expect(overview.otherCurrencies).toEqual([{ currency: 'EUR', amount: '-0.014999999999999999999999999' }]);
    expect(roundToMinorUnit(overview.otherCurrencies[0]!.amount, 'EUR')).toBe('-0.01');
    expect(overview.lastMonth.amount).toBe('0.125');
    expect(roundToMinorUnit(overview.lastMonth.amount, 'USD')).toBe('0.12');
  });
});
