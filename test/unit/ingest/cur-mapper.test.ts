import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cur2Mapper, curChargeCategory, curMapper } from '../../../electron/core/ingest/formats/cur';
import { readCurManifest } from '../../../electron/core/ingest/formats/cur-manifest';
import { focusMapper } from '../../../electron/core/ingest/formats/focus';
import { RowError, type FormatMapper, type NormalizedLine } from '../../../electron/core/ingest/model';
import { openSource } from '../../../electron/core/ingest/readers';
import { formatExact } from '../../../shared/exact';
import { decimalSum } from '../../support/decimal';
import { DATASETS_SKIP_REASON, dataset, datasetsPresent, exactSum, rawCsvRows } from '../../support/ingest';

const MAPPERS: Record<'cur' | 'cur2' | 'focus', FormatMapper> = {
  cur: curMapper,
  cur2: cur2Mapper,
  focus: focusMapper,
};

interface Mapped {
  variant: string;
  lines: (NormalizedLine & { position: number })[];
  errors: { position: number; column: string | null; message: string }[];
}

async function header(file: string): Promise<string[]> {
  const source = await openSource(file);
  await source.close();
  return source.columns;
}

/**
 * Like mapFile (the product reader, which pads rows shorter than the header), but a RowError or an
 * unusable record is collected with the record's line instead of ending the run.
 */
async function mapCollecting(file: string, mapper: FormatMapper): Promise<Mapped> {
  const source = await openSource(file);
  const compiled = mapper.compile(source.columns, { fileName: path.basename(file) });
  const result: Mapped = { variant: compiled.variant, lines: [], errors: [] };
  try {
    for await (const record of source.records) {
      if (record.error) {
        result.errors.push({ position: record.position, column: null, message: record.error });
        continue;
      }
      try {
        for (const line of compiled.map(record.values)) result.lines.push({ ...line, position: record.position });
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        result.errors.push({ position: record.position, column: error.column, message: error.message });
      }
    }
  } finally {
    await source.close();
  }
  return result;
}

/** The raw value of a CUR column in either spelling. */
function raw(row: Record<string, string>, legacy: string, snake: string): string {
  return (row[legacy] ?? row[snake] ?? '').trim();
}

const amounts = (values: string[]) => decimalSum(values.filter((value) => value !== ''));

interface Sample {
  file: string;
  mapper: 'cur' | 'cur2';
  variant: string;
  /** Raw rows that are not cost lines (the garbage row), decided from the raw file. */
  isGarbage?: (row: Record<string, string>) => boolean;
}

const SAMPLES: Sample[] = [
  { file: 'focus-converters/aws/sample-anonymous-aws-export-dataset.csv', mapper: 'cur', variant: 'AWS CUR (legacy)' },
  { file: 'koku/aws/test_cur.csv', mapper: 'cur', variant: 'AWS CUR (legacy)' },
  { file: 'koku/aws/2023-06-01.csv', mapper: 'cur', variant: 'AWS CUR (legacy)' },
  {
    file: 'koku/aws/2022-07-01-alt-columns.csv',
    mapper: 'cur',
    variant: 'AWS CUR (legacy, Athena column names)',
  },
  { file: 'koku/aws/October-2019-local_bucket.csv', mapper: 'cur', variant: 'AWS CUR (legacy)' },
  {
    file: 'koku/aws/November-2023-None.csv',
    mapper: 'cur',
    variant: 'AWS CUR (legacy)',
    isGarbage: (row) => raw(row, 'lineItem/UsageStartDate', '') === '',
  },
  { file: 'koku/aws/local_bucket_20180801-20180901/koku-local-1.csv.gz', mapper: 'cur', variant: 'AWS CUR (legacy)' },
  { file: 'keboola-cur-mock/cur_1_0/sample_billing_data.csv', mapper: 'cur', variant: 'AWS CUR (legacy)' },
  {
    file: 'keboola-cur-mock/cur_2_0/MockTestReportV2-00001.csv.gz',
    mapper: 'cur2',
    variant: 'AWS CUR 2.0 (Data Exports)',
  },
];

