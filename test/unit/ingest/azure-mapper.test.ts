import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { azureColumnPositions, azureMapper, type AzureColumns } from '../../../electron/core/ingest/formats/azure';
import { RowError, type NormalizedLine } from '../../../electron/core/ingest/model';
import { openSource } from '../../../electron/core/ingest/readers';
import { SERVICE_CATEGORIES } from '../../../electron/core/ingest/service-categories';
import { formatExact } from '../../../shared/exact';
import { decimalSum } from '../../support/decimal';
import { DATASETS_SKIP_REASON, dataset, datasetsPresent, exactSum, mapFile, rawCsvRows } from '../../support/ingest';

const TOOLKIT = 'finops-toolkit/azure-ea';
const HEADERSETS = 'opencost/azure-billingexports/headersets';
const VALUES = 'opencost/azure-billingexports/values';

/** The header as the import pipeline's reader hands it over (BOM stripped); CSV via csv-parse, so ragged files work too. */
async function headerOf(file: string): Promise<string[]> {
  if (file.endsWith('.csv')) return rawArrays(file, 1)[0]!.map((name) => name.trim());
  const source = await openSource(file);
  await source.close();
  return source.columns;
}

/** Raw records as arrays (header first), read with csv-parse directly: the oracle's 0-based indices apply. */
function rawArrays(file: string, toLine?: number): string[][] {
  return parse(fs.readFileSync(file), {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    ...(toLine ? { to_line: toLine } : {}),
  }) as string[][];
}

/**
 * Maps a sample: through the product's reader (mapFile), or for OpenCost's Template.csv, whose 87 rows all
 * stop one field short of the 11-column header, record by record from csv-parse with relaxed column counts
 * (the product reader refuses those rows; that is the reader's business, not the mapper's).
 */
async function mapSample(
  file: string,
  defaults?: { currency: string },
): Promise<{ variant: string; lines: NormalizedLine[] }> {
  if (!SHORT_ROWS.has(path.basename(file))) return mapFile(file, azureMapper, defaults);
  const [header, ...records] = rawArrays(file);
  const compiled = azureMapper.compile(header!, { fileName: path.basename(file), defaults });
  const lines = records.flatMap((record) => compiled.map(record));
  return { variant: compiled.variant, lines };
}
const SHORT_ROWS = new Set(['Template.csv']);

/** Independent reading of the two date layouts in these files: MM/DD/YYYY (EA) and ISO (with or without a time). */
function isoDay(raw: string): string {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  return raw.slice(0, 10);
}

/** Tags as JSON, adding the braces EA leaves out. */
function rawTags(raw: string): Record<string, string> {
  const trimmed = raw.trim();
  if (trimmed === '') return {};
  return JSON.parse(trimmed.startsWith('{') ? trimmed : `{${trimmed}}`) as Record<string, string>;
}

const costs = (
  rows: Record<string, string>[],
  column: string,
  keep: (row: Record<string, string>) => boolean = () => true,
) => decimalSum(rows.filter(keep).map((row) => (row[column] ?? '').trim() || '0'));

const total = (lines: readonly NormalizedLine[], pick: (line: NormalizedLine) => bigint | null) =>
  exactSum(lines, pick);

interface FileCase {
  file: string;
  rows: number;
  /** The cost column as written in the header. */
  cost: string;
  currency: string;
  variant: string;
  /** Files without a currency value need one from the user, as the CLI's --currency would give. */
  defaults?: { currency: string };
}

