import { addDays, addMonths, eachDay, firstDayOfMonth, lastDayOfMonth, monthOf, weekday } from '../../../shared/dates';
import { splitEvenly } from '../../../shared/money';
import type { Provider } from '../../../shared/api/schemas';

/**
 * Deterministic demo billing data: 13 months of daily costs across AWS, Azure and GCP, with
 * accounts, ~20 services, regions, team/env tags (about a fifth of cost untagged), a weekday
 * pattern, month-end batch spikes, one commitment purchase amortised over a year, and one anomaly.
 * The same as-of day always yields the same rows; amounts are generated as integers (micro-dollars
 * scaled to nanos), so no float ever enters a sum.
 */

export interface DemoCostLine {
  provider: Provider;
  billingAccountId: string;
  billingAccountName: string;
  subAccountId: string;
  subAccountName: string;
  serviceName: string;
  serviceCategory: string;
  region: string;
  resourceId: string | null;
  skuId: string;
  chargeCategory: 'Usage' | 'Purchase';
  chargeClass: null;
  chargeDay: string;
  billingPeriod: string;
  invoiceId: string | null;
  currency: 'USD';
  billedNanos: bigint;
  effectiveNanos: bigint;
  pricingQuantity: string;
  pricingUnit: string;
  tags: Record<string, string>;
}

export interface DemoPlan {
  from: string;
  to: string;
  anomaly: { day: string; provider: Provider; subAccountId: string; serviceName: string; factor: string };
  purchase: { day: string; billed: bigint };
}

interface Account {
  provider: Provider;
  billingAccountId: string;
  billingAccountName: string;
  subAccountId: string;
  subAccountName: string;
  env: string;
}

interface ServiceDef {
  provider: Provider;
  name: string;
  category: string;
  unit: string;
  /** Typical daily cost in micro-dollars for a production account. */
  baseMicros: number;
  /** Weekend share of a weekday's cost (storage is flat, interactive compute dips). */
  weekend: number;
  /** Month-end batch jobs multiply the last day's cost. */
  monthEnd: number;
  teams: readonly string[];
}

const AWS_PAYER = { id: '999900001111', name: 'acme-payer' };
const AZURE_BILLING = { id: 'EA-8812345', name: 'Acme Enterprise Agreement' };
const GCP_BILLING = { id: '01A2B3-C4D5E6-F7A8B9', name: 'Acme GCP Billing' };

const ACCOUNTS: readonly Account[] = [
  {
    provider: 'aws',
    billingAccountId: AWS_PAYER.id,
    billingAccountName: AWS_PAYER.name,
    subAccountId: '111122223333',
    subAccountName: 'acme-prod',
    env: 'prod',
  },
  {
    provider: 'aws',
    billingAccountId: AWS_PAYER.id,
    billingAccountName: AWS_PAYER.name,
    subAccountId: '444455556666',
    subAccountName: 'acme-staging',
    env: 'staging',
  },
  {
    provider: 'aws',
    billingAccountId: AWS_PAYER.id,
    billingAccountName: AWS_PAYER.name,
    subAccountId: '777788889999',
    subAccountName: 'acme-data',
    env: 'prod',
  },
  {
    provider: 'azure',
    billingAccountId: AZURE_BILLING.id,
    billingAccountName: AZURE_BILLING.name,
    subAccountId: '6f1c2a9e-3b7d-4e21-9a55-0c1d2e3f4a5b',
    subAccountName: 'acme-azure-prod',
    env: 'prod',
  },
  {
    provider: 'azure',
    billingAccountId: AZURE_BILLING.id,
    billingAccountName: AZURE_BILLING.name,
    subAccountId: 'b2d4f6a8-1c3e-4a5b-8d7f-9e0a1b2c3d4e',
    subAccountName: 'acme-azure-dev',
    env: 'dev',
  },
  {
    provider: 'gcp',
    billingAccountId: GCP_BILLING.id,
    billingAccountName: GCP_BILLING.name,
    subAccountId: 'acme-analytics',
    subAccountName: 'acme-analytics',
    env: 'prod',
  },
  {
    provider: 'gcp',
    billingAccountId: GCP_BILLING.id,
    billingAccountName: GCP_BILLING.name,
    subAccountId: 'acme-web',
    subAccountName: 'acme-web',
    env: 'prod',
  },
];

