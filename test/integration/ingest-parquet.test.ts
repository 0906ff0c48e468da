/**
 * Parquet read with bounded memory: a file of several row groups, each larger than a reader slice,
 * imports to an exact total while the reader never holds more than one slice of rows; its MAP column
 * arrives as tags; and an unchanged re-import (and format detection) decodes no rows at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SchemaElement } from 'hyparquet';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectFile, importCostFiles } from '../../electron/core/ingest/import';
import { parquetReadStats, SLICE_ROWS } from '../../electron/core/ingest/parquet-reader';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { decimalSum } from '../support/decimal';
import { allCosts, disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import { tempDir } from '../support/workspace';
import { soleTotal } from '../support/costs';
import { decimalColumn, doubleColumn, mapColumn, textColumn, timestampColumn } from '../support/parquet-schema';

const open: Workspace[] = [];
afterEach(() => {
  for (const workspace of open.splice(0)) disposeWorkspace(workspace);
});
beforeEach(() => resetStats());

function resetStats() {
  Object.assign(parquetReadStats, { slices: 0, rowsDecoded: 0, maxRowsHeld: 0, pagesDecoded: 0, maxListsHeld: 0 });
}

const ROWS = 25_000;
const GROUP_ROWS = 10_000;

const text = textColumn;
const decimal = (name: string) => decimalColumn(name, 12);

/** A deterministic spread of amounts: small, negative, and beyond a double's 2⁵³ once unscaled. */
function unscaledAmount(row: number): bigint {
  const base = BigInt((row * 7919) % 1_000_003) * 1_000_000_007n;
  if (row % 97 === 0) return -base;
  if (row % 101 === 0) return base * 10n ** 12n + 1n;
  return base;
}