const FILES: FileCase[] = [
  {
    file: `${TOOLKIT}/EA_ActualCost_Small.csv`,
    rows: 11,
    cost: 'Cost',
    currency: 'USD',
    variant: 'Azure EA cost details, actual cost',
  },
  {
    file: `${TOOLKIT}/EA_AmortizedCost_Small.csv`,
    rows: 28,
    cost: 'Cost',
    currency: 'USD',
    variant: 'Azure EA cost details, amortized cost',
  },
  { file: `${TOOLKIT}/EA_NoRows.csv`, rows: 0, cost: 'Cost', currency: 'USD', variant: 'Azure EA cost details' },
  {
    file: 'focus-converters/azure/sample-anonymous-ea-export-dataset.csv',
    rows: 27,
    cost: 'CostInBillingCurrency',
    currency: 'CAD',
    variant: 'Azure EA cost details',
  },
  {
    file: `${HEADERSETS}/PayAsYouGo.csv`,
    rows: 1,
    cost: 'PreTaxCost',
    currency: 'USD',
    variant: 'Azure pay-as-you-go usage export',
  },
  {
    file: `${HEADERSETS}/German.csv`,
    rows: 1,
    cost: 'PreTaxCost (PreTaxCost)',
    currency: 'USD',
    variant: 'Azure pay-as-you-go usage export (German headers)',
  },
  {
    file: `${HEADERSETS}/YA.csv`,
    rows: 1,
    cost: 'costInBillingCurrency',
    currency: 'USD',
    variant: 'Azure cost details (German headers)',
  },
  {
    // Every cell but the date is blank, the currency too.
    file: `${HEADERSETS}/BOM.csv`,
    rows: 1,
    cost: 'PreTaxCost',
    currency: 'USD',
    variant: 'Azure pay-as-you-go usage export',
    defaults: { currency: 'USD' },
  },
  {
    file: `${HEADERSETS}/Enterprise.csv`,
    rows: 1,
    cost: 'CostInBillingCurrency',
    currency: 'CAD',
    variant: 'Azure EA cost details',
  },
  {
    file: `${HEADERSETS}/EnterpriseCamel.csv`,
    rows: 1,
    cost: 'costInBillingCurrency',
    currency: 'USD',
    variant: 'Azure MCA cost details',
  },
  // OpenCost's value fixtures have no currency column at all.
  {
    file: `${VALUES}/Template.csv`,
    rows: 87,
    cost: 'costinbillingcurrency',
    currency: 'USD',
    variant: 'Azure cost details',
    defaults: { currency: 'USD' },
  },
  {
    file: `${VALUES}/VirtualMachine.csv`,
    rows: 1,
    cost: 'costinbillingcurrency',
    currency: 'USD',
    variant: 'Azure cost details',
    defaults: { currency: 'USD' },
  },
  {
    file: `${VALUES}/MissingBrackets.csv`,
    rows: 1,
    cost: 'costinbillingcurrency',
    currency: 'USD',
    variant: 'Azure cost details',
    defaults: { currency: 'USD' },
  },
  {
    file: 'koku/azure/camel_azure_version_2.csv',
    rows: 4,
    cost: 'costInBillingCurrency',
    currency: 'USD',
    variant: 'Azure MCA cost details',
  },
  {
    file: 'koku/azure/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv',
    rows: 3,
    cost: 'PreTaxCost',
    currency: 'USD',
    variant: 'Azure pay-as-you-go usage export',
  },
  {
    file: 'koku/azure/azure_camelCased.csv',
    rows: 3,
    cost: 'preTaxCost',
    currency: 'USD',
    variant: 'Azure pay-as-you-go usage export',
  },
];