const SERVICES: readonly ServiceDef[] = [
  {
    provider: 'aws',
    name: 'Amazon Elastic Compute Cloud',
    category: 'Compute',
    unit: 'Hrs',
    baseMicros: 1_850_000_000,
    weekend: 0.78,
    monthEnd: 1,
    teams: ['platform', 'web', 'payments'],
  },
  {
    provider: 'aws',
    name: 'Amazon Simple Storage Service',
    category: 'Storage',
    unit: 'GB-Mo',
    baseMicros: 420_000_000,
    weekend: 1,
    monthEnd: 1,
    teams: ['data', 'web'],
  },
  {
    provider: 'aws',
    name: 'Amazon Relational Database Service',
    category: 'Databases',
    unit: 'Hrs',
    baseMicros: 760_000_000,
    weekend: 0.95,
    monthEnd: 1,
    teams: ['payments', 'platform'],
  },
  {
    provider: 'aws',
    name: 'AWS Lambda',
    category: 'Compute',
    unit: 'Requests',
    baseMicros: 95_000_000,
    weekend: 0.55,
    monthEnd: 1,
    teams: ['web', 'payments'],
  },
  {
    provider: 'aws',
    name: 'Amazon CloudFront',
    category: 'Networking',
    unit: 'GB',
    baseMicros: 210_000_000,
    weekend: 0.7,
    monthEnd: 1,
    teams: ['web'],
  },
  {
    provider: 'aws',
    name: 'Amazon DynamoDB',
    category: 'Databases',
    unit: 'ReadRequestUnits',
    baseMicros: 130_000_000,
    weekend: 0.8,
    monthEnd: 1,
    teams: ['payments'],
  },
  {
    provider: 'aws',
    name: 'Amazon Elastic Kubernetes Service',
    category: 'Compute',
    unit: 'Hrs',
    baseMicros: 240_000_000,
    weekend: 0.9,
    monthEnd: 1,
    teams: ['platform'],
  },
  {
    provider: 'aws',
    name: 'Amazon Redshift',
    category: 'Analytics',
    unit: 'Hrs',
    baseMicros: 380_000_000,
    weekend: 0.85,
    monthEnd: 4,
    teams: ['data'],
  },
  {
    provider: 'azure',
    name: 'Virtual Machines',
    category: 'Compute',
    unit: '1 Hour',
    baseMicros: 690_000_000,
    weekend: 0.72,
    monthEnd: 1,
    teams: ['platform', 'ml'],
  },
  {
    provider: 'azure',
    name: 'Storage',
    category: 'Storage',
    unit: '1 GB/Month',
    baseMicros: 160_000_000,
    weekend: 1,
    monthEnd: 1,
    teams: ['data'],
  },
  {
    provider: 'azure',
    name: 'Azure SQL Database',
    category: 'Databases',
    unit: '1 Hour',
    baseMicros: 310_000_000,
    weekend: 0.95,
    monthEnd: 1,
    teams: ['payments'],
  },
  {
    provider: 'azure',
    name: 'Azure Kubernetes Service',
    category: 'Compute',
    unit: '1 Hour',
    baseMicros: 220_000_000,
    weekend: 0.9,
    monthEnd: 1,
    teams: ['platform'],
  },
  {
    provider: 'azure',
    name: 'Azure Monitor',
    category: 'Management and Governance',
    unit: '1 GB',
    baseMicros: 60_000_000,
    weekend: 0.8,
    monthEnd: 1,
    teams: ['platform'],
  },
  {
    provider: 'azure',
    name: 'Bandwidth',
    category: 'Networking',
    unit: '1 GB',
    baseMicros: 45_000_000,
    weekend: 0.7,
    monthEnd: 1,
    teams: ['web'],
  },
  {
    provider: 'gcp',
    name: 'Compute Engine',
    category: 'Compute',
    unit: 'hour',
    baseMicros: 540_000_000,
    weekend: 0.75,
    monthEnd: 1,
    teams: ['ml', 'web'],
  },
  {
    provider: 'gcp',
    name: 'BigQuery',
    category: 'Analytics',
    unit: 'tebibyte',
    baseMicros: 330_000_000,
    weekend: 0.6,
    monthEnd: 5,
    teams: ['data', 'ml'],
  },
  {
    provider: 'gcp',
    name: 'Cloud Storage',
    category: 'Storage',
    unit: 'gibibyte month',
    baseMicros: 120_000_000,
    weekend: 1,
    monthEnd: 1,
    teams: ['data'],
  },
  {
    provider: 'gcp',
    name: 'Cloud SQL',
    category: 'Databases',
    unit: 'hour',
    baseMicros: 150_000_000,
    weekend: 0.95,
    monthEnd: 1,
    teams: ['web'],
  },
  {
    provider: 'gcp',
    name: 'Kubernetes Engine',
    category: 'Compute',
    unit: 'hour',
    baseMicros: 200_000_000,
    weekend: 0.85,
    monthEnd: 1,
    teams: ['platform', 'ml'],
  },
  {
    provider: 'gcp',
    name: 'Cloud Run',
    category: 'Compute',
    unit: 'vCPU-second',
    baseMicros: 55_000_000,
    weekend: 0.6,
    monthEnd: 1,
    teams: ['web'],
  },
];

