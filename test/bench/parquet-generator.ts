/**
 * The large-tenant export of focus-generator.ts (the same rows and amounts) written as Parquet, in two
 * layouts: FOCUS (PascalCase columns, amounts DECIMAL(38,10), timestamps, Tags a MAP) and AWS CUR 2.0
 * from Data Exports (snake_case columns, amounts DOUBLE, resource_tags and product MAPs). Rows are
 * buffered one row group at a time and handed to hyparquet-writer's incremental writer, so writing a
 * file of millions of rows holds one row group.
 *
 * Codecs: SNAPPY is built into hyparquet-writer. No zstd compressor ships with the project (Node 20's
 * zlib has none), so ZSTD pages are compressed by the system's `zstd` program; without it ZSTD files are
 * not written and the benchmark says so.
 */
import { decimalColumn, doubleColumn, mapColumn, textColumn, timestampColumn } from '../support/parquet-schema';
import { parseAnyDecimal } from '../../shared/exact';
import { execFileSync, spawnSync } from 'node:child_process';
import type { SchemaElement } from 'hyparquet';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import {
  focusRows,
  tenthsText,
  type FocusGeneratorOptions,
  type FocusRow,
  type GeneratedFocus,
} from './focus-generator';

export type ParquetLayout = 'focus' | 'cur2';
export type ParquetCodec = 'SNAPPY' | 'ZSTD';

export interface ParquetGeneratorOptions extends FocusGeneratorOptions {
  layout: ParquetLayout;
  codec: ParquetCodec;
  /** Rows per row group: exporters write large ones (Spark: 128 MiB), which a reader must not hold whole. */
  rowGroupRows: number;
}

/** Whether ZSTD files can be written here (the system `zstd` program is present). */
export function zstdAvailable(): boolean {
  return spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;
}

function zstdCompress(input: Uint8Array): Uint8Array {
  return execFileSync('zstd', ['-q', '-c', '-3'], { input, maxBuffer: 1 << 30 });
}

const text = textColumn;
const decimal = (name: string) => decimalColumn(name, 10);
const double = doubleColumn;
const timestamp = (name: string) => timestampColumn(name);
const map = mapColumn;

/** A column: its schema elements and its value in a row. */
type Column = [SchemaElement[], (row: FocusRow) => unknown];

const date = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const quantity = (row: FocusRow) => BigInt(row.service.base) * 10_000_000_000n + 5_000_000_000n;

const FOCUS: Column[] = [
  [[decimal('BilledCost')], (row) => row.tenths],
  [[decimal('EffectiveCost')], (row) => row.tenths],
  [[decimal('ListCost')], (row) => row.tenths],
  [[decimal('ContractedCost')], (row) => row.tenths],
  [[text('BillingAccountId')], (row) => row.account.id],
  [[text('BillingAccountName')], (row) => row.account.name],
  [[text('BillingCurrency')], () => 'USD'],
  [[timestamp('BillingPeriodStart')], (row) => date(row.periodStart)],
  [[timestamp('BillingPeriodEnd')], (row) => date(row.periodEnd)],
  [[text('ChargeCategory')], () => 'Usage'],
  [[text('ChargeClass')], () => null],
  [[text('ChargeDescription')], (row) => `${row.service.name} usage`],
  [[text('ChargeFrequency')], () => 'Usage-Based'],
  [[timestamp('ChargePeriodStart')], (row) => date(row.day)],
  [[timestamp('ChargePeriodEnd')], (row) => date(row.nextDay)],
  [[text('InvoiceId')], (row) => row.invoice],
  [[text('ProviderName')], () => 'AWS'],
  [[text('PublisherName')], () => 'Amazon Web Services, Inc.'],
  [[text('InvoiceIssuerName')], () => 'Amazon Web Services, Inc.'],
  [[text('RegionId')], (row) => row.account.region[0]],
  [[text('RegionName')], (row) => row.account.region[1]],
  [[text('ResourceId')], (row) => `arn:aws:svc:${row.account.region[0]}:${row.account.sub}:res/${row.service.sku}`],
  [[text('ServiceName')], (row) => row.service.name],
  [[text('ServiceCategory')], (row) => row.service.category],
  [[text('SkuId')], (row) => row.service.sku],
  [[text('SkuPriceId')], (row) => `${row.service.sku}.P1`],
  [[text('SubAccountId')], (row) => row.account.sub],
  [[text('SubAccountName')], (row) => `${row.account.name} workloads`],
  [[decimal('PricingQuantity')], quantity],
  [[text('PricingUnit')], () => 'Hours'],
  [map('Tags'), (row) => row.tags],
];