describe.skipIf(!datasetsPresent)(datasetsPresent ? 'Azure mapper on the shared samples' : DATASETS_SKIP_REASON, () => {
  describe.each(FILES)('$file', (sample) => {
    const file = dataset(sample.file);

    it('is detected as Azure with a high score', async () => {
      expect(azureMapper.detect(await headerOf(file))).toBeGreaterThanOrEqual(0.8);
    });

    it('maps every row, the currency and the variant', async () => {
      const { variant, lines } = await mapSample(file, sample.defaults);
      expect(lines).toHaveLength(sample.rows);
      expect(lines).toHaveLength(rawCsvRows(file).length);
      expect(variant).toBe(sample.variant);
      for (const line of lines) {
        expect(line.provider).toBe('Microsoft');
        expect(line.currency).toBe(sample.currency);
        // Never null: a FOCUS category from the service (docs/formats.md), "Other" when unknown.
        expect(SERVICE_CATEGORIES).toContain(line.serviceCategory);
        expect(line.chargePeriodStart).toBe(`${line.chargeDay}T00:00:00Z`);
        expect(line.billingPeriod).toMatch(/^\d{4}-\d{2}$/);
      }
    });

    it('keeps the cost column total to the last digit', async () => {
      const { lines } = await mapSample(file, sample.defaults);
      const rows = rawCsvRows(file);
      expect(rows.every((row) => sample.cost in row)).toBe(true);
      const all = costs(rows, sample.cost);
      // Cost of the row's own charge: billed and effective differ only on commitment rows (checked below).
      const pricing = (row: Record<string, string>) => row.PricingModel ?? '';
      const committed = (row: Record<string, string>) => ['Reservation', 'SavingsPlan'].includes(pricing(row));
      expect(total(lines, (line) => line.billedCost)).toBe(
        costs(rows, sample.cost, (row) => !(committed(row) && row.ChargeType === 'Usage')),
      );
      expect(total(lines, (line) => line.effectiveCost)).toBe(
        costs(rows, sample.cost, (row) => !(committed(row) && row.ChargeType === 'Purchase')),
      );
      if (!rows.some(committed)) {
        expect(total(lines, (line) => line.billedCost)).toBe(all);
        expect(total(lines, (line) => line.effectiveCost)).toBe(all);
      }
    });
  });

  describe('commitments (FinOps toolkit EA demo enrollment)', () => {
    it('actual cost: the reservation purchase is billed, not effective; usage is both', async () => {
      const file = dataset(`${TOOLKIT}/EA_ActualCost_Small.csv`);
      const { lines } = await mapFile(file, azureMapper);
      const rows = rawCsvRows(file);
      // SOURCES.md §5's computed total, a third opinion beside decimalSum.
      expect(total(lines, (line) => line.billedCost)).toBe('8.5450077867419368');
      expect(total(lines, (line) => line.billedCost)).toBe(costs(rows, 'Cost'));
      const purchases = lines.filter((line) => line.chargeCategory === 'Purchase');
      expect(purchases).toHaveLength(1);
      const purchase = purchases[0]!;
      const rawPurchase = rows.find((row) => row.ChargeType === 'Purchase')!;
      expect(formatExact(purchase.billedCost)).toBe(decimalSum([rawPurchase.Cost!]));
      expect(purchase.effectiveCost).toBe(0n);
      expect(purchase.commitmentDiscountId).toBe(rawPurchase.benefitId);
      expect(purchase.commitmentDiscountType).toBe('Reservation');
      expect(purchase.commitmentDiscountStatus).toBeNull();
      expect(purchase.billingAccountId).toBe('8611537');
      expect(purchase.billingPeriod).toBe('2023-09');
      expect(purchase.chargeDay).toBe('2023-09-21');
      expect(purchase.chargePeriodEnd).toBe('2023-09-22T00:00:00Z');
      expect(new Set(lines.map((line) => line.subAccountId)).size).toBe(4);
      expect(lines.filter((line) => Object.keys(line.tags).length > 0)).toHaveLength(9);
    });

    it('amortized cost: commitment-covered usage is effective cost only, with its commitment', async () => {
      const file = dataset(`${TOOLKIT}/EA_AmortizedCost_Small.csv`);
      const { lines } = await mapFile(file, azureMapper);
      const rows = rawCsvRows(file);
      expect(total(lines, (line) => line.effectiveCost)).toBe('16.29693213663664462748541900'.replace(/0+$/, ''));
      expect(total(lines, (line) => line.effectiveCost)).toBe(costs(rows, 'Cost'));
      expect(total(lines, (line) => line.billedCost)).toBe(
        costs(rows, 'Cost', (row) => row.PricingModel === 'OnDemand'),
      );
      const covered = lines.filter((line) => line.commitmentDiscountId !== null);
      expect(covered.map((line) => line.commitmentDiscountType).sort()).toEqual(['Reservation', 'Savings Plan']);
      for (const line of covered) {
        expect(line.chargeCategory).toBe('Usage');
        expect(line.commitmentDiscountStatus).toBe('Used');
        expect(line.billedCost).toBe(0n);
        expect(line.effectiveCost).toBeGreaterThan(0n);
      }
      const savingsPlan = covered.find((line) => line.commitmentDiscountType === 'Savings Plan')!;
      expect(savingsPlan.commitmentDiscountId).toBe(rows.find((row) => row.PricingModel === 'SavingsPlan')!.benefitId);
      expect(new Set(lines.map((line) => line.subAccountId)).size).toBe(5);
      expect(lines.filter((line) => Object.keys(line.tags).length > 0)).toHaveLength(27);
      // Brace-less EA tags, an empty value included.
      const aks = lines.find((line) => 'aks-managed-poolName' in line.tags)!;
      expect(aks.tags['aks-managed-createOperationID']).toBe('');
    });

    it('unused commitments and refunds (constructed rows: the samples have none)', () => {
      const columns = [
        'Date',
        'SubscriptionId',
        'MeterCategory',
        'Cost',
        'BillingCurrency',
        'ChargeType',
        'PricingModel',
        'benefitId',
      ];
      const compiled = azureMapper.compile(columns, { fileName: 'constructed.csv' });
      const [unused] = compiled.map([
        '09/30/2023',
        's',
        'Virtual Machines',
        '2.5',
        'USD',
        'UnusedSavingsPlan',
        'SavingsPlan',
        '/x/savingsPlans/y',
      ]);
      expect(unused).toMatchObject({
        chargeCategory: 'Usage',
        commitmentDiscountStatus: 'Unused',
        commitmentDiscountType: 'Savings Plan',
        billedCost: 0n,
        effectiveCost: 2_500_000_000_000_000_000_000_000_000n,
      });
      expect(compiled.variant).toBe('Azure cost details, amortized cost');
      const [refund] = compiled.map([
        '09/30/2023',
        's',
        'Virtual Machines',
        '-3.25',
        'USD',
        'Refund',
        'Reservation',
        '',
      ]);
      expect(refund).toMatchObject({ chargeCategory: 'Purchase', chargeClass: 'Correction', effectiveCost: 0n });
      expect(formatExact(refund!.billedCost)).toBe('-3.25');
      const [tax] = compiled.map(['09/30/2023', 's', 'Tax', '1', 'USD', 'Tax', '', '']);
      expect(tax).toMatchObject({ chargeCategory: 'Tax', commitmentDiscountId: null, commitmentDiscountType: null });
      expect(() => compiled.map(['09/30/2023', 's', 'x', '1', 'USD', 'Mystery', '', ''])).toThrow(RowError);
      // German portal downloads may write day-first dotted dates; they cannot be mistaken for MM/DD.
      expect(compiled.map(['30.09.2023', 's', 'x', '1', 'USD', 'Usage', '', ''])[0]!.chargeDay).toBe('2023-09-30');
    });
  });

  it('reads CAD and EA no-brace tags (focus_converters)', async () => {
    const file = dataset('focus-converters/azure/sample-anonymous-ea-export-dataset.csv');
    const { lines } = await mapFile(file, azureMapper);
    expect(total(lines, (line) => line.billedCost)).toBe('1.26136926505726');
    expect(lines.every((line) => line.currency === 'CAD' && line.chargeDay === '2023-09-02')).toBe(true);
    expect(lines.every((line) => line.billingPeriod === '2023-09' && line.billingAccountId === '12345678')).toBe(true);
    expect(lines[0]!.tags).toEqual({ tagA: 'valueA', tagB: 'valueB', tagC: 'valueC' });
    expect(lines.filter((line) => line.discriminator.includes('Spot'))).toHaveLength(3);
    expect(lines.every((line) => line.listCost === null)).toBe(true);
  });

  describe('OpenCost header layouts: the oracle column indices', () => {
    // storagebillingparser_test.go / billingexportparser_test.go, as listed in SOURCES.md §6.
    const payg = {
      date: 3,
      meterCategory: 4,
      subscription: 0,
      resource: 14,
      consumedService: 12,
      tags: 15,
      additionalInfo: 17,
      cost: 11,
    };
    const layouts: { file: string; expected: Partial<AzureColumns>; defaults?: { currency: string } }[] = [
      { file: 'PayAsYouGo.csv', expected: payg },
      { file: 'German.csv', expected: payg },
      { file: 'BOM.csv', expected: payg, defaults: { currency: 'USD' } },
      // Same indices, dates in the Enterprise MM/DD/YYYY layout.
      { file: 'YA.csv', expected: payg },
      {
        file: 'Enterprise.csv',
        expected: {
          date: 7,
          meterCategory: 9,
          subscription: 3,
          billingAccount: 39,
          resource: 20,
          consumedService: 19,
          tags: 21,
          additionalInfo: 23,
          cost: 17,
        },
      },
      {
        file: 'EnterpriseCamel.csv',
        expected: {
          date: 11,
          meterCategory: 18,
          subscription: 23,
          resource: 29,
          consumedService: 15,
          tags: 45,
          additionalInfo: 44,
          cost: 38,
        },
      },
    ];

    it.each(layouts)('$file', async ({ file, expected, defaults }) => {
      const path_ = dataset(`${HEADERSETS}/${file}`);
      const columns = await headerOf(path_);
      expect(azureColumnPositions(columns)).toMatchObject(expected);

      const [, raw] = rawArrays(path_) as [string[], string[]];
      const { lines } = await mapFile(path_, azureMapper, defaults);
      expect(lines).toHaveLength(1);
      const line = lines[0]!;
      const at = (position: number | undefined) => raw[position!]!;
      expect(line.subAccountId).toBe(at(expected.subscription) || null);
      expect(line.chargeDay).toBe(isoDay(at(expected.date)));
      expect(line.serviceName).toBe(at(expected.meterCategory) || at(expected.consumedService) || '(unspecified)');
      expect(line.resourceId).toBe(at(expected.resource) || null);
      expect(line.tags).toEqual(rawTags(at(expected.tags)));
      expect(formatExact(line.billedCost)).toBe(decimalSum([at(expected.cost) || '0']));
      expect(line.discriminator).toContain(at(expected.additionalInfo));
      if (expected.billingAccount !== undefined) expect(line.billingAccountId).toBe(at(expected.billingAccount));
    });

    it('YA dates are read month first', async () => {
      const { lines } = await mapFile(dataset(`${HEADERSETS}/YA.csv`), azureMapper);
      expect(lines[0]!.chargeDay).toBe('2021-02-02');
      const compiled = azureMapper.compile(await headerOf(dataset(`${HEADERSETS}/YA.csv`)), { fileName: 'YA.csv' });
      const [, raw] = rawArrays(dataset(`${HEADERSETS}/YA.csv`)) as [string[], string[]];
      const late = [...raw];
      late[3] = '02/13/2021';
      expect(compiled.map(late)[0]!.chargeDay).toBe('2021-02-13');
      late[3] = '13/02/2021';
      expect(() => compiled.map(late)).toThrow(RowError);
    });

    it('legacy exports without a billing account column fall back to the subscription', async () => {
      const { lines } = await mapFile(dataset(`${HEADERSETS}/German.csv`), azureMapper);
      expect(lines[0]!.billingAccountId).toBe('11111111-12ab-34dc-56ef-123456abcdef');
      expect(lines[0]!.billingAccountId).toBe(lines[0]!.subAccountId);
    });

    it('names a BOM when a reader leaves it on the first column', () => {
      const compiled = azureMapper.compile(
        ['\uFEFFSubscriptionGuid', 'UsageDateTime', 'MeterCategory', 'PreTaxCost', 'Currency'],
        {
          fileName: 'bom.csv',
        },
      );
      expect(compiled.variant).toBe('Azure pay-as-you-go usage export (BOM)');
      expect(compiled.map(['sub', '2022-11-03', 'Storage', '1', 'USD'])[0]!.subAccountId).toBe('sub');
    });
  });

  describe('OpenCost value fixtures', () => {
    it.each(['VirtualMachine.csv', 'MissingBrackets.csv'])(
      '%s: Cost 5 (payg = list), NetCost 4 (billed), 2021-02-01, three tags',
      async (name) => {
        const { lines } = await mapFile(dataset(`${VALUES}/${name}`), azureMapper, { currency: 'USD' });
        expect(lines).toHaveLength(1);
        const line = lines[0]!;
        expect(line.listCost === null ? null : formatExact(line.listCost)).toBe('5');
        expect(formatExact(line.billedCost)).toBe('4');
        expect(formatExact(line.effectiveCost)).toBe('4');
        expect(line.chargeDay).toBe('2021-02-01');
        expect(Object.keys(line.tags)).toEqual(['resourceNameSuffix', 'aksEngineVersion', 'creationSource']);
        expect(line.serviceName).toBe('Virtual Machines');
      },
    );

    it('Template.csv: totals, JSON tags on 77 of 87 rows', async () => {
      const file = dataset(`${VALUES}/Template.csv`);
      const { lines } = await mapSample(file, { currency: 'USD' });
      const rows = rawCsvRows(file);
      expect(total(lines, (line) => line.billedCost)).toBe('16.393506212224391');
      expect(total(lines, (line) => line.listCost)).toBe(costs(rows, 'paygcostinbillingcurrency'));
      expect(lines.filter((line) => Object.keys(line.tags).length > 0)).toHaveLength(77);
      expect(new Set(lines.map((line) => line.billingAccountId))).toEqual(
        new Set(['0bd50fdf-c923-4e1e-850c-196dd3dcc123']),
      );
    });

    it('without a currency column, compile asks for one', async () => {
      const columns = await headerOf(dataset(`${VALUES}/Template.csv`));
      expect(() => azureMapper.compile(columns, { fileName: 'Template.csv' })).toThrow(
        expect.objectContaining({ name: 'RowError', column: 'BillingCurrency' }),
      );
    });

    it('a blank currency cell without a default is a RowError (BOM.csv)', async () => {
      await expect(mapFile(dataset(`${HEADERSETS}/BOM.csv`), azureMapper)).rejects.toMatchObject({
        name: 'RowError',
        column: 'Currency',
      });
    });
  });

  describe('koku', () => {
    it('MCA camelCase: invoice and billing account columns, payg cost as list cost', async () => {
      const file = dataset('koku/azure/camel_azure_version_2.csv');
      const { lines } = await mapFile(file, azureMapper);
      const rows = rawCsvRows(file);
      expect(total(lines, (line) => line.listCost)).toBe(costs(rows, 'paygCostInBillingCurrency'));
      expect(lines.every((line) => line.billingAccountId === '3c100a8a-215e-5a7e-24b2-61aa86945012')).toBe(true);
      expect(lines.every((line) => line.chargeDay === '2023-08-01' && line.billingPeriod === '2023-08')).toBe(true);
      expect(lines[0]!.skuId).toBe(rows[0]!.ProductId);
      expect(lines[0]!.resourceId).toBe(rows[0]!.InstanceName);
      expect(lines.filter((line) => Object.keys(line.tags).length > 0)).toHaveLength(1);
    });

    it('legacy export with a BOM: the first column still resolves', async () => {
      const file = dataset('koku/azure/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv');
      const { lines } = await mapFile(file, azureMapper);
      expect(lines.map((line) => line.subAccountId)).toEqual(rawCsvRows(file).map((row) => row.SubscriptionGuid));
      expect(lines.map((line) => line.chargeDay)).toEqual(rawCsvRows(file).map((row) => isoDay(row.UsageDateTime!)));
    });

    it('EA v2 with currency code "MC" is refused, naming the column and line', async () => {
      const error = await positionedError(dataset('koku/azure/azure_version_2.csv'));
      expect(error).toMatchObject({ column: 'BillingCurrencyCode', position: 2 });
    });
  });

  describe('detection', () => {
    const foreign = [
      'focus-sample-data/FOCUS-1.0/focus_sample.csv',
      'focus-spec/commitment_discount_scenarios/commitment_discount_usage_scenario_1.csv',
      'focus-converters/aws/sample-anonymous-aws-export-dataset.csv',
      'keboola-cur-mock/cur_2_0/MockTestReportV2-00001.csv.gz',
      'koku/aws/2022-07-01-alt-columns.csv',
      'koku/gcp/tmp_example.csv',
      'gcp-legacy-billing-export/exports/google-platform-demo-2014-01-11.json',
    ];
    it.each(foreign)('scores 0 on %s', async (file) => {
      expect(azureMapper.detect(await headerOf(dataset(file)))).toBe(0);
    });
  });

  describe('row errors', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'valdrix-azure-'));
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** Copies a sample with one cost cell replaced on a given physical line (1-based, header = 1). */
    function corrupt(relative: string, lineNumber: number, costColumn: string, value: string): string {
      const lines = fs.readFileSync(dataset(relative), 'utf8').split(/\r?\n/);
      const header = (parse(lines[0]!, { bom: true }) as string[][])[0]!;
      const fields = (parse(lines[lineNumber - 1]!) as string[][])[0]!;
      fields[header.indexOf(costColumn)] = value;
      lines[lineNumber - 1] = fields.map((field) => `"${field.replace(/"/g, '""')}"`).join(',');
      const target = path.join(tmp, `${lineNumber}-${path.basename(relative)}`);
      fs.writeFileSync(target, lines.join('\n'));
      return target;
    }

    it('a malformed cost fails with the column and the line', async () => {
      const file = corrupt(`${TOOLKIT}/EA_ActualCost_Small.csv`, 7, 'Cost', '12,5');
      const error = await positionedError(file);
      expect(error).toMatchObject({ name: 'RowError', column: 'Cost', position: 7 });
      expect(error.message).toContain('"Cost" is not an amount');
    });

    it('German headers are named as written', async () => {
      const file = corrupt(`${HEADERSETS}/German.csv`, 2, 'PreTaxCost (PreTaxCost)', 'abc');
      expect(await positionedError(file)).toMatchObject({ column: 'PreTaxCost (PreTaxCost)', position: 2 });
    });

    it('a malformed date fails with the date column', async () => {
      const file = corrupt(`${TOOLKIT}/EA_AmortizedCost_Small.csv`, 12, 'Date', '2023-02-30');
      expect(await positionedError(file)).toMatchObject({ column: 'Date', position: 12 });
    });
  });

  it('EA_NoRows.csv maps to nothing without failing', async () => {
    const { variant, lines } = await mapFile(dataset(`${TOOLKIT}/EA_NoRows.csv`), azureMapper);
    expect(lines).toEqual([]);
    expect(variant).toBe('Azure EA cost details');
  });
});

