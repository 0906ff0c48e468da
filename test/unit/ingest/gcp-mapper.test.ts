import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetWriteFile, type SchemaElement } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_PLACEHOLDER_ACCOUNT, gcpMapper } from '../../../electron/core/ingest/formats/gcp';
import { RowError, type NormalizedLine } from '../../../electron/core/ingest/model';
import { openSource } from '../../../electron/core/ingest/readers';
import { decimalSum } from '../../support/decimal';
import { DATASETS, dataset, datasetsPresent, exactSum, mapFile, rawCsvRows } from '../../support/ingest';

type Line = NormalizedLine & { position: number };

async function columnsOf(file: string): Promise<string[]> {
  const source = await openSource(file);
  await source.close();
  return source.columns;
}

/** Maps a file until the first RowError and reports it with the record's position (what the pipeline adds). */
async function firstRowError(file: string): Promise<{ position: number; error: RowError } | null> {
  const source = await openSource(file);
  const compiled = gcpMapper.compile(source.columns, { fileName: path.basename(file) });
  try {
    for await (const record of source.records) {
      try {
        compiled.map(record.values);
      } catch (error) {
        if (error instanceof RowError) return { position: record.position, error };
        throw error;
      }
    }
    return null;
  } finally {
    await source.close();
  }
}

const sum = (values: string[]) => (values.length === 0 ? '0' : decimalSum(values));
const byCategory = (lines: readonly Line[], category: string) =>
  lines.filter((line) => line.chargeCategory === category);
const notCredits = (lines: readonly Line[]) => lines.filter((line) => line.chargeCategory !== 'Credit');

/** A line's identity as the pipeline may build it: the line's own attributes plus the discriminator. */
const identity = (line: NormalizedLine) =>
  [
    line.billingAccountId,
    line.subAccountId,
    line.serviceName,
    line.skuId,
    line.chargePeriodStart,
    line.region,
    line.resourceId,
    line.chargeCategory,
    line.billingPeriod,
    line.discriminator,
  ].join('|');