const REGIONS: Record<Provider, readonly string[]> = {
  aws: ['us-east-1', 'eu-west-1'],
  azure: ['eastus', 'westeurope'],
  gcp: ['us-central1', 'europe-west1'],
  other: ['global'],
};

const ENV_SCALE: Record<string, number> = { prod: 1, staging: 0.35, dev: 0.25 };
const UNTAGGED_SHARE = 0.2;
const SAVINGS_PLAN_MICROS = 87_600_000_000; // USD 87,600: a one-year all-upfront compute commitment

/** mulberry32: tiny, fast and identical on every platform (integer ops only). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Workload {
  account: Account;
  service: ServiceDef;
  region: string;
  team: string;
  baseMicros: number;
  monthlyGrowth: number;
  untagged: boolean;
  resourceId: string;
  skuId: string;
}

function buildWorkloads(random: () => number): Workload[] {
  const workloads: Workload[] = [];
  for (const account of ACCOUNTS) {
    for (const service of SERVICES.filter((s) => s.provider === account.provider)) {
      // Not every account runs every service: the data account only runs data services, dev skips some.
      if (account.subAccountName === 'acme-data' && !['Analytics', 'Storage'].includes(service.category)) continue;
      if (account.env !== 'prod' && service.monthEnd > 1) continue;
      const regions = REGIONS[account.provider];
      const regionCount = account.env === 'prod' && service.baseMicros > 300_000_000 ? 2 : 1;
      for (let r = 0; r < regionCount; r++) {
        const region = regions[r]!;
        const team = service.teams[Math.floor(random() * service.teams.length)]!;
        const scale = (ENV_SCALE[account.env] ?? 1) * (r === 0 ? 1 : 0.4) * (0.7 + random() * 0.6);
        const index = workloads.length;
        workloads.push({
          account,
          service,
          region,
          team,
          baseMicros: Math.round(service.baseMicros * scale),
          monthlyGrowth: 1 + (random() * 0.04 - 0.005),
          untagged: false,
          resourceId: resourceIdFor(account, service, region, index),
          skuId: `${account.provider.toUpperCase()}-${service.name
            .replace(/[^A-Za-z]/g, '')
            .slice(0, 12)
            .toUpperCase()}-${region}`,
        });
      }
    }
  }
  // Leave about a fifth of the cost untagged, chosen in a seeded order so the mix looks organic.
  const total = workloads.reduce((sum, w) => sum + w.baseMicros, 0);
  const order = workloads.map((w) => ({ w, key: random() })).sort((a, b) => a.key - b.key);
  let untagged = 0;
  for (const { w } of order) {
    if (untagged + w.baseMicros > total * UNTAGGED_SHARE) continue;
    w.untagged = true;
    untagged += w.baseMicros;
  }
  return workloads;
}

function resourceIdFor(account: Account, service: ServiceDef, region: string, index: number): string {
  const hex = (index * 2654435761).toString(16).padStart(8, '0').slice(-8);
  const slug = service.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  if (account.provider === 'aws') return `arn:aws:${slug}:${region}:${account.subAccountId}:resource/r-${hex}`;
  if (account.provider === 'azure') {
    return `/subscriptions/${account.subAccountId}/resourceGroups/rg-${account.env}/providers/${slug}/res-${hex}`;
  }
  return `//${slug}.googleapis.com/projects/${account.subAccountId}/locations/${region}/res-${hex}`;
}

/** The demo covers 13 calendar months: the 12 before the as-of month and the as-of month up to yesterday. */
export function demoPlan(asOfDay: string): DemoPlan {
  const from = firstDayOfMonth(addMonths(monthOf(asOfDay), -12));
  const to = addDays(asOfDay, -1);
  return {
    from,
    to,
    anomaly: {
      day: addDays(asOfDay, -9),
      provider: 'aws',
      subAccountId: '111122223333',
      serviceName: 'AWS Lambda',
      factor: '6',
    },
    purchase: { day: firstDayOfMonth(addMonths(monthOf(from), 2)), billed: BigInt(SAVINGS_PLAN_MICROS) * 1000n },
  };
}