/**
 * EA usage details (the EA portal download / EA reporting API usagedetails), constructed: no public sample
 * of this layout is in the shared datasets. Column names and order follow the API's CSV; the numeric legacy
 * SubscriptionId is "0" as in an anonymised export, and there is no currency column.
 */
describe('Azure EA usage details', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'valdrix-azure-ea-usage-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const GUID_A = '1caaa5a3-2b66-438e-8ab4-bce37d518c5d';
  const GUID_B = '64e355d7-997c-491d-b0c1-8414dccfcf42';
  const header = [
    'AccountId',
    'AccountName',
    'AccountOwnerEmail',
    'DepartmentId',
    'DepartmentName',
    'ServiceAdministratorId',
    'SubscriptionId',
    'SubscriptionGuid',
    'SubscriptionName',
    'Date',
    'Product',
    'MeterId',
    'MeterCategory',
    'MeterSubCategory',
    'MeterRegion',
    'MeterName',
    'ConsumedQuantity',
    'ResourceRate',
    'Cost',
    'ResourceLocation',
    'ConsumedService',
    'InstanceId',
    'AdditionalInfo',
    'Tags',
    'CostCenter',
    'UnitOfMeasure',
    'ResourceGroup',
  ];
  const row = (guid: string, meterCategory: string, consumedService: string, cost: string) =>
    [
      '123456',
      'Contoso IT',
      'it@contoso.example',
      '3456',
      'IT',
      'admin@contoso.example',
      '0',
      guid,
      'Production',
      '2023-09-04T00:00:00',
      `${meterCategory} - product`,
      '2ae87903-de6e-4ece-a88d-c2691a10e975',
      meterCategory,
      '',
      'US East',
      'meter',
      '1.5',
      '0.1',
      cost,
      'EastUS',
      consumedService,
      `/subscriptions/${guid}/resourceGroups/rg/providers/${consumedService}/x/y`,
      '',
      '"env": "prod"',
      'CC-1',
      '1 Hour',
      'rg',
    ]
      .map((cell) => `"${cell.replace(/"/g, '""')}"`)
      .join(',');
  const file = path.join(tmp, 'ea-usage-details.csv');
  fs.writeFileSync(
    file,
    [
      header.join(','),
      row(GUID_A, 'Virtual Machines', 'Microsoft.Compute', '0.15'),
      row(GUID_B, 'Storage', 'Microsoft.Storage', '0.000123'),
      row(GUID_B, 'Something New', 'Microsoft.SomethingNew', '2'),
    ].join('\n') + '\n',
  );

  it('is detected as Azure EA usage details', () => {
    expect(azureMapper.detect(header)).toBeGreaterThanOrEqual(0.8);
  });

  it('without a currency, compile says the layout has none and names --currency', () => {
    expect(() => azureMapper.compile(header, { fileName: 'ea-usage-details.csv' })).toThrow(
      expect.objectContaining({
        name: 'RowError',
        column: 'BillingCurrency',
        message: expect.stringMatching(/EA usage details have no currency column.*--currency/),
      }),
    );
  });

  it('sub account = SubscriptionGuid (not the legacy numeric SubscriptionId); billing account = enrollment account', async () => {
    const { variant, lines } = await mapFile(file, azureMapper, { currency: 'USD' });
    expect(variant).toBe('Azure EA usage details');
    expect(lines.map((line) => line.subAccountId)).toEqual([GUID_A, GUID_B, GUID_B]);
    expect(lines.every((line) => line.subAccountName === 'Production')).toBe(true);
    expect(lines.every((line) => line.billingAccountId === '123456')).toBe(true);
    expect(lines.every((line) => line.billingAccountName === 'Contoso IT')).toBe(true);
    expect(lines.every((line) => line.currency === 'USD' && line.chargeDay === '2023-09-04')).toBe(true);
    expect(lines.map((line) => line.serviceCategory)).toEqual(['Compute', 'Storage', 'Other']);
    expect(lines.map((line) => line.pricingQuantity)).toEqual(['1.5', '1.5', '1.5']);
    expect(total(lines, (line) => line.billedCost)).toBe('2.150123');
  });

  it('--billing-account (the enrollment number) outranks the enrollment account', async () => {
    const { lines } = await mapFile(file, azureMapper, { currency: 'EUR', billingAccountId: '8611537' });
    expect(new Set(lines.map((line) => line.billingAccountId))).toEqual(new Set(['8611537']));
    expect(lines.every((line) => line.billingAccountName === null && line.currency === 'EUR')).toBe(true);
  });

  it('the EA portal spelling (ExtendedCost, spaced names) maps the same way', () => {
    const portal = ['AccountOwnerId', 'Account Name', 'SubscriptionId', 'SubscriptionGuid', 'Subscription Name'];
    const columns = [...portal, 'Date', 'Meter Category', 'Meter ID', 'Consumed Quantity', 'ExtendedCost'];
    expect(azureMapper.detect(columns)).toBeGreaterThan(0.5);
    const compiled = azureMapper.compile(columns, { fileName: 'portal.csv', defaults: { currency: 'USD' } });
    const [line] = compiled.map(['o@x', 'Acc', '0', GUID_A, 'Sub', '09/04/2023', 'Bandwidth', 'm', '2', '0.5']);
    expect(line).toMatchObject({
      subAccountId: GUID_A,
      billingAccountId: 'o@x',
      billingAccountName: 'Acc',
      serviceCategory: 'Networking',
      pricingQuantity: '2',
    });
    expect(formatExact(line!.billedCost)).toBe('0.5');
    expect(compiled.variant).toBe('Azure EA usage details');
  });
});

/** Maps a file record by record and returns the first RowError with the record's position (mapFile has none). */
async function positionedError(file: string): Promise<RowError & { position: number }> {
  const source = await openSource(file);
  try {
    const compiled = azureMapper.compile(source.columns, { fileName: path.basename(file) });
    for await (const record of source.records) {
      try {
        compiled.map(record.values);
      } catch (error) {
        if (error instanceof RowError) return Object.assign(error, { position: record.position });
        throw error;
      }
    }
  } finally {
    await source.close();
  }
  throw new Error(`no RowError in ${file}`);
}