describe.skipIf(!datasetsPresent)(datasetsPresent ? 'AWS CUR samples' : DATASETS_SKIP_REASON, () => {
  for (const sample of SAMPLES) {
    describe(sample.file, () => {
      it(`is detected as ${sample.mapper}, above FOCUS and the other CUR mapper`, async () => {
        const columns = await header(dataset(sample.file));
        const scores = Object.fromEntries(
          Object.entries(MAPPERS).map(([id, mapper]) => [id, mapper.detect(columns)]),
        ) as Record<keyof typeof MAPPERS, number>;
        const mine = scores[sample.mapper];
        expect(mine).toBeGreaterThan(0.5);
        for (const [id, score] of Object.entries(scores)) {
          if (id !== sample.mapper) expect(score, `${id} scored ${score} against ${mine}`).toBeLessThan(mine);
        }
        expect(scores.focus).toBe(0);
      });

      it('maps every row and the billed total equals the raw UnblendedCost column', async () => {
        const rows = rawCsvRows(dataset(sample.file));
        const good = rows.filter((row) => !sample.isGarbage?.(row));
        const mapped = await mapCollecting(dataset(sample.file), MAPPERS[sample.mapper]);
        expect(mapped.variant).toBe(sample.variant);
        expect(mapped.errors).toHaveLength(rows.length - good.length);
        expect(mapped.lines).toHaveLength(good.length);
        const expected = amounts(good.map((row) => raw(row, 'lineItem/UnblendedCost', 'line_item_unblended_cost')));
        expect(exactSum(mapped.lines, (line) => line.billedCost)).toBe(expected);
        for (const line of mapped.lines) {
          expect(line.provider).toBe('AWS');
          expect(line.chargeDay).toBe(line.chargePeriodStart.slice(0, 10));
          expect(line.billingPeriod).toMatch(/^\d{4}-\d{2}$/);
        }
      });
    });
  }

  it('the legacy sample keeps the raw accounts, service, currency, list cost and tax lines', async () => {
    const file = dataset('focus-converters/aws/sample-anonymous-aws-export-dataset.csv');
    const rows = rawCsvRows(file);
    const { lines } = await mapCollecting(file, curMapper);
    lines.forEach((line, i) => {
      const row = rows[i]!;
      expect(line.billingAccountId).toBe(row['bill/PayerAccountId']);
      expect(line.subAccountId).toBe(row['lineItem/UsageAccountId']);
      expect(line.serviceName).toBe(row['product/ProductName']);
      expect(line.currency).toBe(row['lineItem/CurrencyCode']);
      expect(line.skuId).toBe(row['product/sku'] || null);
      expect(line.pricingUnit).toBe(row['pricing/unit'] || null);
      expect(line.chargeDescription).toBe(row['lineItem/LineItemDescription'] || null);
      expect(line.chargeCategory).toBe(row['lineItem/LineItemType'] === 'Tax' ? 'Tax' : 'Usage');
      expect(line.billingPeriod).toBe('2023-11');
      expect(line.resourceId).toBeNull();
      expect(line.effectiveCost).toBe(line.billedCost);
    });
    expect(exactSum(lines, (line) => line.listCost)).toBe(
      amounts(rows.map((row) => row['pricing/publicOnDemandCost']!)),
    );
    expect(lines.filter((line) => line.chargeCategory === 'Tax')).toHaveLength(
      rows.filter((row) => row['lineItem/LineItemType'] === 'Tax').length,
    );
  });

  it('the garbage row of November-2023-None.csv fails at its line, naming lineItem/UsageStartDate', async () => {
    const mapped = await mapCollecting(dataset('koku/aws/November-2023-None.csv'), curMapper);
    expect(mapped.errors).toEqual([
      { position: 7, column: 'lineItem/UsageStartDate', message: expect.stringContaining('empty') as string },
    ]);
    expect(mapped.lines.map((line) => line.position)).not.toContain(7);
  });

  it('maps resourceTags/user:* columns to tags without the user: prefix, skipping empty values', async () => {
    for (const file of ['koku/aws/October-2019-local_bucket.csv', 'koku/aws/November-2023-None.csv']) {
      const rows = rawCsvRows(dataset(file)).filter((row) => row['lineItem/UsageStartDate'] !== '');
      const { lines } = await mapCollecting(dataset(file), curMapper);
      expect(lines).toHaveLength(rows.length);
      lines.forEach((line, i) => {
        const expected: Record<string, string> = {};
        for (const [column, value] of Object.entries(rows[i]!)) {
          const key = /^resourceTags\/(?:user:)?(.+)$/.exec(column)?.[1];
          if (key && value.trim() !== '') expected[key] = value.trim();
        }
        expect(line.tags, `${file}:${line.position}`).toEqual(expected);
      });
    }
    const october = await mapCollecting(dataset('koku/aws/October-2019-local_bucket.csv'), curMapper);
    expect(october.lines[0]!.tags).toEqual({ environment: 'smoke_test_run_sample_longer_tag', version: 'wow' });
    expect(october.lines.every((line) => Object.keys(line.tags).length > 0)).toBe(true);
    const november = await mapCollecting(dataset('koku/aws/November-2023-None.csv'), curMapper);
    expect(november.lines[0]!.tags).toEqual({ 'dashed-key-on-aws': 'dashed-value', version: 'prod' });
    expect(november.lines.find((line) => line.position === 27)!.tags).toEqual({
      'aws:createdBy': 'AssumedRole:AROAYSLL3JVQ6DYUNKWQJ:1637692740557658269',
    });
  });

  it('ignores noTags/* and costCategory/* columns', async () => {
    const { lines } = await mapCollecting(dataset('koku/aws/2023-06-01.csv'), curMapper);
    expect(lines.every((line) => Object.keys(line.tags).length === 0)).toBe(true);
  });

  it('reads Athena flattened resource_tags_* columns', async () => {
    const { lines } = await mapCollecting(dataset('koku/aws/2022-07-01-alt-columns.csv'), curMapper);
    expect(lines.map((line) => line.tags)).toEqual([
      { 'aws:created_by': 'IAMUser:fake:and' },
      { 'aws:created_by': 'IAMUser:fake:and' },
    ]);
    expect(lines[0]).toMatchObject({
      billingAccountId: '999999',
      serviceName: 'Red Hat® Enterprise Linux®',
      region: 'us-east-1',
      skuId: '52KUDV3HNNAWJGTF',
      billingPeriod: '2022-07',
      chargePeriodStart: '2022-07-01T00:00:00.000Z',
      chargePeriodEnd: '2022-07-01T01:00:00.000Z',
      resourceId: 'arn:aws:ec2:us-east-1:589173575009:instance/i-055386473d0b3fc65',
      invoiceId: '1',
    });
  });

  it('SavingsPlanCoveredUsage rows take savingsPlan/SavingsPlanEffectiveCost as effective cost', async () => {
    const file = dataset('koku/aws/2023-06-01.csv');
    const rows = rawCsvRows(file);
    const { lines } = await mapCollecting(file, curMapper);
    expect(lines.map((line) => line.chargeCategory)).toEqual(['Usage', 'Usage', 'Usage']);
    expect(exactSum(lines, (line) => line.billedCost)).toBe(amounts(rows.map((row) => row['lineItem/UnblendedCost']!)));
    expect(exactSum(lines, (line) => line.effectiveCost)).toBe(
      amounts(rows.map((row) => row['savingsPlan/SavingsPlanEffectiveCost']!)),
    );
    expect(exactSum(lines, (line) => line.effectiveCost)).toBe('0.3');
    expect(lines.every((line) => line.currency === 'NOK')).toBe(true);
    expect(lines[0]).toMatchObject({ region: 'us-west-1', invoiceId: '987654321', commitmentDiscountId: null });
  });

  it('SavingsPlanCoveredUsage rows in November-2023-None.csv: the SP effective cost, or unblended where blank', async () => {
    const file = dataset('koku/aws/November-2023-None.csv');
    const rows = rawCsvRows(file);
    const { lines } = await mapCollecting(file, curMapper);
    const covered = lines.filter((line) => line.discriminator.includes('SavingsPlanCoveredUsage'));
    expect(covered).toHaveLength(5);
    for (const line of covered) {
      const row = rows[line.position - 2]!;
      const effective = row['savingsPlan/SavingsPlanEffectiveCost']! || row['lineItem/UnblendedCost']!;
      expect(formatExact(line.effectiveCost)).toBe(decimalSum([effective]));
    }
  });

  it('splits koku-local-1.csv.gz into its three billing periods with the raw totals', async () => {
    const file = dataset('koku/aws/local_bucket_20180801-20180901/koku-local-1.csv.gz');
    const rows = rawCsvRows(file);
    const { lines, errors } = await mapCollecting(file, curMapper);
    expect(errors).toEqual([]);
    expect(lines).toHaveLength(13_380);
    const byPeriod = (period: string) => lines.filter((line) => line.billingPeriod === period);
    const rawPeriod = (period: string) => rows.filter((row) => row['bill/BillingPeriodStartDate']!.startsWith(period));
    expect([...new Set(lines.map((line) => line.billingPeriod))].sort()).toEqual(['2018-06', '2018-07', '2018-08']);
    for (const period of ['2018-06', '2018-07', '2018-08']) {
      expect(byPeriod(period)).toHaveLength(rawPeriod(period).length);
      expect(exactSum(byPeriod(period), (line) => line.billedCost)).toBe(
        amounts(rawPeriod(period).map((row) => row['lineItem/UnblendedCost']!)),
      );
    }
    expect(byPeriod('2018-06')).toHaveLength(3_300);
    expect(byPeriod('2018-07')).toHaveLength(9_304);
    expect(byPeriod('2018-08')).toHaveLength(776);
    expect(exactSum(lines, (line) => line.billedCost)).toBe(amounts(rows.map((row) => row['lineItem/UnblendedCost']!)));
    expect(new Set(lines.map((line) => line.subAccountId)).size).toBe(5);
  });

  it('keboola CUR 2.0 mock maps like the legacy one', async () => {
    const { lines } = await mapCollecting(
      dataset('keboola-cur-mock/cur_2_0/MockTestReportV2-00001.csv.gz'),
      cur2Mapper,
    );
    expect(lines[0]).toMatchObject({
      billingAccountId: '123456789012',
      subAccountId: '123456789012',
      serviceName: 'Amazon Elastic Compute Cloud',
      resourceId: 'i-abcd1234567890ef',
      billingPeriod: '2024-09',
      invoiceId: '987654321',
      currency: 'USD',
      pricingQuantity: '1.0',
      chargePeriodStart: '2024-09-01T00:00:00Z',
      chargePeriodEnd: '2024-09-01T01:00:00Z',
    });
  });
});