export function generateDemoCostLines(asOfDay: string, seed = 20_24): { plan: DemoPlan; lines: DemoCostLine[] } {
  const random = seededRandom(seed);
  const plan = demoPlan(asOfDay);
  const workloads = buildWorkloads(random);
  const lines: DemoCostLine[] = [];
  const openMonth = monthOf(asOfDay);
  const days = eachDay(plan.from, plan.to);
  const monthIndex = (day: string) => {
    const [y0, m0] = plan.from.split('-').map(Number) as [number, number];
    const [y, m] = day.split('-').map(Number) as [number, number];
    return (y - y0) * 12 + (m - m0);
  };
  // Growth factor per elapsed month, by repeated multiplication (Math.pow may differ across platforms).
  const growthCache = new Map<Workload, number[]>();
  const growth = (w: Workload, months: number) => {
    let table = growthCache.get(w);
    if (!table) growthCache.set(w, (table = [1]));
    while (table.length <= months) table.push(table[table.length - 1]! * w.monthlyGrowth);
    return table[months]!;
  };

  for (const day of days) {
    const month = monthOf(day);
    const dow = weekday(day);
    const isWeekend = dow === 0 || dow === 6;
    const isMonthEnd = day === lastDayOfMonth(month);
    const invoiceId = month < openMonth ? `INV-${month.replace('-', '')}` : null;
    for (const w of workloads) {
      let factor = growth(w, monthIndex(day)) * (0.93 + random() * 0.14);
      if (isWeekend) factor *= w.service.weekend;
      if (isMonthEnd) factor *= w.service.monthEnd;
      if (
        day === plan.anomaly.day &&
        w.account.subAccountId === plan.anomaly.subAccountId &&
        w.service.name === plan.anomaly.serviceName
      ) {
        factor *= Number(plan.anomaly.factor);
      }
      const micros = Math.max(1, Math.round(w.baseMicros * factor));
      const nanos = BigInt(micros) * 1000n;
      lines.push({
        provider: w.account.provider,
        billingAccountId: w.account.billingAccountId,
        billingAccountName: w.account.billingAccountName,
        subAccountId: w.account.subAccountId,
        subAccountName: w.account.subAccountName,
        serviceName: w.service.name,
        serviceCategory: w.service.category,
        region: w.region,
        resourceId: w.resourceId,
        skuId: w.skuId,
        chargeCategory: 'Usage',
        chargeClass: null,
        chargeDay: day,
        billingPeriod: month,
        invoiceId: invoiceId && `${invoiceId}-${w.account.provider.toUpperCase()}`,
        currency: 'USD',
        billedNanos: nanos,
        effectiveNanos: nanos,
        pricingQuantity: String(Math.max(1, Math.round(micros / 90_000))),
        pricingUnit: w.service.unit,
        tags: w.untagged ? {} : { team: w.team, env: w.account.env },
      });
    }
  }

  // A one-year all-upfront commitment: billed in full on the purchase day, effective cost spread over 365 days.
  const amortisationDays = eachDay(plan.purchase.day, addDays(plan.purchase.day, 364));
  const dailyShares = splitEvenly(plan.purchase.billed, amortisationDays.length);
  const prod = ACCOUNTS[0]!;
  const purchaseBase = {
    provider: prod.provider,
    billingAccountId: prod.billingAccountId,
    billingAccountName: prod.billingAccountName,
    subAccountId: prod.subAccountId,
    subAccountName: prod.subAccountName,
    serviceName: 'Savings Plans for AWS Compute usage',
    serviceCategory: 'Compute',
    region: 'global',
    resourceId: `arn:aws:savingsplans::${prod.subAccountId}:savingsplan/sp-demo-0001`,
    skuId: 'ComputeSP:1yrAllUpfront',
    chargeClass: null,
    currency: 'USD' as const,
    pricingUnit: 'Commitment',
    tags: { team: 'platform', env: 'prod' },
  };
  lines.push({
    ...purchaseBase,
    chargeCategory: 'Purchase',
    chargeDay: plan.purchase.day,
    billingPeriod: monthOf(plan.purchase.day),
    invoiceId: monthOf(plan.purchase.day) < openMonth ? `INV-${monthOf(plan.purchase.day).replace('-', '')}-AWS` : null,
    billedNanos: plan.purchase.billed,
    effectiveNanos: 0n,
    pricingQuantity: '1',
  });
  amortisationDays.forEach((day, i) => {
    if (day > plan.to) return;
    const month = monthOf(day);
    lines.push({
      ...purchaseBase,
      chargeCategory: 'Usage',
      chargeDay: day,
      billingPeriod: month,
      invoiceId: month < openMonth ? `INV-${month.replace('-', '')}-AWS` : null,
      billedNanos: 0n,
      effectiveNanos: dailyShares[i]!,
      pricingQuantity: '1',
    });
  });
  return { plan, lines };
}