// CUR 2.0 writes amounts as doubles, as AWS does. The generator's amounts (10 decimals, under 16
// digits) survive the round trip exactly; one that would not stops the benchmark rather than skew its total.
const amount = (row: FocusRow) => {
  const value = Number(row.billed);
  if (parseAnyDecimal(String(value)) !== parseAnyDecimal(row.billed))
    throw new Error(`${row.billed} is not exact as a double: the CUR 2.0 file would not sum to the generator's total`);
  return value;
};

const CUR2: Column[] = [
  [[text('bill_invoice_id')], (row) => row.invoice],
  [[text('bill_payer_account_id')], (row) => row.account.id],
  [[text('bill_payer_account_name')], (row) => row.account.name],
  [[timestamp('bill_billing_period_start_date')], (row) => date(row.periodStart)],
  [[timestamp('bill_billing_period_end_date')], (row) => date(row.periodEnd)],
  [[text('line_item_usage_account_id')], (row) => row.account.sub],
  [[text('line_item_usage_account_name')], (row) => `${row.account.name} workloads`],
  [[text('line_item_line_item_type')], () => 'Usage'],
  [[timestamp('line_item_usage_start_date')], (row) => date(row.day)],
  [[timestamp('line_item_usage_end_date')], (row) => date(row.nextDay)],
  [[text('line_item_product_code')], (row) => row.service.name],
  [[text('line_item_usage_type')], (row) => `${row.account.region[0]}:${row.service.sku}`],
  [[text('line_item_operation')], () => 'RunInstances'],
  [[text('line_item_availability_zone')], (row) => `${row.account.region[0]}a`],
  [
    [text('line_item_resource_id')],
    (row) => `arn:aws:svc:${row.account.region[0]}:${row.account.sub}:res/${row.service.sku}`,
  ],
  [[text('line_item_line_item_description')], (row) => `${row.service.name} usage`],
  [[double('line_item_usage_amount')], (row) => Number(quantity(row)) / 1e10],
  [[double('line_item_unblended_cost')], amount],
  [[double('line_item_blended_cost')], amount],
  [[double('line_item_net_unblended_cost')], amount],
  [[text('line_item_currency_code')], () => 'USD'],
  [[text('pricing_unit')], () => 'Hrs'],
  [[double('pricing_public_on_demand_cost')], amount],
  [[text('product_sku')], (row) => row.service.sku],
  [[text('product_region_code')], (row) => row.account.region[0]],
  [map('product'), (row) => ({ product_name: row.service.name, region: row.account.region[0] })],
  [map('resource_tags'), (row) => (row.tags ? { user_team: row.tags.team, user_env: row.tags.env } : null)],
  [map('cost_category'), () => null],
];

/**
 * Page size, in uncompressed bytes. parquet-mr (Spark, Athena, AWS's exports) also ends a page at 20,000
 * rows; hyparquet-writer has no such limit, and its 1 MiB default packs a dictionary-encoded column of
 * 500,000 rows into one page. 32 KiB gives pages of about 20,000 rows here, as exporters write them.
 */
const PAGE_BYTES = 32 * 1024;

export async function generateParquetExport(options: ParquetGeneratorOptions): Promise<GeneratedFocus> {
  const columns = options.layout === 'focus' ? FOCUS : CUR2;
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
    ...columns.flatMap(([elements]) => elements),
  ];
  const writer = fileWriter(options.file);
  const parquet = new ParquetWriter({
    writer,
    schema,
    codec: options.codec,
    statistics: false,
    compressors: options.codec === 'ZSTD' ? { ZSTD: zstdCompress } : undefined,
  });
  let rows = 0;
  let totalTenths = 0n;
  let buffered: FocusRow[] = [];
  const flush = async () => {
    if (!buffered.length) return;
    const group = buffered;
    buffered = [];
    await parquet.write({
      columnData: columns.map(([elements, pick]) => ({ name: elements[0]!.name, data: group.map(pick) })),
      rowGroupSize: group.length,
      pageSize: PAGE_BYTES,
    });
  };
  for (const row of focusRows(options)) {
    rows++;
    totalTenths += row.tenths;
    buffered.push(row);
    if (buffered.length === options.rowGroupRows) await flush();
  }
  await flush();
  await parquet.finish();
  return { rows, bytes: writer.offset, billedTotal: tenthsText(totalTenths) };
}