describe.skipIf(!datasetsPresent)(datasetsPresent ? 'readCurManifest' : DATASETS_SKIP_REASON, () => {
  it('reads a legacy manifest: report keys, billing period and category/name columns', async () => {
    const manifest = await readCurManifest(dataset('koku/aws/local_bucket_20180801-20180901/koku-local-Manifest.json'));
    expect(manifest.files).toEqual([
      '/koku-local/20180801-20180901/16e57707-f9e3-49be-8be6-b84e684b5194/koku-local-1.csv.gz',
    ]);
    expect(manifest.billingPeriod).toBe('2018-08');
    // Category + name, in the manifest's order; this manifest describes a wider report than the data file.
    const json = JSON.parse(
      fs.readFileSync(dataset('koku/aws/local_bucket_20180801-20180901/koku-local-Manifest.json'), 'utf8'),
    ) as { columns: { category: string; name: string }[] };
    expect(manifest.columns).toHaveLength(json.columns.length);
    expect(manifest.columns).toContain('lineItem/UnblendedCost');
    expect(manifest.columns).toContain('product/ProductName');
  });

  it('reads the keboola legacy manifest', async () => {
    const manifest = await readCurManifest(dataset('keboola-cur-mock/cur_1_0/cur1_manifest.json'));
    expect(manifest.files).toEqual(['20240101-20240131/MockTestReport-00001.csv.zip']);
    expect(manifest.billingPeriod).toBe('2024-01');
    expect(manifest.columns).toEqual(await header(dataset('keboola-cur-mock/cur_1_0/sample_billing_data.csv')));
  });

  it('reads a Data Exports (CUR 2.0) manifest: data files, period from the partition, snake_case columns', async () => {
    const manifest = await readCurManifest(dataset('keboola-cur-mock/cur_2_0/cur2_manifest.json'));
    expect(manifest.files).toEqual([
      's3://mock-cur-v2-bucket/data/BILLING_PERIOD=2024-09/MockTestReportV2-00001.csv.gz',
    ]);
    expect(manifest.billingPeriod).toBe('2024-09');
    expect(manifest.columns).toEqual(await header(dataset('keboola-cur-mock/cur_2_0/MockTestReportV2-00001.csv.gz')));
  });

  it('rejects a file that is not a manifest', async () => {
    await expect(readCurManifest(dataset('koku/aws/test_cur.csv'))).rejects.toMatchObject({ code: 'IMPORT_FORMAT' });
    await expect(
      readCurManifest(dataset('api-examples/aws-cost-explorer/GetCostAndUsage.aws-cli-example.json')),
    ).rejects.toMatchObject({ code: 'IMPORT_FORMAT', message: expect.stringContaining('neither') as string });
  });
});