describe.skipIf(!datasetsPresent)('gcp mapper: koku BigQuery CSV exports', () => {
  const kokuFiles = datasetsPresent
    ? fs
        .readdirSync(dataset('koku/gcp'))
        .filter((name) => name.endsWith('.csv'))
        .sort()
    : [];

  it('finds the five koku GCP files', () => {
    expect(kokuFiles).toEqual([
      '202011_30c31bca571d9b7f3b2c8459dd8bc34a_2020-11-08_2020-11-11.csv',
      '2022-08-01_5.csv',
      '2024-03-01_5.csv',
      'evidence-2019-06-03.csv',
      'tmp_example.csv',
    ]);
  });

  for (const name of kokuFiles) {
    it(`${name}: detected, and every cost and credit lands once`, async () => {
      const file = dataset(`koku/gcp/${name}`);
      expect(gcpMapper.detect(await columnsOf(file))).toBeGreaterThan(0.9);

      const raw = rawCsvRows(file);
      const costs = raw.map((row) => row.cost ?? '');
      // Credit amounts straight from the Python-repr text, independently of the mapper's parser.
      const creditAmounts = raw.flatMap((row) =>
        [...(row.credits ?? '').matchAll(/['"]amount['"]:\s*([-+0-9.eE]+)/g)].map((match) => match[1]!),
      );
      const { variant, lines } = await mapFile(file, gcpMapper);
      expect(variant).toMatch(/^Google Cloud BigQuery export/);
      expect(lines).toHaveLength(raw.length + creditAmounts.length);
      expect(notCredits(lines)).toHaveLength(raw.length);

      // billed: usage lines carry cost, credit lines the credits; the file total is the invoice total.
      expect(exactSum(notCredits(lines), (line) => line.billedCost)).toBe(sum(costs));
      expect(exactSum(byCategory(lines, 'Credit'), (line) => line.billedCost)).toBe(sum(creditAmounts));
      expect(exactSum(lines, (line) => line.billedCost)).toBe(sum([...costs, ...creditAmounts]));
      expect(exactSum(lines, (line) => line.effectiveCost)).toBe(sum([...costs, ...creditAmounts]));

      for (const line of lines) {
        // One physical line per record in these files: header on line 1.
        const row = raw[line.position - 2]!;
        expect(line.provider).toBe('Google Cloud');
        expect(line.billingAccountId).toBe(row.billing_account_id);
        expect(line.subAccountId).toBe(row['project.id']);
        expect(line.subAccountName).toBe(row['project.name']);
        expect(line.serviceName).toBe(row['service.description']);
        expect(line.skuId).toBe(row['sku.id']);
        expect(line.chargeDay).toBe(row.usage_start_time!.slice(0, 10));
        expect(line.chargePeriodStart).toBe(`${row.usage_start_time!.slice(0, 19).replace(' ', 'T')}Z`);
        expect(line.billingPeriod).toBe(`${row['invoice.month']!.slice(0, 4)}-${row['invoice.month']!.slice(4)}`);
        expect(line.region).toBe(row['location.region'] || row['location.location'] || null);
        expect(line.currency).toBe('USD');
        if (line.chargeCategory !== 'Credit') {
          expect(line.chargeCategory).toBe('Usage');
          expect(line.pricingQuantity).toBe(row['usage.amount_in_pricing_units']);
          expect(line.pricingUnit).toBe(row['usage.pricing_unit']);
          expect(line.chargeDescription).toBe(row['sku.description']);
        }
      }
      // Standard exports repeat a SKU-hour with other labels or a later export_time: all stay distinct.
      expect(new Set(lines.map(identity)).size).toBe(lines.length);
    });
  }

  it('evidence-2019-06-03.csv: 38 FreeTrial PROMOTION credits become Credit lines that are not rate discounts', async () => {
    const file = dataset('koku/gcp/evidence-2019-06-03.csv');
    const raw = rawCsvRows(file);
    const { lines } = await mapFile(file, gcpMapper);
    const credits = byCategory(lines, 'Credit');
    expect(raw.filter((row) => row.credits !== '[]')).toHaveLength(38);
    expect(credits).toHaveLength(38);
    for (const credit of credits) {
      const row = raw[credit.position - 2]!;
      expect(row.credits).toContain("'type': 'PROMOTION'");
      expect(credit.chargeDescription).toBe('FreeTrial:Credit-018984-D0AAA4-940B88');
      expect(credit.discriminator).toContain('PROMOTION');
      expect(credit.discriminator).toContain('FreeTrial:Credit-018984-D0AAA4-940B88');
      // A promotion is money, not a price: effective follows billed on both lines.
      expect(credit.effectiveCost).toBe(credit.billedCost);
      const usage = lines.find((line) => line.position === credit.position && line.chargeCategory === 'Usage')!;
      expect(usage.effectiveCost).toBe(usage.billedCost);
      expect(usage.billedCost + credit.billedCost).toBe(0n);
      expect(credit.pricingQuantity).toBeNull();
    }
    // The trial covered everything: the invoice total is zero.
    expect(exactSum(lines, (line) => line.billedCost)).toBe('0');
    expect(exactSum(notCredits(lines), (line) => line.billedCost)).toBe(decimalSum(raw.map((row) => row.cost!)));
    const labelled = lines.filter((line) => line.tags['goog-resource-type']);
    expect(labelled.filter((line) => line.chargeCategory === 'Usage')).toHaveLength(
      raw.filter((row) => row.labels!.includes('goog-resource-type')).length,
    );
  });

  it('tmp_example.csv: labels and project labels become tags; system labels do not', async () => {
    const file = dataset('koku/gcp/tmp_example.csv');
    const raw = rawCsvRows(file);
    const { lines } = await mapFile(file, gcpMapper);
    for (const line of lines) {
      const row = raw[line.position - 2]!;
      const expected: Record<string, string> = {};
      for (const match of `${row['project.labels']}${row.labels}`.matchAll(/'key': '([^']*)', 'value': '([^']*)'/g)) {
        expected[match[1]!] = match[2]!;
      }
      expect(line.tags).toEqual(expected);
    }
    expect(lines.filter((line) => line.tags.vm_key_proj2 === 'vm_label_proj2')).toHaveLength(110);
    expect(lines.filter((line) => line.tags.foo === 'bar')).toHaveLength(169);
    expect(lines.some((line) => Object.keys(line.tags).some((key) => key.startsWith('compute.googleapis.com')))).toBe(
      false,
    );
    const services = new Map<string, number>();
    for (const line of lines) services.set(line.serviceName, (services.get(line.serviceName) ?? 0) + 1);
    const rawServices = new Map<string, number>();
    for (const row of raw) {
      rawServices.set(row['service.description']!, (rawServices.get(row['service.description']!) ?? 0) + 1);
    }
    expect(services).toEqual(rawServices);
  });

  it('2024-03-01_5.csv spans two invoice months', async () => {
    const { lines } = await mapFile(dataset('koku/gcp/2024-03-01_5.csv'), gcpMapper);
    expect(lines.map((line) => line.billingPeriod)).toEqual([
      '2024-02',
      '2024-02',
      '2024-02',
      '2024-03',
      '2024-03',
      '2024-03',
    ]);
    expect(new Set(lines.map((line) => line.chargeDay))).toEqual(new Set(['2024-02-01', '2024-03-01']));
  });

  it('2022-08-01_5.csv is a detailed export: resource name and global name', async () => {
    const { variant, lines } = await mapFile(dataset('koku/gcp/2022-08-01_5.csv'), gcpMapper);
    expect(variant).toBe('Google Cloud BigQuery export (detailed)');
    for (const line of lines) {
      expect(line.resourceId).toBe('//example');
      expect(line.resourceName).toBe('instance-1');
      expect(line.chargePeriodEnd > line.chargePeriodStart).toBe(true);
    }
  });
});

describe.skipIf(!datasetsPresent)('gcp mapper: legacy daily JSON file export', () => {
  const folder = 'gcp-legacy-billing-export/exports';
  const files = datasetsPresent
    ? fs
        .readdirSync(dataset(folder))
        .filter((name) => name.endsWith('.json'))
        .sort()
    : [];
  interface LegacyItem {
    lineItemId: string;
    startTime: string;
    projectNumber?: string;
    cost: { amount: string; currency: string };
  }
  const rawOf = (name: string) => JSON.parse(fs.readFileSync(dataset(`${folder}/${name}`), 'utf8')) as LegacyItem[];

  it('maps all 105 files: one line per item, totals equal to the raw amounts', async () => {
    expect(files).toHaveLength(105);
    let empty = 0;
    for (const name of files) {
      const file = dataset(`${folder}/${name}`);
      const raw = rawOf(name);
      const { lines } = await mapFile(file, gcpMapper);
      expect(lines, name).toHaveLength(raw.length);
      if (raw.length === 0) {
        empty++;
        continue;
      }
      expect(gcpMapper.detect(await columnsOf(file)), name).toBeGreaterThan(0.9);
      expect(
        exactSum(lines, (line) => line.billedCost),
        name,
      ).toBe(decimalSum(raw.map((item) => item.cost.amount)));
      lines.forEach((line) => {
        const item = raw[line.position - 1]!;
        expect(line.skuId).toBe(item.lineItemId);
        expect(line.chargePeriodStart).toBe(item.startTime);
        expect(line.chargeDay).toBe(item.startTime.slice(0, 10));
        expect(line.billingPeriod).toBe(item.startTime.slice(0, 7));
        expect(line.subAccountId).toBe(item.projectNumber ?? null);
        expect(line.billingAccountId).toBe(LEGACY_PLACEHOLDER_ACCOUNT);
        expect(line.effectiveCost).toBe(line.billedCost);
      });
    }
    expect(empty).toBe(2);
  });

  it('google-platform-demo-*: the 56-day total equals an independent sum of cost.amount', async () => {
    const demo = files.filter((name) => name.startsWith('google-platform-demo-'));
    expect(demo).toHaveLength(56);
    const lines: Line[] = [];
    const amounts: string[] = [];
    for (const name of demo) {
      lines.push(...(await mapFile(dataset(`${folder}/${name}`), gcpMapper)).lines);
      amounts.push(...rawOf(name).map((item) => item.cost.amount));
    }
    expect(lines).toHaveLength(amounts.length);
    expect(exactSum(lines, (line) => line.billedCost)).toBe(decimalSum(amounts));
    expect(new Set(lines.map((line) => line.chargeDay)).size).toBe(56);
    expect(new Set(lines.map((line) => line.serviceName))).toEqual(
      new Set(['Compute Engine', 'Cloud Storage', 'Cloud SQL', 'BigQuery', 'Prediction API']),
    );
  });

  it('upstream oracle: Compute Engine totals of two days', async () => {
    // Stated in googlearchive/billing-export-python test/test.py (testTotalDifferenceAlert).
    const computeTotal = async (name: string) => {
      const { lines } = await mapFile(dataset(`${folder}/${name}`), gcpMapper);
      return exactSum(
        lines.filter((line) => line.serviceName === 'Compute Engine'),
        (line) => line.billedCost,
      );
    };
    expect(await computeTotal('google-platform-demo-2014-02-03.json')).toBe('167.330166');
    expect(await computeTotal('google-platform-demo-2014-02-04.json')).toBe('184.935689');
  });

  it('uses a billing account from the defaults, keeps the Pacific offset and reads the measurement', async () => {
    const { lines } = await mapFile(dataset(`${folder}/google-platform-demo-2014-02-03.json`), gcpMapper, {
      billingAccountId: '00AAAA-BBBBBB-CCCCCC',
    });
    expect(new Set(lines.map((line) => line.billingAccountId))).toEqual(new Set(['00AAAA-BBBBBB-CCCCCC']));
    const first = lines[0]!;
    expect(first.chargePeriodStart).toBe('2014-02-02T00:00:00-08:00');
    expect(first.chargePeriodEnd).toBe('2014-02-03T00:00:00-08:00');
    expect(first.chargeDay).toBe('2014-02-02');
    expect(first.provider).toBe('Google Cloud');
    expect(first.serviceName).toBe('BigQuery');
    expect(first.chargeDescription).toBe('Analysis');
    expect(first.pricingQuantity).toBe('35877027840');
    expect(first.pricingUnit).toBe('bytes');
  });

  it('the one line without a projectNumber maps with no sub-account', async () => {
    const all: Line[] = [];
    for (const name of files) all.push(...(await mapFile(dataset(`${folder}/${name}`), gcpMapper)).lines);
    const orphans = all.filter((line) => line.subAccountId === null);
    expect(orphans).toHaveLength(1);
    expect(orphans[0]!.serviceName).toBe('Prediction API');
    expect(orphans[0]!.chargeDescription).toBe('FixedMonthlyFee');
  });
});

describe.skipIf(!datasetsPresent)('gcp mapper: detection against other formats', () => {
  it('scores 0 on every FOCUS, CUR and Azure file in the datasets', async () => {
    const files: string[] = [];
    const walk = (folder: string) => {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(csv|csv\.gz|parquet)$/.test(entry.name) && !full.includes(`${path.sep}gcp${path.sep}`)) {
          files.push(full);
        }
      }
    };
    walk(DATASETS);
    expect(files.length).toBeGreaterThan(20);
    let checked = 0;
    for (const file of files) {
      let columns: string[];
      try {
        columns = await columnsOf(file);
      } catch {
        continue; // unreadable files are the readers' tests' business
      }
      checked++;
      expect(gcpMapper.detect(columns), path.relative(DATASETS, file)).toBe(0);
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('scores 0 on FOCUS columns even beside GCP-like names', () => {
    expect(
      gcpMapper.detect([
        'BilledCost',
        'BillingAccountId',
        'ChargePeriodStart',
        'SkuId',
        'ServiceName',
        'x_usage_start_time',
        'cost',
      ]),
    ).toBe(0);
    expect(gcpMapper.detect([])).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Fixtures written at run time: the same BigQuery rows as nested JSON Lines, nested Parquet, flattened
// Parquet and a koku-style flattened CSV must map to the same lines.

interface BqRow {
  billing_account_id: string;
  service: { id: string; description: string };
  sku: { id: string; description: string };
  usage_start_time: string;
  usage_end_time: string;
  project: { id: string | null; name: string | null; labels: { key: string; value: string }[] };
  labels: { key: string; value: string }[];
  system_labels: { key: string; value: string }[];
  location: { location: string | null; country: string | null; region: string | null; zone: string | null };
  resource: { name: string | null; global_name: string | null };
  export_time: string;
  cost: number;
  currency: string;
  usage: { amount: number; unit: string; amount_in_pricing_units: number; pricing_unit: string };
  credits: { name: string; amount: number; full_name: string | null; id: string; type: string }[];
  invoice: { month: string };
  cost_type: string;
  adjustment_info: { id: string | null; description: string | null };
}

const base: BqRow = {
  billing_account_id: '01AB23-CD45EF-678901',
  service: { id: '6F81-5844-456A', description: 'Compute Engine' },
  sku: { id: 'CF4E-A0C7-E3BF', description: 'N1 Predefined Instance Core running in Americas' },
  usage_start_time: '2024-02-29T23:00:00Z',
  usage_end_time: '2024-03-01T00:00:00Z',
  project: { id: 'shop-prod', name: 'Shop (prod)', labels: [{ key: 'team', value: 'platform' }] },
  labels: [
    { key: 'team', value: 'checkout' },
    { key: 'owner', value: "o'brien" },
  ],
  system_labels: [{ key: 'compute.googleapis.com/machine_spec', value: 'n1-standard-4' }],
  location: { location: 'us-central1', country: 'US', region: 'us-central1', zone: 'us-central1-a' },
  resource: {
    name: 'web-1',
    global_name: '//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/1',
  },
  export_time: '2024-03-01T04:12:33.125Z',
  cost: 0.19,
  currency: 'USD',
  usage: { amount: 14400, unit: 'seconds', amount_in_pricing_units: 4, pricing_unit: 'hour' },
  credits: [
    {
      name: 'Sustained Usage Discount',
      amount: -0.038,
      full_name: null,
      id: 'SustainedUsageDiscount:123',
      type: 'SUSTAINED_USAGE_DISCOUNT',
    },
    {
      name: 'Committed use discount: CPU',
      amount: -0.1,
      full_name: 'Committed use discount: CPU',
      id: 'projects/shop-prod/regions/us-central1/commitments/cud-1',
      type: 'COMMITTED_USAGE_DISCOUNT',
    },
    { name: 'Spring promo', amount: -0.02, full_name: null, id: 'Promo:9', type: 'PROMOTION' },
  ],
  invoice: { month: '202403' },
  cost_type: 'regular',
  adjustment_info: { id: null, description: null },
};

const fixtureRows: BqRow[] = [
  base,
  // Same SKU-hour, other labels (standard exports split rows this way): a separate line.
  { ...base, labels: [{ key: 'team', value: 'search' }], cost: 0.05, credits: [] },
  // Same SKU-hour and labels, appended by a later export: a separate line.
  { ...base, export_time: '2024-03-01T09:00:00Z', cost: 1.5e-7, credits: [] },
  {
    ...base,
    service: { id: 'invoice', description: 'Invoice' },
    sku: { id: 'tax-us', description: 'Tax' },
    project: { id: null, name: null, labels: [] },
    labels: [],
    system_labels: [],
    location: { location: null, country: null, region: null, zone: null },
    resource: { name: null, global_name: null },
    cost: 1.25,
    usage: { amount: 0, unit: 'requests', amount_in_pricing_units: 0, pricing_unit: 'requests' },
    credits: [],
    cost_type: 'tax',
  },
  {
    ...base,
    cost: -0.4,
    credits: [],
    cost_type: 'adjustment',
    adjustment_info: { id: 'adj-77', description: 'Billing correction' },
  },
  { ...base, cost: 0.000001, credits: [], cost_type: 'rounding_error', labels: [], system_labels: [] },
  {
    ...base,
    usage_start_time: '2024-02-01T03:00:00Z',
    usage_end_time: '2024-02-01T04:00:00Z',
    invoice: { month: '202402' },
    credits: [
      { name: 'Free Tier', amount: -0.003, full_name: null, id: 'FreeTier:1', type: 'FREE_TIER' },
      // Two entries for one credit add up to one Credit line.
      { name: 'Free Tier', amount: -0.002, full_name: null, id: 'FreeTier:1', type: 'FREE_TIER' },
    ],
  },
];

/** BigQuery's JSON export writes timestamps as "2024-02-29 23:00:00 UTC". */
const bigQueryTime = (iso: string) => iso.replace('T', ' ').replace('Z', ' UTC');
/** koku's pandas CSV writes "2024-02-29 23:00:00.125000+00:00". */
const pandasTime = (iso: string) => {
  const [stamp, fraction = ''] = iso.replace('Z', '').split('.');
  return `${stamp!.replace('T', ' ')}${fraction ? `.${fraction.padEnd(6, '0')}` : ''}+00:00`;
};
/** Python repr of JSON-like values, as koku's CSVs hold credits and labels. */
function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    return `${quote}${value.replace(/\\/g, '\\\\').replaceAll(quote, `\\${quote}`)}${quote}`;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`)
    .join(', ')}}`;
}
const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

const CSV_COLUMNS: [string, (row: BqRow) => unknown][] = [
  ['billing_account_id', (row) => row.billing_account_id],
  ['service.id', (row) => row.service.id],
  ['service.description', (row) => row.service.description],
  ['sku.id', (row) => row.sku.id],
  ['sku.description', (row) => row.sku.description],
  ['usage_start_time', (row) => pandasTime(row.usage_start_time)],
  ['usage_end_time', (row) => pandasTime(row.usage_end_time)],
  ['project.id', (row) => row.project.id],
  ['project.name', (row) => row.project.name],
  ['project.labels', (row) => pythonRepr(row.project.labels)],
  ['labels', (row) => pythonRepr(row.labels)],
  ['system_labels', (row) => pythonRepr(row.system_labels)],
  ['location.location', (row) => row.location.location],
  ['location.country', (row) => row.location.country],
  ['location.region', (row) => row.location.region],
  ['location.zone', (row) => row.location.zone],
  ['export_time', (row) => pandasTime(row.export_time)],
  ['cost', (row) => row.cost],
  ['currency', (row) => row.currency],
  ['usage.amount', (row) => row.usage.amount],
  ['usage.unit', (row) => row.usage.unit],
  ['usage.amount_in_pricing_units', (row) => row.usage.amount_in_pricing_units],
  ['usage.pricing_unit', (row) => row.usage.pricing_unit],
  ['credits', (row) => pythonRepr(row.credits)],
  ['invoice.month', (row) => row.invoice.month],
  ['cost_type', (row) => row.cost_type],
  ['resource.name', (row) => row.resource.name],
  ['resource.global_name', (row) => row.resource.global_name],
  ['adjustment_info.id', (row) => row.adjustment_info.id],
  ['adjustment_info.description', (row) => row.adjustment_info.description],
];

function writeCsv(file: string, rows: BqRow[]): void {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const row of rows) {
    lines.push(CSV_COLUMNS.map(([, pick]) => csvField(pick(row) === null ? '' : String(pick(row)))).join(','));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

function writeJsonLines(file: string, rows: BqRow[]): void {
  const records = rows.map((row) => ({
    ...row,
    usage_start_time: bigQueryTime(row.usage_start_time),
    usage_end_time: bigQueryTime(row.usage_end_time),
    export_time: bigQueryTime(row.export_time),
  }));
  fs.writeFileSync(file, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
}

const string = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});
const double = (name: string): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });
const time = (name: string): SchemaElement => ({
  name,
  type: 'INT64',
  converted_type: 'TIMESTAMP_MILLIS',
  repetition_type: 'OPTIONAL',
});
/** A child is a leaf element or a nested group's subtree; the schema is their flat pre-order. */
type SchemaChild = SchemaElement | SchemaElement[];
const struct = (name: string, children: SchemaChild[]): SchemaElement[] => [
  { name, repetition_type: 'OPTIONAL', num_children: children.length },
  ...children.flat(),
];
/** BigQuery's REPEATED RECORD as Parquet's three-level LIST of structs. */
const repeated = (name: string, children: SchemaChild[]): SchemaElement[] => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  ...struct('element', children),
];
const keyValue = [string('key'), string('value')];

/** Nested Parquet, shaped like BigQuery's own Parquet export of the billing table. */
function writeNestedParquet(file: string, rows: BqRow[]): void {
  const fields: [string, SchemaElement[], (row: BqRow) => unknown][] = [
    ['billing_account_id', [string('billing_account_id')], (row) => row.billing_account_id],
    ['service', struct('service', [string('id'), string('description')]), (row) => row.service],
    ['sku', struct('sku', [string('id'), string('description')]), (row) => row.sku],
    ['usage_start_time', [time('usage_start_time')], (row) => new Date(row.usage_start_time)],
    ['usage_end_time', [time('usage_end_time')], (row) => new Date(row.usage_end_time)],
    ['project', struct('project', [string('id'), string('name'), repeated('labels', keyValue)]), (row) => row.project],
    ['labels', repeated('labels', keyValue), (row) => row.labels],
    ['system_labels', repeated('system_labels', keyValue), (row) => row.system_labels],
    [
      'location',
      struct('location', [string('location'), string('country'), string('region'), string('zone')]),
      (row) => row.location,
    ],
    ['resource', struct('resource', [string('name'), string('global_name')]), (row) => row.resource],
    ['export_time', [time('export_time')], (row) => new Date(row.export_time)],
    ['cost', [double('cost')], (row) => row.cost],
    ['currency', [string('currency')], (row) => row.currency],
    [
      'usage',
      struct('usage', [double('amount'), string('unit'), double('amount_in_pricing_units'), string('pricing_unit')]),
      (row) => row.usage,
    ],
    [
      'credits',
      repeated('credits', [string('name'), double('amount'), string('full_name'), string('id'), string('type')]),
      (row) => row.credits,
    ],
    ['invoice', struct('invoice', [string('month')]), (row) => row.invoice],
    ['cost_type', [string('cost_type')], (row) => row.cost_type],
    ['adjustment_info', struct('adjustment_info', [string('id'), string('description')]), (row) => row.adjustment_info],
  ];
  parquetWriteFile({
    filename: file,
    schema: [{ name: 'root', num_children: fields.length }, ...fields.flatMap(([, schema]) => schema)],
    columnData: fields.map(([name, , pick]) => ({ name, data: rows.map(pick) })),
  });
}

/** Flat Parquet with dotted column names and JSON text for the lists (a BigQuery query result saved flat). */
function writeFlatParquet(file: string, rows: BqRow[]): void {
  const numberColumns = new Set(['cost', 'usage.amount', 'usage.amount_in_pricing_units']);
  const pickers: Record<string, (row: BqRow) => unknown> = {
    'project.labels': (row) => JSON.stringify(row.project.labels),
    labels: (row) => JSON.stringify(row.labels),
    system_labels: (row) => JSON.stringify(row.system_labels),
    credits: (row) => JSON.stringify(row.credits),
    usage_start_time: (row) => row.usage_start_time,
    usage_end_time: (row) => row.usage_end_time,
    export_time: (row) => row.export_time,
  };
  parquetWriteFile({
    filename: file,
    columnData: CSV_COLUMNS.map(([name, pick]) => ({
      name,
      data: rows.map((row) => (pickers[name] ?? pick)(row) ?? null),
      type: numberColumns.has(name) ? 'DOUBLE' : 'STRING',
    })),
  });
}

describe('gcp mapper: BigQuery rows as JSON Lines, Parquet and CSV', () => {
  let folder = '';
  const mapped: Record<string, Line[]> = {};
  const variants: Record<string, string> = {};
  const files = {
    csv: 'export.csv',
    jsonl: 'export.jsonl',
    nestedParquet: 'nested.parquet',
    flatParquet: 'flat.parquet',
  } as const;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'valdrix-gcp-'));
    writeCsv(path.join(folder, files.csv), fixtureRows);
    writeJsonLines(path.join(folder, files.jsonl), fixtureRows);
    writeNestedParquet(path.join(folder, files.nestedParquet), fixtureRows);
    writeFlatParquet(path.join(folder, files.flatParquet), fixtureRows);
    for (const [key, name] of Object.entries(files)) {
      const file = path.join(folder, name);
      expect(gcpMapper.detect(await columnsOf(file)), name).toBeGreaterThan(0.9);
      const result = await mapFile(file, gcpMapper);
      mapped[key] = result.lines;
      variants[key] = result.variant;
    }
  });
  afterAll(() => {
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  // Quantities are text as written ("1.5e-7" in one file is "1.5e-7" or "0.00000015" in another).
  const comparable = (lines: Line[]) =>
    lines.map(({ position: _position, ...line }) => ({
      ...line,
      pricingQuantity: line.pricingQuantity === null ? null : Number(line.pricingQuantity),
    }));

  it('reads the nested records the readers flatten', async () => {
    const columns = await columnsOf(path.join(folder, files.nestedParquet));
    expect(columns).toEqual(expect.arrayContaining(['service.description', 'invoice.month', 'credits', 'labels']));
    expect(Object.values(variants)).toEqual(Array(4).fill('Google Cloud BigQuery export (detailed)'));
  });

  it('maps every container to the same lines', () => {
    const expected = comparable(mapped.csv!);
    expect(comparable(mapped.jsonl!)).toEqual(expected);
    expect(comparable(mapped.nestedParquet!)).toEqual(expected);
    expect(comparable(mapped.flatParquet!)).toEqual(expected);
  });

  it('totals billed = cost + credits, and effective = billed over the file', () => {
    const amounts = fixtureRows.flatMap((row) => [String(row.cost), ...row.credits.map((c) => String(c.amount))]);
    for (const lines of Object.values(mapped)) {
      expect(exactSum(lines, (line) => line.billedCost)).toBe(decimalSum(amounts));
      expect(exactSum(lines, (line) => line.effectiveCost)).toBe(decimalSum(amounts));
      expect(exactSum(notCredits(lines), (line) => line.billedCost)).toBe(
        decimalSum(fixtureRows.map((row) => String(row.cost))),
      );
    }
  });

  it('keeps cost as billed, folds rate-discount credits into effective, and adds a Credit line per credit', () => {
    const lines = mapped.jsonl!;
    const first = lines.filter((line) => line.position === 1);
    expect(first.map((line) => line.chargeCategory)).toEqual(['Usage', 'Credit', 'Credit', 'Credit']);
    const [usage, sud, cud, promo] = first as [Line, Line, Line, Line];
    expect(exactSum([usage], (line) => line.billedCost)).toBe('0.19');
    // 0.19 − 0.038 (sustained use) − 0.1 (committed use); the promotion stays a credit.
    expect(exactSum([usage], (line) => line.effectiveCost)).toBe(decimalSum(['0.19', '-0.038', '-0.1']));
    expect(usage.commitmentDiscountId).toBe('projects/shop-prod/regions/us-central1/commitments/cud-1');
    expect(usage.commitmentDiscountType).toBe('Committed Use Discount');
    expect(usage.commitmentDiscountStatus).toBe('Used');
    expect(exactSum([sud], (line) => line.billedCost)).toBe('-0.038');
    expect(sud.effectiveCost).toBe(0n);
    expect(exactSum([cud], (line) => line.billedCost)).toBe('-0.1');
    expect(cud.effectiveCost).toBe(0n);
    expect(cud.chargeDescription).toBe('Committed use discount: CPU');
    expect(cud.commitmentDiscountId).toBe(usage.commitmentDiscountId);
    expect(exactSum([promo], (line) => line.effectiveCost)).toBe('-0.02');
    expect(promo.billedCost).toBe(promo.effectiveCost);
    for (const credit of [sud, cud, promo]) {
      expect(credit.skuId).toBe(usage.skuId);
      expect(credit.tags).toEqual(usage.tags);
      expect(credit.discriminator.startsWith(usage.discriminator)).toBe(true);
      expect(credit.pricingQuantity).toBeNull();
    }
    expect(new Set(first.map((line) => line.discriminator)).size).toBe(4);

    // Duplicate entries of one credit are one line; both free-tier amounts are in it.
    const freeTier = lines.filter((line) => line.position === 7 && line.chargeCategory === 'Credit');
    expect(freeTier).toHaveLength(1);
    expect(exactSum(freeTier, (line) => line.billedCost)).toBe('-0.005');
  });

  it('maps every field of a detailed usage row', () => {
    const usage = mapped.jsonl!.find((line) => line.position === 1)!;
    expect(usage).toMatchObject({
      provider: 'Google Cloud',
      billingAccountId: '01AB23-CD45EF-678901',
      billingAccountName: null,
      subAccountId: 'shop-prod',
      subAccountName: 'Shop (prod)',
      serviceName: 'Compute Engine',
      region: 'us-central1',
      resourceId: '//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/1',
      resourceName: 'web-1',
      skuId: 'CF4E-A0C7-E3BF',
      chargeCategory: 'Usage',
      chargeDescription: 'N1 Predefined Instance Core running in Americas',
      chargePeriodStart: '2024-02-29T23:00:00Z',
      chargePeriodEnd: '2024-03-01T00:00:00Z',
      chargeDay: '2024-02-29',
      // Usage on the last day of February, invoiced in March.
      billingPeriod: '2024-03',
      currency: 'USD',
      pricingQuantity: '4',
      pricingUnit: 'hour',
      // The row's label wins over the project's for the same key; system labels are not tags.
      tags: { team: 'checkout', owner: "o'brien" },
    });
    expect(mapped.jsonl!.find((line) => line.position === 7)!.billingPeriod).toBe('2024-02');
  });

  it('maps cost_type to the charge category and keeps every row distinct', () => {
    const lines = notCredits(mapped.jsonl!);
    expect(lines.map((line) => line.chargeCategory)).toEqual([
      'Usage',
      'Usage',
      'Usage',
      'Tax',
      'Adjustment',
      'Adjustment',
      'Usage',
    ]);
    const tax = lines[3]!;
    expect(tax.subAccountId).toBeNull();
    expect(tax.region).toBeNull();
    expect(tax.tags).toEqual({});
    expect(lines[1]!.tags).toEqual({ team: 'search' });
    expect(new Set(mapped.jsonl!.map(identity)).size).toBe(mapped.jsonl!.length);
  });
});

describe('gcp mapper: row errors', () => {
  let folder = '';
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'valdrix-gcp-errors-'));
  });
  afterAll(() => {
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  const csvWith = (name: string, edit: (rows: BqRow[]) => BqRow[]) => {
    const file = path.join(folder, name);
    writeCsv(file, edit(fixtureRows.slice(0, 3).map((row) => ({ ...row }))));
    return file;
  };

  it('a malformed usage_start_time names the column at its line', async () => {
    const file = csvWith('bad-time.csv', (rows) => rows);
    const text = fs.readFileSync(file, 'utf8').split('\n');
    text[2] = text[2]!.replace('2024-02-29 23:00:00+00:00', '2024-02-30 23:00:00+00:00');
    fs.writeFileSync(file, text.join('\n'));
    const found = await firstRowError(file);
    expect(found?.position).toBe(3);
    expect(found?.error.column).toBe('usage_start_time');
    expect(found?.error.message).toContain('2024-02-30');
  });

  it('a malformed cost names the column at its line (CSV and JSON Lines)', async () => {
    const file = csvWith('bad-cost.csv', (rows) => rows);
    const text = fs.readFileSync(file, 'utf8').split('\n');
    text[3] = text[3]!.replace(',1.5e-7,USD,', ',1.5 USD,USD,');
    fs.writeFileSync(file, text.join('\n'));
    const found = await firstRowError(file);
    expect(found?.position).toBe(4);
    expect(found?.error.column).toBe('cost');

    const jsonl = path.join(folder, 'bad-cost.jsonl');
    writeJsonLines(jsonl, fixtureRows.slice(0, 2));
    const lines = fs.readFileSync(jsonl, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"cost":0.05', '"cost":"five cents"');
    fs.writeFileSync(jsonl, lines.join('\n'));
    const jsonFound = await firstRowError(jsonl);
    expect(jsonFound?.position).toBe(2);
    expect(jsonFound?.error.column).toBe('cost');
  });

  it('an unknown cost_type or unreadable credits are row errors too', async () => {
    const costType = await firstRowError(
      csvWith('bad-type.csv', (rows) => [rows[0]!, { ...rows[1]!, cost_type: 'surprise' }]),
    );
    expect(costType?.position).toBe(3);
    expect(costType?.error.column).toBe('cost_type');

    const file = csvWith('bad-credits.csv', (rows) => rows);
    const text = fs.readFileSync(file, 'utf8').split('\n');
    text[1] = text[1]!.replace("'amount': -0.1,", "'amount': -0.1x,");
    fs.writeFileSync(file, text.join('\n'));
    const credits = await firstRowError(file);
    expect(credits?.position).toBe(2);
    expect(credits?.error.column).toBe('credits');
  });

  it('compile names a missing required column', () => {
    const columnOf = (columns: string[]) => {
      try {
        gcpMapper.compile(columns, { fileName: 'x.csv' });
      } catch (error) {
        if (error instanceof RowError) return error.column;
        throw error;
      }
      return 'compiled';
    };
    expect(columnOf(['usage_start_time', 'service.description', 'currency'])).toBe('cost');
    expect(columnOf(['usage_start_time', 'service.description', 'cost', 'currency'])).toBe('billing_account_id');
    expect(columnOf(['usage_start_time', 'service.description', 'cost', 'billing_account_id'])).toBe('currency');
    const compiled = gcpMapper.compile(['usage_start_time', 'service.description', 'cost'], {
      fileName: 'x.csv',
      defaults: { billingAccountId: 'A-B-C', currency: 'eur' },
    });
    const [line] = compiled.map(['2024-01-01T00:00:00Z', 'Cloud Run', '3.5']);
    expect(line).toMatchObject({ billingAccountId: 'A-B-C', currency: 'EUR', chargeCategory: 'Usage' });
    expect(line!.billingPeriod).toBe('2024-01');
  });
});
