/**
 * The large-tenant FOCUS 1.2 export for the ingest benchmark: accounts × services × days rows, one per
 * account, service and day, streamed to disk in one of two shapes (narrow: 31 columns, 2 tag keys; wide:
 * every FOCUS 1.2 column, 12–20 tag keys). Deterministic, so runs compare; amounts carry up to 10
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
  /**
   * 'narrow' (the default): the 31 columns of FOCUS_COLUMNS, two tag keys. 'wide': every FOCUS 1.2 column
   * (FOCUS_WIDE_COLUMNS, in another order), commitment discounts, 12–20 tag keys: the same rows and BilledCost.
   */
  shape?: 'narrow' | 'wide';
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

export interface GeneratedFocusExport extends GeneratedFocus {
  /** Exact decimal total of EffectiveCost (the narrow shape's equals billedTotal). */
  effectiveTotal: string;
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

// ---------------------------------------------------------------------------------------------------
// The wide shape: every FOCUS 1.2 column, in alphabetical order (not narrow's: readers must find columns
// by name), filled where AWS or Azure exports fill them. Its rows are the narrow rows (same accounts,
// services, days and BilledCost, so the same billedTotal) with the other columns drawn from the row's
// indices, so that another seed keeps every line's identity (resource, SKU price, commitment, pricing
// category, description) and changes only amounts and tags. ChargeClass stays empty (no corrections).

export const FOCUS_WIDE_COLUMNS = [
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingAccountType',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'CapacityReservationId',
  'CapacityReservationStatus',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'CommitmentDiscountUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceId',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingCurrency',
  'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'SkuMeter',
  'SkuPriceDetails',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
];

const TENTHS = 10_000_000_000n;
const AWS_INC = '"Amazon Web Services, Inc."';

/** A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Decimal text of a price with at most 10 decimals, as an integer of 10⁻¹⁰ units. */
function priceTenths(text: string): bigint {
  const [whole, frac = ''] = text.split('.');
  return BigInt(`${whole}${frac.padEnd(10, '0')}`);
}

/** An integer of 10⁻¹⁰ units as decimal text with 10 decimals, as BilledCost is written. */
function tenthsFixed(value: bigint): string {
  return `${value / TENTHS}.${(value % TENTHS).toString().padStart(10, '0')}`;
}

/** A 32-bit integer hash (murmur3's finalizer): stable attributes come from indices, not the seed. */
function mix(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
const hash = (...parts: number[]) => parts.reduce((h, part) => mix(h ^ mix(part + 0x9e3779b9)), 0x2545f491);
const hex = (value: number, digits: number) =>
  value
    .toString(16)
    .padStart(8, '0')
    .slice(8 - digits);
const uuid = (seed: number) =>
  `${hex(hash(0x5a, seed, 1), 8)}-${hex(hash(0x5a, seed, 2), 4)}-4${hex(hash(0x5a, seed, 3), 3)}-a${hex(hash(0x5a, seed, 4), 3)}-${hex(hash(0x5a, seed, 5), 8)}${hex(hash(0x5a, seed, 6), 4)}`;
const pick = <T>(list: readonly T[], value: number): T => list[value % list.length]!;

interface WideSku {
  meter: string;
  /** ChargeDescription. */
  description: string;
  unit: string;
  /** The contracted (billed) unit price. */
  price: string;
  /** SkuPriceDetails, a JSON object. */
  details: Record<string, string | number>;
}

interface WideProfile {
  subcategory: string;
  resourceType: string;
  zonal: boolean;
  /** Days one resource lives before the next takes its place: ResourceIds change with the days. */
  lifetime: number;
  skus: WideSku[];
  name(c: { team: string; app: string; env: string; component: string; h: number }): string;
  resourceId(region: string, sub: string, name: string, h: string): string;
}

const instance = (type: string, price: string, cores: number, memory: number, os = 'Linux'): WideSku => ({
  meter: `BoxUsage:${type}`,
  description: `$${price} per On Demand ${os} ${type} Instance Hour`,
  unit: 'Hours',
  price,
  details: { InstanceType: type, CoreCount: cores, MemorySize: memory, OperatingSystem: os, Tenancy: 'Shared' },
});
const database = (type: string, price: string, cores: number, memory: number, engine: string): WideSku => ({
  meter: `InstanceUsage:${type}`,
  description: `RDS ${engine} ${type} Single-AZ instance hour, $${price}`,
  unit: 'Hours',
  price,
  details: { InstanceType: type, CoreCount: cores, MemorySize: memory, DatabaseEngine: engine },
});
const metered = (
  meter: string,
  description: string,
  unit: string,
  price: string,
  details: WideSku['details'],
): WideSku => ({
  meter,
  description,
  unit,
  price,
  details,
});

/** One profile per ServiceCategory of the narrow services (CATEGORIES). */
const PROFILES: Record<string, WideProfile> = {
  Compute: {
    subcategory: 'Virtual Machines',
    resourceType: 'Instance',
    zonal: true,
    lifetime: 1,
    skus: [
      instance('m5.large', '0.096', 2, 8),
      instance('c6i.xlarge', '0.17', 4, 8),
      instance('r6g.2xlarge', '0.4032', 8, 64),
      instance('m7g.4xlarge', '0.6528', 16, 64),
      instance('m6i.2xlarge', '0.752', 8, 32, 'Windows'),
    ],
    name: (c) => `${c.team}-${c.app}-${c.component}-${hex(c.h, 4)}`,
    resourceId: (region, sub, _name, h) => `arn:aws:ec2:${region}:${sub}:instance/i-0${h}`,
  },
  Storage: {
    subcategory: 'Object Storage',
    resourceType: 'Bucket',
    zonal: false,
    lifetime: 3,
    skus: [
      metered('TimedStorage-ByteHrs', '$0.023 per GB-Month of storage used', 'GB-Months', '0.023', {
        StorageClass: 'Standard',
        Redundancy: 'Regional',
      }),
      metered(
        'TimedStorage-INT-IA-ByteHrs',
        'Intelligent-Tiering Infrequent Access, $0.0125 per GB-Month',
        'GB-Months',
        '0.0125',
        {
          StorageClass: 'Intelligent-Tiering',
          Redundancy: 'Regional',
        },
      ),
      metered(
        'TimedStorage-GIR-ByteHrs',
        'Glacier Instant Retrieval storage, $0.004 per GB-Month',
        'GB-Months',
        '0.004',
        {
          StorageClass: 'Archive',
          Redundancy: 'Regional',
        },
      ),
    ],
    name: (c) => `${c.team}-${c.app}-${c.env}-${hex(c.h, 8)}`,
    resourceId: (_region, _sub, name) => `arn:aws:s3:::${name}`,
  },
  Databases: {
    subcategory: 'Relational Databases',
    resourceType: 'DBInstance',
    zonal: true,
    lifetime: 7,
    skus: [
      database('db.r6g.large', '0.225', 2, 16, 'PostgreSQL'),
      database('db.m6i.xlarge', '0.342', 4, 16, 'MySQL'),
      database('db.r6g.2xlarge', '0.519', 8, 64, 'Aurora PostgreSQL'),
    ],
    name: (c) => `${c.team}-${c.app}-db-${hex(c.h, 6)}`,
    resourceId: (region, sub, name) => `arn:aws:rds:${region}:${sub}:db:${name}`,
  },
  Networking: {
    subcategory: 'Network Connectivity',
    resourceType: 'NatGateway',
    zonal: true,
    lifetime: 1,
    skus: [
      metered('NatGateway-Bytes', '$0.045 per GB Data Processed by NAT Gateways', 'GB', '0.045', { Bandwidth: 45000 }),
      metered('NatGateway-Hours', '$0.045 per NAT Gateway Hour', 'Hours', '0.045', { Bandwidth: 45000 }),
    ],
    name: (c) => `${c.team}-${c.env}-nat-${hex(c.h, 4)}`,
    resourceId: (region, sub, _name, h) => `arn:aws:ec2:${region}:${sub}:natgateway/nat-0${h}`,
  },
  Analytics: {
    subcategory: 'Data Processing',
    resourceType: 'Job',
    zonal: false,
    lifetime: 1,
    skus: [
      metered('ETL-DPU-Hour', '$0.44 per DPU-Hour for AWS Glue ETL job', 'DPU-Hours', '0.44', { WorkerType: 'G.1X' }),
      metered('DataScannedInTB', '$5.00 per TB of data scanned', 'TB', '5', { QueryEngine: 'Athena v3' }),
    ],
    name: (c) => `${c.team}-${c.app}-etl-${hex(c.h, 6)}`,
    resourceId: (region, sub, name) => `arn:aws:glue:${region}:${sub}:job/${name}`,
  },
  'AI and Machine Learning': {
    subcategory: 'Machine Learning',
    resourceType: 'Endpoint',
    zonal: false,
    lifetime: 2,
    skus: [
      metered('ml.g5.xlarge-Hosting', '$1.408 per Hosting ml.g5.xlarge hour', 'Hours', '1.408', {
        InstanceType: 'ml.g5.xlarge',
        CoreCount: 4,
        GpuCount: 1,
        MemorySize: 16,
      }),
      metered('ml.m5.xlarge-Training', '$0.23 per Training ml.m5.xlarge hour', 'Hours', '0.23', {
        InstanceType: 'ml.m5.xlarge',
        CoreCount: 4,
        MemorySize: 16,
      }),
    ],
    name: (c) => `${c.team}-${c.app}-endpoint-${hex(c.h, 6)}`,
    resourceId: (region, sub, name) => `arn:aws:sagemaker:${region}:${sub}:endpoint/${name}`,
  },
};

const APPS = [
  'checkout',
  'search-api',
  'ledger',
  'ingest',
  'reco',
  'mobile-bff',
  'billing',
  'auth',
  'catalog',
  'notify',
];
const ENVS = ['prod', 'prod', 'staging', 'dev'];
const COMPONENTS = ['api', 'worker', 'cache', 'queue', 'frontend', 'batch', 'gateway', 'scheduler'];

interface TagContext {
  a: number;
  s: number;
  h: number;
  team: string;
  app: string;
  env: string;
  component: string;
  name: string;
}

/** Every tagged row carries these; `team` is the key the benchmark's tag query groups by. */
const CORE_TAGS: [string, (c: TagContext) => string][] = [
  ['team', (c) => c.team],
  ['env', (c) => c.env],
  ['cost-center', (c) => `CC-${4000 + ((c.a * 13) % 900)}`],
  ['owner', (c) => `${c.team}.lead${c.a % 7}@example.com`],
  ['app', (c) => c.app],
  ['project', (c) => `prj-${c.team}-${(c.a * 31 + c.s) % 97}`],
];
/** Keys drawn per resource; `version` and `release` (null here) change with the seed, like amounts. */
const OPTIONAL_TAGS: [string, ((c: TagContext) => string) | null][] = [
  ['component', (c) => c.component],
  ['compliance', (c) => pick(['none', 'pci', 'sox', 'hipaa', 'gdpr'], c.a)],
  ['data-class', (c) => pick(['public', 'internal', 'confidential', 'restricted'], c.a + c.s)],
  ['aws:createdBy', (c) => `AssumedRole:AROA${hex(hash(c.a, 0xa7), 8).toUpperCase()}:terraform-${c.team}`],
  ['user:Name', (c) => c.name],
  ['Name', (c) => c.name],
  ['aws:cloudformation:stack-name', (c) => `${c.team}-${c.app}-stack`],
  ['aws:cloudformation:logical-id', (c) => `${c.component.replace(/^./, (x) => x.toUpperCase())}${c.h % 50}`],
  ['aws:autoscaling:groupName', (c) => `${c.team}-${c.app}-asg-${c.h % 9}`],
  ['eks:cluster-name', (c) => `${c.env}-cluster-${c.a % 3}`],
  ['kubernetes.io/service-name', (c) => `${c.app}/${c.component}`],
  ['karpenter.sh/nodepool', (c) => pick(['default', 'gpu', 'spot', 'system'], c.h >>> 3)],
  ['managed-by', (c) => pick(['terraform', 'cloudformation', 'pulumi', 'console'], c.s)],
  ['repo', (c) => `github.com/example/${c.app}`],
  ['business-unit', (c) => pick(['retail', 'wholesale', 'platform', 'corporate'], c.a)],
  ['product', (c) => `${c.app}-${pick(['core', 'plus', 'enterprise'], c.s)}`],
  ['customer', (c) => `cust-${(c.h >>> 5) % 500}`],
  ['tier', (c) => pick(['1', '2', '3'], c.s)],
  ['backup', (c) => pick(['daily', 'weekly', 'none'], c.h >>> 7)],
  ['schedule', (c) => pick(['24x7', 'office-hours', 'weekdays'], c.h >>> 9)],
  ['sla', (c) => pick(['99.9', '99.95', '99.99'], c.s)],
  ['lifecycle', (c) => pick(['active', 'active', 'deprecated', 'sunset'], c.h >>> 11)],
  ['department', (c) => pick(['engineering', 'data-science', 'operations', 'marketing'], c.a)],
  ['budget-code', (c) => `BG-2025-${(c.a * 7) % 100}`],
  ['monitoring', (c) => pick(['datadog', 'cloudwatch', 'none'], c.s + c.a)],
  ['patch-group', (c) => `pg-${(c.h >>> 13) % 6}`],
  ['map-migrated', (c) => `mig${10000 + ((c.a * 37) % 90000)}`],
  ['version', null],
  ['release', null],
  ['created-by', (c) => `${c.team}-ci`],
  ['service', (c) => c.app],
  ['domain', (c) => `${c.app}.internal.example.com`],
  ['expiry', (c) => `2026-${String(1 + ((c.h >>> 15) % 12)).padStart(2, '0')}-01`],
  ['ticket', (c) => `OPS-${(c.h >>> 17) % 10000}`],
];
/** Strides coprime with OPTIONAL_TAGS.length (34), so a start and stride draw distinct keys. */
const STRIDES = [1, 3, 5, 7, 9, 11, 13, 15, 19, 21, 23, 25, 27, 29, 31, 33];

/** What stays the same for one account and service over all days: the CSV text between varying cells. */
interface WidePair {
  a: number;
  s: number;
  profile: WideProfile;
  /** ResourceId changes every `lifetime` days, shifted per pair so resources do not all roll over together. */
  shift: number;
  price: bigint;
  /** Percent of the contracted cost that list prices add (an enterprise discount). */
  listMarkup: bigint;
  /** Percent a commitment discount takes off EffectiveCost; 0n when none covers the pair. */
  savings: bigint;
  /** Whether CommitmentDiscountQuantity is spend (Savings Plan) rather than hours (Reserved Instance). */
  spendCommitment: boolean;
  accountCells: string;
  chargeCells: string;
  commitmentCells: string;
  commitmentStatusCells: string;
  unitCell: string;
  contractedPriceCell: string;
  pricingCells: string;
  listPriceCell: string;
  providerCells: string;
  productCells: string;
  /** The resource of the last row written for this pair. */
  resource: { index: number; zone: string; id: string; name: string; tags: string; version: boolean; release: boolean };
}

function widePair(a: number, s: number, account: FocusRow['account'], service: FocusRow['service']): WidePair {
  const profile = PROFILES[service.category]!;
  const sku = pick(profile.skus, Math.floor(s / CATEGORIES.length));
  const [region, regionName] = account.region;
  const pairHash = hash(a, s);
  // About 20 % of rows: compute under a Savings Plan (per account), databases under a Reserved Instance.
  const commitment =
    (service.category === 'Compute' || service.category === 'Databases') && (a + s) % 5 < 3
      ? service.category === 'Compute'
        ? {
            category: 'Spend',
            id: `arn:aws:savingsplans::${account.id}:savingsplan/${uuid(a)}`,
            name: `${account.name} Compute Savings Plan`,
            type: 'Savings Plan',
            unit: 'USD',
            savings: BigInt(28 + (a % 5) * 2),
          }
        : {
            category: 'Usage',
            id: `arn:aws:rds:${region}:${account.sub}:ri:${account.team}-ri-${hex(pairHash, 8)}`,
            name: `${sku.meter.split(':')[1]} ${String(sku.details.DatabaseEngine)} RI`,
            type: 'Reserved Instance',
            unit: 'Hours',
            savings: BigInt(35 + (s % 4) * 3),
          }
      : null;
  const capacity = service.category === 'Compute' && !commitment && (a * 7 + s) % 13 === 0;
  const price = priceTenths(sku.price);
  const listMarkup = BigInt(pick([0, 3, 5, 7, 10], a));
  const priceText = tenthsFixed(price);
  const listPriceText = tenthsFixed(price + (price * listMarkup) / 100n);
  const skuId = Array.from({ length: 4 }, (_, i) => hex(hash(s, i, 0x5c), 4))
    .join('')
    .toUpperCase();
  const skuPriceId = `${skuId}.${commitment ? '4NA7Y494T4' : 'JRTCKXETXF'}.6YS6EN2CT7`;
  const details = JSON.stringify(sku.details);
  return {
    a,
    s,
    profile,
    shift: pairHash % profile.lifetime,
    price,
    listMarkup,
    savings: commitment?.savings ?? 0n,
    spendCommitment: commitment?.category === 'Spend',
    accountCells: `${account.id},${csvField(account.name)},Billing Account,USD`,
    chargeCells: [
      capacity
        ? `arn:aws:ec2:${region}:${account.sub}:capacity-reservation/cr-0${hex(mix(pairHash), 8)}${hex(pairHash, 8)}`
        : '',
      capacity ? 'Used' : '',
      'Usage',
      '',
      csvField(sku.description),
      'Usage-Based',
    ].join(','),
    commitmentCells: commitment ? `${commitment.category},${commitment.id},${csvField(commitment.name)}` : ',,',
    commitmentStatusCells: commitment ? `Used,${commitment.type},${commitment.unit}` : ',,',
    unitCell: sku.unit,
    contractedPriceCell: priceText,
    pricingCells: `${listPriceText},${commitment ? 'Committed' : 'Standard'},USD,${priceText}`,
    listPriceCell: listPriceText,
    providerCells: `${sku.unit},AWS,${AWS_INC},${region},${csvField(regionName)}`,
    productCells: [
      profile.resourceType,
      service.category,
      service.name,
      profile.subcategory,
      skuId,
      sku.meter,
      csvField(details),
      skuPriceId,
      account.sub,
      csvField(`${account.name} workloads`),
      'Linked Account',
    ].join(','),
    resource: { index: -1, zone: '', id: '', name: '', tags: '', version: false, release: false },
  };
}

/** Points the pair at its resource of resource index `index`: id, name, zone and the tag text's fixed part. */
function wideResource(pair: WidePair, index: number, account: FocusRow['account']): void {
  const { a, s, profile } = pair;
  const h = hash(a, s, index);
  const h2 = mix(h ^ 0x5bd1e995);
  const region = account.region[0];
  const env = pick(ENVS, h >>> 20);
  const component = pick(COMPONENTS, h >>> 24);
  const app = pick(APPS, s);
  const name = profile.name({ team: account.team, app, env, component, h });
  const context: TagContext = { a, s, h, team: account.team, app, env, component, name };
  const cells = CORE_TAGS.map(([key, value]) => `""${key}"":""${value(context)}""`);
  let version = false;
  let release = false;
  const count = 6 + (h2 % 9);
  const start = (h2 >>> 8) % OPTIONAL_TAGS.length;
  const stride = pick(STRIDES, h2 >>> 16);
  for (let i = 0; i < count; i++) {
    const [key, value] = OPTIONAL_TAGS[(start + i * stride) % OPTIONAL_TAGS.length]!;
    if (value) cells.push(`""${key}"":""${value(context)}""`);
    else if (key === 'version') version = true;
    else release = true;
  }
  pair.resource = {
    index,
    zone: profile.zonal ? `${region}${pick(['a', 'b', 'c'], h >>> 4)}` : '',
    id: profile.resourceId(region, account.sub, name, `${hex(h, 8)}${hex(h2, 8)}`),
    name,
    tags: `"{${cells.join(',')}`,
    version,
    release,
  };
}

async function generateWideExport(options: FocusGeneratorOptions): Promise<GeneratedFocusExport> {
  const file = lineFile(options.file, `${FOCUS_WIDE_COLUMNS.join(',')}\n`);
  // A second stream for what the seed varies beyond the narrow rows (tags); the narrow draws stay as they are.
  const next = rng((options.seed ?? 42) ^ 0x6a09e667);
  const pairs: WidePair[] = [];
  let rows = 0;
  let billedTotal = 0n;
  let effectiveTotal = 0n;
  for (const row of focusRows(options)) {
    // focusRows runs days, then accounts, then services: the row's indices follow from its position.
    const s = rows % options.services;
    const a = Math.floor(rows / options.services) % options.accounts;
    const d = Math.floor(rows / (options.services * options.accounts));
    const pair = (pairs[a * options.services + s] ??= widePair(a, s, row.account, row.service));
    const index = Math.floor((d + pair.shift) / pair.profile.lifetime);
    if (pair.resource.index !== index) wideResource(pair, index, row.account);
    const { resource } = pair;

    const billed = row.tenths;
    const effective = billed - (billed * pair.savings) / 100n;
    const list = billed + (billed * pair.listMarkup) / 100n;
    // PricingQuantity at six decimals: BilledCost over the contracted unit price, rounded down.
    const micro = (billed * 1_000_000n) / pair.price;
    const quantity = `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
    const effectiveText = pair.savings === 0n ? row.billed : tenthsFixed(effective);
    const listText = pair.listMarkup === 0n ? row.billed : tenthsFixed(list);
    const commitmentQuantity = pair.savings === 0n ? '' : pair.spendCommitment ? effectiveText : quantity;
    billedTotal += billed;
    effectiveTotal += effective;

    const draw = next();
    let tags = '';
    // About 10 % of rows untagged; two tag values follow the seed, like amounts.
    if ((draw >>> 16) % 10 !== 0) {
      tags = resource.tags;
      if (resource.version) tags += `,""version"":""${1 + (draw >>> 30)}.${(draw >>> 24) & 31}.${(draw >>> 20) & 15}""`;
      if (resource.release) tags += `,""release"":""2025.${1 + ((draw >>> 8) % 12)}""`;
      tags += '}"';
    }
    const line = `${resource.zone},${row.billed},${pair.accountCells},${row.periodEnd},${row.periodStart},${pair.chargeCells},${row.nextDay}T00:00:00Z,${row.day}T00:00:00Z,${pair.commitmentCells},${commitmentQuantity},${pair.commitmentStatusCells},${quantity},${pair.unitCell},${row.billed},${pair.contractedPriceCell},${effectiveText},${row.invoice},${AWS_INC},${listText},${pair.pricingCells},${effectiveText},${pair.listPriceCell},${quantity},${pair.providerCells},${resource.id},${resource.name},${pair.productCells},${tags}\n`;
    rows++;
    if (file.add(line)) await file.flush();
  }
  const bytes = await file.end();
  return { rows, bytes, billedTotal: tenthsText(billedTotal), effectiveTotal: tenthsText(effectiveTotal) };
}

const FLUSH_BYTES = 1 << 20;

/**
 * Streams lines to a file through a byte buffer, counting its bytes. Each line is encoded into the buffer
 * as it comes: appending lines to one long string and encoding that makes V8 flatten a rope of a
 * hundred thousand pieces, which costs about as much as building the lines.
 */
function lineFile(file: string, header: string) {
  const out = fs.createWriteStream(file, { highWaterMark: 4 << 20 });
  let buffer = Buffer.allocUnsafe(2 * FLUSH_BYTES);
  let used = 0;
  let bytes = 0;
  const take = () => {
    const full = buffer.subarray(0, used);
    bytes += used;
    // The stream holds on to the bytes it is given until they are written: never reuse them.
    buffer = Buffer.allocUnsafe(buffer.length);
    used = 0;
    return full;
  };
  const writer = {
    /** Adds a line; true when the buffer is full enough to flush before the next. */
    add(line: string): boolean {
      // A UTF-16 unit takes at most 3 bytes in UTF-8.
      if (used + line.length * 3 > buffer.length) {
        const larger = Buffer.allocUnsafe(2 * (used + line.length * 3));
        buffer.copy(larger, 0, 0, used);
        buffer = larger;
      }
      used += buffer.write(line, used);
      return used >= FLUSH_BYTES;
    },
    async flush(): Promise<void> {
      if (!out.write(take())) await once(out, 'drain');
    },
    /** Writes what is left, closes the file and gives its size. */
    async end(): Promise<number> {
      out.end(take());
      await once(out, 'finish');
      return bytes;
    },
  };
  writer.add(header);
  return writer;
}

/** Writes the large-tenant export in the chosen shape. */
export async function generateFocusExport(options: FocusGeneratorOptions): Promise<GeneratedFocusExport> {
  return options.shape === 'wide' ? generateWideExport(options) : generateNarrowExport(options);
}

async function generateNarrowExport(options: FocusGeneratorOptions): Promise<GeneratedFocusExport> {
  const file = lineFile(options.file, `${FOCUS_COLUMNS.join(',')}\n`);
  let rows = 0;
  // Amounts are integers of 10⁻¹⁰ units: the total is an exact integer sum here.
  let totalTenths = 0n;
  for (const row of focusRows(options)) {
    const { account, service, billed, day, nextDay } = row;
    totalTenths += row.tenths;
    const tags = row.tags ? `"{""team"":""${row.tags.team}"",""env"":""${row.tags.env}""}"` : '';
    const line = `${billed},${billed},${billed},${billed},${account.id},${account.name},USD,${row.periodStart},${row.periodEnd},Usage,,${service.name} usage,Usage-Based,${day}T00:00:00Z,${nextDay}T00:00:00Z,${row.invoice},AWS,"Amazon Web Services, Inc.","Amazon Web Services, Inc.",${account.region[0]},${account.region[1]},arn:aws:svc:${account.region[0]}:${account.sub}:res/${service.sku},${service.name},${service.category},${service.sku},${service.sku}.P1,${account.sub},${account.name} workloads,${service.base}.5,Hours,${tags}\n`;
    rows++;
    if (file.add(line)) await file.flush();
  }
  const bytes = await file.end();
  const billedTotal = tenthsText(totalTenths);
  return { rows, bytes, billedTotal, effectiveTotal: billedTotal };
}