// Synthetic headers and rows for the rules no public sample exercises.
const LEGACY = [
  'bill/PayerAccountId',
  'bill/BillingPeriodStartDate',
  'bill/InvoiceId',
  'lineItem/UsageAccountId',
  'lineItem/LineItemType',
  'lineItem/UsageStartDate',
  'lineItem/UsageEndDate',
  'lineItem/ProductCode',
  'lineItem/UsageType',
  'lineItem/Operation',
  'lineItem/AvailabilityZone',
  'lineItem/ResourceId',
  'lineItem/UsageAmount',
  'lineItem/CurrencyCode',
  'lineItem/UnblendedCost',
  'lineItem/LineItemDescription',
  'product/ProductName',
  'pricing/publicOnDemandCost',
  'reservation/ReservationARN',
  'reservation/EffectiveCost',
  'reservation/UnusedAmortizedUpfrontFeeForBillingPeriod',
  'reservation/UnusedRecurringFee',
  'savingsPlan/SavingsPlanARN',
  'savingsPlan/SavingsPlanEffectiveCost',
  'savingsPlan/TotalCommitmentToDate',
  'savingsPlan/UsedCommitment',
  'resourceTags/user:team',
  'resourceTags/aws:createdBy',
  'noTags/user:team',
];

function legacyRow(fields: Record<string, string>): string[] {
  const base: Record<string, string> = {
    'bill/PayerAccountId': '111122223333',
    'bill/BillingPeriodStartDate': '2024-03-01T00:00:00Z',
    'lineItem/UsageAccountId': '444455556666',
    'lineItem/LineItemType': 'Usage',
    'lineItem/UsageStartDate': '2024-03-05T10:00:00Z',
    'lineItem/UsageEndDate': '2024-03-05T11:00:00Z',
    'lineItem/ProductCode': 'AmazonEC2',
    'lineItem/CurrencyCode': 'USD',
    'lineItem/UnblendedCost': '10',
    ...fields,
  };
  return LEGACY.map((column) => base[column] ?? '');
}

