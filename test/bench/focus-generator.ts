/**
 * The large-tenant FOCUS 1.2 export for the ingest benchmark: accounts × services × days rows, one per
 * account, service and day, streamed to disk. Deterministic, so runs compare; amounts carry up to 10
 * decimals (past nano precision) so the exact path is what gets measured.
 */
import fs from 'node:fs';
import { once } from 'node:events';

export interface FocusGeneratorOptions {
  file: string;
  accounts: number;
  services: number;
  days: number;
  /** First charge day, YYYY-MM-DD. */
  start: string;
  /** Another seed gives the same lines (same identities) with other amounts and tags: a restated export. */
  seed?: number;
}

export const FOCUS_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'InvoiceId',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ServiceName',
  'ServiceCategory',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'PricingQuantity',
  'PricingUnit',
  'Tags',
];

const REGIONS: [string, string][] = [
  ['us-east-1', 'US East (N. Virginia)'],
  ['eu-west-1', 'Europe (Ireland)'],
  ['ap-southeast-2', 'Asia Pacific (Sydney)'],
  ['us-west-2', 'US West (Oregon)'],
];
const CATEGORIES = ['Compute', 'Storage', 'Databases', 'Networking', 'Analytics', 'AI and Machine Learning'];
const TEAMS = ['payments', 'search', 'platform', 'data', 'mobile'];

export interface GeneratedFocus {
  rows: number;
  bytes: number;
  /** Exact decimal total of BilledCost, computed while writing (independent of the importer). */
  billedTotal: string;
}

/** 64-bit-free LCG: deterministic and cheap. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

/** One generated row, before it is written as CSV or Parquet. */
export interface FocusRow {
  /** BilledCost (= EffectiveCost = ListCost = ContractedCost) as an integer of 10⁻¹⁰ units. */
  tenths: bigint;
  /** The same amount as decimal text with 10 decimals. */
  billed: string;
  account: { id: string; name: string; sub: string; region: [string, string]; team: string };
  service: { name: string; category: string; sku: string; base: number };
  day: string;
  nextDay: string;
  periodStart: string;
  periodEnd: string;
  invoice: string;
  tags: { team: string; env: string } | null;
}

/** The rows of the large-tenant export in file order, the same for every container that writes them. */
export function* focusRows(options: Omit<FocusGeneratorOptions, 'file'>): Generator<FocusRow> {
  const next = rng(options.seed ?? 42);
  const startMs = Date.parse(`${options.start}T00:00:00Z`);
  const accounts = Array.from({ length: options.accounts }, (_, i) => ({
    id: `${100000000000 + i * 7919}`,
    name: `Account ${i + 1}`,
    sub: `${200000000000 + i * 104729}`,
    region: REGIONS[i % REGIONS.length]!,
    team: TEAMS[i % TEAMS.length]!,
  }));
  const services = Array.from({ length: options.services }, (_, i) => ({
    name: `Service ${String(i + 1).padStart(3, '0')}`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    sku: `SKU${String(i * 31 + 7).padStart(8, '0')}`,
    base: 1 + (i % 17) * 3,
  }));
  for (let d = 0; d < options.days; d++) {
    const day = new Date(startMs + d * 86_400_000).toISOString().slice(0, 10);
    const nextDay = new Date(startMs + (d + 1) * 86_400_000).toISOString().slice(0, 10);
    const month = day.slice(0, 7);
    const periodStart = `${month}-01T00:00:00Z`;
    const periodEndDate = new Date(Date.parse(periodStart));
    periodEndDate.setUTCMonth(periodEndDate.getUTCMonth() + 1);
    const periodEnd = periodEndDate.toISOString().replace('.000Z', 'Z');
    for (const account of accounts) {
      const invoice = `INV-${account.id}-${month}`;
      for (const service of services) {
        const tenths = BigInt(service.base) * 10_000_000_000n + BigInt(next() % 10_000_000_000);
        const whole = tenths / 10_000_000_000n;
        const frac = (tenths % 10_000_000_000n).toString().padStart(10, '0');
        const untagged = (next() & 7) === 0;
        const tags = untagged ? null : { team: account.team, env: (next() & 1) === 0 ? 'prod' : 'dev' };
        yield {
          tenths,
          billed: `${whole}.${frac}`,
          account,
          service,
          day,
          nextDay,
          periodStart,
          periodEnd,
          invoice,
          tags,
        };
      }
    }
  }
}

/** An exact sum of 10⁻¹⁰ units as decimal text without trailing zeros. */
export function tenthsText(total: bigint): string {
  const whole = total / 10_000_000_000n;
  const frac = (total % 10_000_000_000n).toString().padStart(10, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

export async function generateFocusExport(options: FocusGeneratorOptions): Promise<GeneratedFocus> {
  const out = fs.createWriteStream(options.file, { highWaterMark: 4 << 20 });
  out.write(`${FOCUS_COLUMNS.join(',')}\n`);
  let rows = 0;
  let bytes = 0;
  // Amounts are integers of 10⁻¹⁰ units: the total is an exact integer sum here.
  let totalTenths = 0n;
  let chunk = '';
  for (const row of focusRows(options)) {
    const { account, service, billed, day, nextDay } = row;
    totalTenths += row.tenths;
    const tags = row.tags ? `"{""team"":""${row.tags.team}"",""env"":""${row.tags.env}""}"` : '';
    chunk += `${billed},${billed},${billed},${billed},${account.id},${account.name},USD,${row.periodStart},${row.periodEnd},Usage,,${service.name} usage,Usage-Based,${day}T00:00:00Z,${nextDay}T00:00:00Z,${row.invoice},AWS,"Amazon Web Services, Inc.","Amazon Web Services, Inc.",${account.region[0]},${account.region[1]},arn:aws:svc:${account.region[0]}:${account.sub}:res/${service.sku},${service.name},${service.category},${service.sku},${service.sku}.P1,${account.sub},${account.name} workloads,${service.base}.5,Hours,${tags}\n`;
    rows++;
    if (chunk.length > 1 << 20) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.write(chunk);
  out.end();
  await once(out, 'finish');
  return { rows, bytes: bytes + FOCUS_COLUMNS.join(',').length + 1, billedTotal: tenthsText(totalTenths) };
}