function decimalOf(unscaled: bigint): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(13, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -12)}.${digits.slice(-12)}`;
}

/**
 * FOCUS rows in three row groups, BilledCost as DECIMAL(38,12), Tags as MAP<string,string>. Pages are
 * small unless `pageSize` says otherwise.
 */
function writeFocus(file: string, pageSize = 16 * 1024): { billed: string[] } {
  const amounts = Array.from({ length: ROWS }, (_, row) => unscaledAmount(row));
  const day = (row: number) => `2025-01-${String(1 + (row % 28)).padStart(2, '0')}`;
  const columns: [SchemaElement[], unknown[]][] = [
    [[decimal('BilledCost')], amounts],
    [[decimal('EffectiveCost')], amounts],
    [[text('BillingCurrency')], amounts.map(() => 'USD')],
    [[text('ChargePeriodStart')], amounts.map((_, row) => `${day(row)}T00:00:00Z`)],
    [[text('ChargePeriodEnd')], amounts.map((_, row) => `${day(row)}T01:00:00Z`)],
    [[text('BillingPeriodStart')], amounts.map(() => '2025-01-01T00:00:00Z')],
    [[text('ChargeCategory')], amounts.map(() => 'Usage')],
    [[text('BillingAccountId')], amounts.map(() => 'acct')],
    [[text('ServiceName')], amounts.map((_, row) => `Service ${row % 13}`)],
    [[text('ProviderName')], amounts.map(() => 'AWS')],
    [[text('ResourceId')], amounts.map((_, row) => `i-${row}`)],
    [
      mapColumn('Tags'),
      amounts.map((_, row) => (row % 5 === 0 ? null : { team: row % 2 ? 'web' : 'data', row: String(row) })),
    ],
  ];
  parquetWriteFile({
    filename: file,
    schema: [{ name: 'root', num_children: columns.length }, ...columns.flatMap(([elements]) => elements)],
    columnData: columns.map(([elements, data]) => ({ name: elements[0]!.name, data })),
    rowGroupSize: GROUP_ROWS,
    // Small pages so that slices and pages do not line up (a repeated Tags row must go on across pages).
    pageSize,
  });
  return { billed: amounts.map(decimalOf) };
}

function fresh() {
  const ws = emptyWorkspace();
  open.push(ws.workspace);
  return ws;
}

describe('Parquet with bounded memory', () => {
  it('imports several row groups slice by slice to the exact total, with MAP tags', async () => {
    const file = path.join(tempDir('valdrix-parquet-'), 'focus.parquet');
    const { billed } = writeFocus(file);
    const metadata = parquetMetadata(new Uint8Array(fs.readFileSync(file)).buffer);
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([10_000, 10_000, 5_000]);
    expect(SLICE_ROWS).toBeLessThan(GROUP_ROWS);

    const { deps, workspace } = fresh();
    const result = await importCostFiles(deps, request(file));
    expect(result.rowsRead).toBe(ROWS);
    expect(soleTotal(result).billed).toBe(decimalSum(billed));
    // Never a whole row group at once: one slice at most.
    expect(parquetReadStats.rowsDecoded).toBe(ROWS);
    expect(parquetReadStats.maxRowsHeld).toBeLessThanOrEqual(SLICE_ROWS);
    expect(parquetReadStats.slices).toBeGreaterThanOrEqual(Math.ceil(ROWS / SLICE_ROWS));

    const byTeam = allCosts(workspace.store.sqlite, ['tag:team']).rows;
    const tagged = (row: number) => row % 5 !== 0;
    const expected = (team: string | null) =>
      decimalSum(
        billed.filter((_, row) => (team === null ? !tagged(row) : tagged(row) && (row % 2 ? 'web' : 'data') === team)),
      );
    expect(byTeam).toEqual([
      expect.objectContaining({ 'tag:team': null, billed: expected(null) }),
      expect.objectContaining({ 'tag:team': 'data', billed: expected('data') }),
      expect.objectContaining({ 'tag:team': 'web', billed: expected('web') }),
    ]);
  });

  it('assembles a map page that holds a whole row group a slice at a time', async () => {
    const file = path.join(tempDir('valdrix-parquet-'), 'focus-big-pages.parquet');
    const { billed } = writeFocus(file, 64 * 1024 * 1024);
    const { deps, workspace } = fresh();
    const result = await importCostFiles(deps, request(file));
    expect(result.rowsRead).toBe(ROWS);
    expect(soleTotal(result).billed).toBe(decimalSum(billed));
    // One page per column chunk (13 physical columns × 3 row groups), so a page of tags holds 10,000 rows;
    // at most a slice of them (and the row that may go on) are lists at once.
    expect(parquetReadStats.pagesDecoded).toBe(39);
    expect(parquetReadStats.maxListsHeld).toBeGreaterThan(0);
    expect(parquetReadStats.maxListsHeld).toBeLessThanOrEqual(SLICE_ROWS + 1);
    const tagged = allCosts(workspace.store.sqlite, ['tag:team']).rows.find((row) => row['tag:team'] === 'web');
    expect(tagged?.billed).toBe(decimalSum(billed.filter((_, row) => row % 5 !== 0 && row % 2 === 1)));
  });

  it('an unchanged re-import decodes no rows', async () => {
    const file = path.join(tempDir('valdrix-parquet-'), 'focus.parquet');
    writeFocus(file);
    const { deps } = fresh();
    await importCostFiles(deps, request(file));
    resetStats();
    const again = await importCostFiles(deps, request(file));
    expect(again).toMatchObject({ inserted: 0, unchanged: ROWS });
    expect(parquetReadStats).toMatchObject({ rowsDecoded: 0, pagesDecoded: 0 });
  });

  it('detects the format from the footer alone: data pages are never read', async () => {
    const file = path.join(tempDir('valdrix-parquet-'), 'focus.parquet');
    writeFocus(file);
    // Zero every column chunk, keeping the footer: reading any page would fail.
    const bytes = fs.readFileSync(file);
    const metadata = parquetMetadata(new Uint8Array(bytes).buffer);
    for (const group of metadata.row_groups) {
      for (const chunk of group.columns) {
        const meta = chunk.meta_data!;
        const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
        bytes.fill(0, start, start + Number(meta.total_compressed_size));
      }
    }
    fs.writeFileSync(file, bytes);
    const detected = await detectFile(file);
    expect(detected).toMatchObject({ format: 'focus', container: 'parquet', error: null });
    expect(parquetReadStats.rowsDecoded).toBe(0);
    // The import itself reads the pages and names the damage instead of importing zeros.
    const { deps } = fresh();
    await expect(importCostFiles(deps, request(file))).rejects.toThrow(/focus\.parquet/);
  });
});

describe('CUR 2.0 as Parquet (the layout of AWS Data Exports)', () => {
  const timestamp = timestampColumn;
  const double = doubleColumn;
  const map = mapColumn;

  it('reads timestamps (milli- and microseconds), double amounts and the product and resource_tags maps', async () => {
    const rows = 6_000;
    const ms = (iso: string) => Date.parse(iso);
    const day = (row: number) => `2025-03-${String(1 + (row % 30)).padStart(2, '0')}`;
    const cost = (row: number) => [0.25, 1.5, 0.000123, 12.75][row % 4]!;
    const columns: [SchemaElement[], unknown[]][] = [
      [[text('bill_payer_account_id')], Array.from({ length: rows }, () => '111122223333')],
      [
        [timestamp('bill_billing_period_start_date', 'TIMESTAMP_MILLIS')],
        Array.from({ length: rows }, () => new Date(ms('2025-03-01T00:00:00Z'))),
      ],
      [
        [timestamp('bill_billing_period_end_date', 'TIMESTAMP_MILLIS')],
        Array.from({ length: rows }, () => new Date(ms('2025-04-01T00:00:00Z'))),
      ],
      [[text('line_item_usage_account_id')], Array.from({ length: rows }, () => '444455556666')],
      [[text('line_item_line_item_type')], Array.from({ length: rows }, () => 'Usage')],
      [
        [timestamp('line_item_usage_start_date', 'TIMESTAMP_MICROS')],
        Array.from({ length: rows }, (_, row) => BigInt(ms(`${day(row)}T05:00:00Z`)) * 1000n),
      ],
      [
        [timestamp('line_item_usage_end_date', 'TIMESTAMP_MICROS')],
        Array.from({ length: rows }, (_, row) => BigInt(ms(`${day(row)}T06:00:00Z`)) * 1000n),
      ],
      [
        [text('line_item_product_code')],
        Array.from({ length: rows }, (_, row) => (row % 2 ? 'AmazonEC2' : 'AmazonS3')),
      ],
      [[text('line_item_resource_id')], Array.from({ length: rows }, (_, row) => `r-${row}`)],
      [[double('line_item_unblended_cost')], Array.from({ length: rows }, (_, row) => cost(row))],
      [[double('line_item_net_unblended_cost')], Array.from({ length: rows }, (_, row) => cost(row))],
      [[text('line_item_currency_code')], Array.from({ length: rows }, () => 'USD')],
      [
        map('product'),
        Array.from({ length: rows }, (_, row) =>
          row % 2 ? { product_name: 'Amazon Elastic Compute Cloud', region: 'eu-west-1' } : { region: 'us-east-1' },
        ),
      ],
      [map('resource_tags'), Array.from({ length: rows }, (_, row) => (row % 3 ? { user_team: `t${row % 3}` } : null))],
    ];
    const file = path.join(tempDir('valdrix-parquet-'), 'cur2.parquet');
    parquetWriteFile({
      filename: file,
      schema: [{ name: 'root', num_children: columns.length }, ...columns.flatMap(([elements]) => elements)],
      columnData: columns.map(([elements, data]) => ({ name: elements[0]!.name, data })),
      rowGroupSize: 2_500,
      pageSize: 8 * 1024,
    });

    const { deps, workspace } = fresh();
    const result = await importCostFiles(deps, request(file));
    expect(result.rowsRead).toBe(rows);
    expect(soleTotal(result).billed).toBe(decimalSum(Array.from({ length: rows }, (_, row) => String(cost(row)))));
    expect(
      workspace.store.sqlite
        .prepare(
          `SELECT resource_id AS resource, service_name AS service, region, charge_day AS day, charge_period_start AS start,
             billing_period AS period, tags FROM cost_line WHERE resource_id IN ('r-7', 'r-8', 'r-9') ORDER BY resource_id`,
        )
        .all(),
    ).toEqual([
      {
        resource: 'r-7',
        service: 'Amazon Elastic Compute Cloud',
        region: 'eu-west-1',
        day: '2025-03-08',
        start: '2025-03-08T05:00:00.000Z',
        period: '2025-03',
        tags: '{"team":"t1"}',
      },
      {
        resource: 'r-8',
        service: 'AmazonS3',
        region: 'us-east-1',
        day: '2025-03-09',
        start: '2025-03-09T05:00:00.000Z',
        period: '2025-03',
        tags: '{"team":"t2"}',
      },
      {
        resource: 'r-9',
        service: 'Amazon Elastic Compute Cloud',
        region: 'eu-west-1',
        day: '2025-03-10',
        start: '2025-03-10T05:00:00.000Z',
        period: '2025-03',
        tags: '{}',
      },
    ]);
  });
});