function mapOne(columns: string[], values: string[], mapper: FormatMapper = curMapper): NormalizedLine {
  const [line] = mapper.compile(columns, { fileName: 'synthetic.csv' }).map(values);
  return line!;
}

describe('CUR mapping rules', () => {
  it('maps every line item type to a FOCUS charge category', () => {
    const expected: Record<string, string> = {
      Usage: 'Usage',
      DiscountedUsage: 'Usage',
      SavingsPlanCoveredUsage: 'Usage',
      SavingsPlanNegation: 'Usage',
      Fee: 'Purchase',
      RIFee: 'Purchase',
      SavingsPlanRecurringFee: 'Purchase',
      SavingsPlanUpfrontFee: 'Purchase',
      Tax: 'Tax',
      Credit: 'Credit',
      Refund: 'Credit',
      BundledDiscount: 'Credit',
      Discount: 'Credit',
      EdpDiscount: 'Credit',
      PrivateRateDiscount: 'Credit',
      SomeFutureDiscount: 'Credit',
      SomethingNew: 'Adjustment',
    };
    for (const [type, category] of Object.entries(expected)) expect(curChargeCategory(type), type).toBe(category);
  });

  it('applies the amortized effective-cost formula per line item type', () => {
    const effective = (fields: Record<string, string>) => formatExact(mapOne(LEGACY, legacyRow(fields)).effectiveCost);
    expect(effective({ 'lineItem/LineItemType': 'Usage' })).toBe('10');
    expect(
      effective({ 'lineItem/LineItemType': 'SavingsPlanCoveredUsage', 'savingsPlan/SavingsPlanEffectiveCost': '6.5' }),
    ).toBe('6.5');
    expect(effective({ 'lineItem/LineItemType': 'SavingsPlanNegation', 'lineItem/UnblendedCost': '-10' })).toBe('0');
    expect(effective({ 'lineItem/LineItemType': 'SavingsPlanUpfrontFee', 'lineItem/UnblendedCost': '8760' })).toBe('0');
    expect(
      effective({
        'lineItem/LineItemType': 'SavingsPlanRecurringFee',
        'savingsPlan/TotalCommitmentToDate': '24',
        'savingsPlan/UsedCommitment': '20.25',
      }),
    ).toBe('3.75');
    expect(effective({ 'lineItem/LineItemType': 'DiscountedUsage', 'reservation/EffectiveCost': '4.2' })).toBe('4.2');
    expect(
      effective({
        'lineItem/LineItemType': 'RIFee',
        'reservation/UnusedAmortizedUpfrontFeeForBillingPeriod': '1.5',
        'reservation/UnusedRecurringFee': '0.25',
      }),
    ).toBe('1.75');
    expect(effective({ 'lineItem/LineItemType': 'Fee', 'reservation/ReservationARN': 'arn:aws:ec2:ri/1' })).toBe('0');
    expect(effective({ 'lineItem/LineItemType': 'Fee' })).toBe('10');
  });

  it('fills commitment fields from the Savings Plan or reservation ARN', () => {
    const sp = mapOne(
      LEGACY,
      legacyRow({ 'lineItem/LineItemType': 'SavingsPlanCoveredUsage', 'savingsPlan/SavingsPlanARN': 'arn:sp/1' }),
    );
    expect(sp).toMatchObject({
      commitmentDiscountId: 'arn:sp/1',
      commitmentDiscountType: 'Savings Plan',
      commitmentDiscountStatus: 'Used',
    });
    const ri = mapOne(
      LEGACY,
      legacyRow({ 'lineItem/LineItemType': 'RIFee', 'reservation/ReservationARN': 'arn:ri/1' }),
    );
    expect(ri).toMatchObject({
      commitmentDiscountId: 'arn:ri/1',
      commitmentDiscountType: 'Reserved Instance',
      commitmentDiscountStatus: null,
      chargeCategory: 'Purchase',
    });
  });

  it('maps the rest of a legacy row', () => {
    const line = mapOne(
      LEGACY,
      legacyRow({
        'lineItem/UsageType': 'BoxUsage:m5.large',
        'lineItem/Operation': 'RunInstances',
        'lineItem/AvailabilityZone': 'us-east-1a',
        'lineItem/ResourceId': 'i-1',
        'lineItem/UsageAmount': '1.000',
        'pricing/publicOnDemandCost': '12.5',
        'resourceTags/user:team': 'payments',
        'resourceTags/aws:createdBy': 'root',
        'noTags/user:team': 'ignored',
      }),
    );
    expect(line).toMatchObject({
      provider: 'AWS',
      billingAccountId: '111122223333',
      subAccountId: '444455556666',
      serviceName: 'AmazonEC2',
      chargePeriodStart: '2024-03-05T10:00:00Z',
      chargePeriodEnd: '2024-03-05T11:00:00Z',
      chargeDay: '2024-03-05',
      billingPeriod: '2024-03',
      invoiceId: null,
      pricingQuantity: '1.000',
      tags: { team: 'payments', 'aws:createdBy': 'root' },
      discriminator: ['BoxUsage:m5.large', 'RunInstances', 'Usage', 'us-east-1a'].join('\u001f'),
    });
    expect(formatExact(line.listCost!)).toBe('12.5');
    expect(line.billedCost).toBe(line.effectiveCost);
  });

  it('defaults the currency to USD only when the column is absent', () => {
    const columns = LEGACY.filter((column) => column !== 'lineItem/CurrencyCode');
    const values = legacyRow({}).filter((_, i) => LEGACY[i] !== 'lineItem/CurrencyCode');
    expect(mapOne(columns, values).currency).toBe('USD');
    expect(() => mapOne(LEGACY, legacyRow({ 'lineItem/CurrencyCode': '' }))).toThrow(RowError);
  });

  it('raises RowErrors naming the column for unusable cells', () => {
    const failure = (fields: Record<string, string>) => {
      try {
        mapOne(LEGACY, legacyRow(fields));
      } catch (error) {
        return error instanceof RowError ? error.column : error;
      }
      return 'no error';
    };
    expect(failure({ 'lineItem/UnblendedCost': 'BoxUsage:m5.large' })).toBe('lineItem/UnblendedCost');
    expect(failure({ 'lineItem/UsageStartDate': '2024-02-30T00:00:00Z' })).toBe('lineItem/UsageStartDate');
    expect(failure({ 'lineItem/LineItemType': '' })).toBe('lineItem/LineItemType');
    expect(failure({ 'bill/BillingPeriodStartDate': 'soon' })).toBe('bill/BillingPeriodStartDate');
    expect(failure({ 'lineItem/CurrencyCode': 'RunInstances' })).toBe('lineItem/CurrencyCode');
  });

  it('skips a wholly blank row and requires the core columns at compile time', () => {
    expect(curMapper.compile(LEGACY, { fileName: 'x.csv' }).map(LEGACY.map(() => ''))).toEqual([]);
    expect(() =>
      curMapper.compile(
        LEGACY.filter((column) => column !== 'lineItem/UnblendedCost'),
        { fileName: 'x.csv' },
      ),
    ).toThrow(/lineItem\/UnblendedCost/);
  });

  it('reads CUR 2.0 map columns: resource_tags without the user prefix, product attributes, account names', () => {
    const columns = [
      'bill_payer_account_id',
      'bill_payer_account_name',
      'bill_billing_period_start_date',
      'line_item_usage_account_id',
      'line_item_usage_account_name',
      'line_item_line_item_type',
      'line_item_usage_start_date',
      'line_item_usage_end_date',
      'line_item_product_code',
      'line_item_currency_code',
      'line_item_unblended_cost',
      'product',
      'resource_tags',
      'cost_category',
    ];
    expect(cur2Mapper.detect(columns)).toBeGreaterThan(curMapper.detect(columns));
    expect(curMapper.detect(columns)).toBeLessThan(0.5);
    const values = [
      '111122223333',
      'Payer Org',
      '2024-09-01T00:00:00.000Z',
      '444455556666',
      'Team Account',
      'Usage',
      '2024-09-02T00:00:00.000Z',
      '2024-09-02T01:00:00.000Z',
      'AmazonS3',
      'EUR',
      '0.25',
      '{"product_name":"Amazon Simple Storage Service","region":"eu-west-1"}',
      '{"user:team":"a","user_cost_center":"42","aws:createdBy":"me","user:empty":""}',
      '{"env":"prod"}',
    ];
    const compiled = cur2Mapper.compile(columns, { fileName: 'cur2.csv' });
    expect(compiled.variant).toBe('AWS CUR 2.0 (Data Exports)');
    expect(compiled.map(values)[0]).toMatchObject({
      billingAccountName: 'Payer Org',
      subAccountName: 'Team Account',
      serviceName: 'Amazon Simple Storage Service',
      region: 'eu-west-1',
      currency: 'EUR',
      billingPeriod: '2024-09',
      tags: { team: 'a', cost_center: '42', 'aws:createdBy': 'me' },
    });
    expect(() => compiled.map(values.with(12, '{broken'))).toThrow(RowError);
  });

  it('tells Athena-named legacy CUR from CUR 2.0 by headers alone', () => {
    const snake = [
      'bill_payer_account_id',
      'bill_billing_period_start_date',
      'line_item_line_item_type',
      'line_item_usage_start_date',
      'line_item_unblended_cost',
    ];
    expect(cur2Mapper.detect(snake)).toBeGreaterThan(curMapper.detect(snake));
    expect(curMapper.detect([...snake, 'resource_tags_user_team'])).toBeGreaterThan(
      cur2Mapper.detect([...snake, 'resource_tags_user_team']),
    );
    expect(curMapper.detect([...snake, 'year', 'month'])).toBeGreaterThan(
      cur2Mapper.detect([...snake, 'year', 'month']),
    );
    expect(cur2Mapper.detect(['BilledCost', 'ChargePeriodStart'])).toBe(0);
    expect(curMapper.detect(LEGACY)).toBeGreaterThan(0.9);
    expect(cur2Mapper.detect(LEGACY)).toBe(0);
  });
});
