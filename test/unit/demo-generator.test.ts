import { beforeAll, describe, expect, it } from 'vitest';
import { demoPlan, generateDemoCostLines, type DemoCostLine, type DemoPlan } from '../../electron/core/demo/generator';

const AS_OF = '2026-11-21';

/** Days from `from` to `to` inclusive, built with Date.UTC arithmetic (independent of shared/dates). */
function calendarDays(from: string, to: string): string[] {
  const out: string[] = [];
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  for (let i = 0; ; i++) {
    const day = new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
    if (day > to) return out;
    out.push(day);
  }
}

function isWeekend(day: string): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

function sum(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

function groupSum(
  lines: readonly DemoCostLine[],
  key: (l: DemoCostLine) => string,
  value: (l: DemoCostLine) => bigint,
) {
  const out = new Map<string, bigint>();
  for (const l of lines) out.set(key(l), (out.get(key(l)) ?? 0n) + value(l));
  return out;
}

describe('generateDemoCostLines', () => {
  let plan: DemoPlan;
  let lines: DemoCostLine[];

  beforeAll(() => {
    ({ plan, lines } = generateDemoCostLines(AS_OF));
  });

  it('is deterministic for one as-of day', () => {
    const again = generateDemoCostLines(AS_OF);
    expect(again.plan).toEqual(plan);
    expect(again.lines).toHaveLength(lines.length);
    expect(again.lines).toEqual(lines);
  });

  it('covers 13 calendar months up to the day before the as-of day, every day present', () => {
    expect(plan.from).toBe('2025-11-01');
    expect(plan.to).toBe('2026-11-20');
    expect(demoPlan(AS_OF)).toEqual(plan);
    const days = [...new Set(lines.map((l) => l.chargeDay))].sort();
    expect(days[0]).toBe('2025-11-01');
    expect(days[days.length - 1]).toBe('2026-11-20');
    expect(days).toEqual(calendarDays('2025-11-01', '2026-11-20'));
    expect(new Set(days.map((d) => d.slice(0, 7))).size).toBe(13);
    // Every day has usage from every workload, not just a stray line.
    const perDay = groupSum(
      lines.filter((l) => l.chargeCategory === 'Usage' && l.billedNanos > 0n),
      (l) => l.chargeDay,
      () => 1n,
    );
    const counts = new Set(perDay.values());
    expect(perDay.size).toBe(days.length);
    expect(counts.size).toBe(1);
  });

  it('covers a leap-year window too', () => {
    const leap = generateDemoCostLines('2024-03-15');
    expect(leap.plan.from).toBe('2023-03-01');
    expect(leap.plan.to).toBe('2024-03-14');
    const days = [...new Set(leap.lines.map((l) => l.chargeDay))].sort();
    expect(days).toEqual(calendarDays('2023-03-01', '2024-03-14'));
    expect(days).toContain('2024-02-29');
  });

  it('spans three providers with several accounts, about twenty services and several regions', () => {
    const providers = new Set(lines.map((l) => l.provider));
    expect([...providers].sort()).toEqual(['aws', 'azure', 'gcp']);
    const billingAccounts = new Set(lines.map((l) => `${l.provider}/${l.billingAccountId}`));
    expect(billingAccounts.size).toBeGreaterThanOrEqual(3);
    for (const provider of providers) {
      const subs = new Set(lines.filter((l) => l.provider === provider).map((l) => l.subAccountId));
      expect(subs.size, provider).toBeGreaterThanOrEqual(2);
      const regions = new Set(
        lines.filter((l) => l.provider === provider && l.region !== 'global').map((l) => l.region),
      );
      expect(regions.size, provider).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(lines.map((l) => l.subAccountId)).size).toBeGreaterThanOrEqual(7);
    // A sub-account belongs to exactly one billing account.
    const parent = new Map<string, string>();
    for (const l of lines) {
      expect(parent.get(l.subAccountId) ?? l.billingAccountId).toBe(l.billingAccountId);
      parent.set(l.subAccountId, l.billingAccountId);
    }
    const services = new Set(lines.map((l) => l.serviceName));
    expect(services.size).toBeGreaterThanOrEqual(18);
    expect(services.size).toBeLessThanOrEqual(22);
    expect(new Set(lines.map((l) => l.region)).size).toBeGreaterThanOrEqual(6);
  });

  it('leaves between 15% and 25% of billed cost untagged', () => {
    const total = sum(lines.map((l) => l.billedNanos));
    const untagged = sum(lines.filter((l) => Object.keys(l.tags).length === 0).map((l) => l.billedNanos));
    expect(total > 0n).toBe(true);
    expect(untagged * 100n >= total * 15n).toBe(true);
    expect(untagged * 100n <= total * 25n).toBe(true);
    // Tagged lines carry both team and env.
    for (const l of lines) {
      if (Object.keys(l.tags).length > 0) expect(Object.keys(l.tags).sort()).toEqual(['env', 'team']);
    }
  });

  it('costs more per weekday than per weekend day', () => {
    const daily = groupSum(
      lines.filter((l) => l.chargeCategory === 'Usage'),
      (l) => l.chargeDay,
      (l) => l.billedNanos,
    );
    let weekdaySum = 0n;
    let weekdayCount = 0n;
    let weekendSum = 0n;
    let weekendCount = 0n;
    for (const [day, cost] of daily) {
      if (isWeekend(day)) {
        weekendSum += cost;
        weekendCount++;
      } else {
        weekdaySum += cost;
        weekdayCount++;
      }
    }
    expect(weekdayCount > 0n && weekendCount > 0n).toBe(true);
    // weekdaySum / weekdayCount > weekendSum / weekendCount, by cross-multiplication.
    expect(weekdaySum * weekendCount > weekendSum * weekdayCount).toBe(true);
  });

  it.each(['BigQuery', 'Amazon Redshift'])('spikes %s on the last day of every complete month', (service) => {
    const daily = groupSum(
      lines.filter((l) => l.serviceName === service),
      (l) => l.chargeDay,
      (l) => l.billedNanos,
    );
    const months = [...new Set([...daily.keys()].map((d) => d.slice(0, 7)))];
    let checked = 0;
    for (const month of months) {
      const days = [...daily.keys()].filter((d) => d.startsWith(month)).sort();
      const last = days[days.length - 1]!;
      const [y, m] = month.split('-').map(Number) as [number, number];
      const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
      if (last !== monthEnd) continue; // the open month has no month end yet
      const others = days.slice(0, -1).map((d) => daily.get(d)!);
      // last > 2 × average(others)  ⇔  last × n > 2 × Σ others
      expect(daily.get(last)! * BigInt(others.length) > 2n * sum(others), `${service} ${month}`).toBe(true);
      checked++;
    }
    expect(checked).toBe(12);
  });

  it('puts the anomaly on AWS Lambda in the anomaly account: more than 3x the median of the previous 14 days', () => {
    expect(plan.anomaly).toMatchObject({ day: '2026-11-12', provider: 'aws', serviceName: 'AWS Lambda' });
    const daily = groupSum(
      lines.filter(
        (l) =>
          l.provider === plan.anomaly.provider &&
          l.subAccountId === plan.anomaly.subAccountId &&
          l.serviceName === plan.anomaly.serviceName,
      ),
      (l) => l.chargeDay,
      (l) => l.billedNanos,
    );
    const anomaly = daily.get(plan.anomaly.day)!;
    expect(anomaly > 0n).toBe(true);
    const previous = calendarDays('2026-10-29', '2026-11-11').map((d) => daily.get(d)!);
    expect(previous).toHaveLength(14);
    const sorted = [...previous].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    // median = (sorted[6] + sorted[7]) / 2; anomaly > 3 × median  ⇔  2 × anomaly > 3 × (sorted[6] + sorted[7])
    expect(2n * anomaly > 3n * (sorted[6]! + sorted[7]!)).toBe(true);
    // No other day in the window looks like that.
    for (const cost of previous) expect(2n * cost > 3n * (sorted[6]! + sorted[7]!)).toBe(false);
  });

  it('bills one commitment purchase and amortises it evenly from the purchase day', () => {
    const purchases = lines.filter((l) => l.chargeCategory === 'Purchase');
    expect(purchases).toHaveLength(1);
    const purchase = purchases[0]!;
    expect(purchase.chargeDay).toBe(plan.purchase.day);
    expect(purchase.billedNanos).toBe(plan.purchase.billed);
    expect(purchase.billedNanos).toBe(87_600_000_000_000n);
    expect(purchase.effectiveNanos).toBe(0n);

    const amortisation = lines
      .filter((l) => l.chargeCategory === 'Usage' && l.resourceId === purchase.resourceId)
      .sort((a, b) => (a.chargeDay < b.chargeDay ? -1 : 1));
    const lastAmortisedDay = new Date(Date.parse(`${plan.purchase.day}T00:00:00Z`) + 364 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const expectedDays = calendarDays(plan.purchase.day, lastAmortisedDay < plan.to ? lastAmortisedDay : plan.to);
    expect(amortisation.map((l) => l.chargeDay)).toEqual(expectedDays);
    expect(amortisation.every((l) => l.billedNanos === 0n)).toBe(true);

    const shares = amortisation.map((l) => l.effectiveNanos);
    const min = shares.reduce((a, b) => (b < a ? b : a));
    const max = shares.reduce((a, b) => (b > a ? b : a));
    expect(max - min <= 1n).toBe(true);
    const amortised = sum(shares);
    expect(amortised <= plan.purchase.billed).toBe(true);
    // Day i of 365 gets floor(billed / 365) plus one nano for the first (billed mod 365) days, so a
    // full year sums exactly to the purchase.
    const base = plan.purchase.billed / 365n;
    const extra = plan.purchase.billed % 365n;
    shares.forEach((share, i) => expect(share).toBe(base + (BigInt(i) < extra ? 1n : 0n)));
    // The demo window always ends before the year does; if a whole year were in range it must sum exactly.
    if (shares.length === 365) expect(amortised).toBe(plan.purchase.billed);
  });

  it('uses bigint amounts in USD, consistent periods and invoice ids for closed months only', () => {
    for (const l of lines) {
      expect(typeof l.billedNanos).toBe('bigint');
      expect(typeof l.effectiveNanos).toBe('bigint');
      expect(l.currency).toBe('USD');
      expect(l.billingPeriod).toBe(l.chargeDay.slice(0, 7));
      expect(l.billedNanos >= 0n && l.effectiveNanos >= 0n).toBe(true);
      if (l.billingPeriod < '2026-11') expect(l.invoiceId).not.toBeNull();
      else expect(l.invoiceId).toBeNull();
    }
    const usage = lines.filter((l) => l.chargeCategory === 'Usage' && l.billedNanos > 0n);
    expect(usage.every((l) => l.effectiveNanos === l.billedNanos)).toBe(true);
  });
});
