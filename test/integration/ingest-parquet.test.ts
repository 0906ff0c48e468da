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

const open: Workspace[] = [];
afterEach(() => {
  for (const workspace of open.splice(0)) disposeWorkspace(workspace);
});
beforeEach(() => resetStats());

function resetStats() {
  Object.assign(parquetReadStats, { slices: 0, rowsDecoded: 0, maxRowsHeld: 0, pagesDecoded: 0 });
}

const ROWS = 25_000;
const GROUP_ROWS = 10_000;

const text = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});
const decimal = (name: string): SchemaElement => ({
  name,
  type: 'FIXED_LEN_BYTE_ARRAY',
  type_length: 16,
  converted_type: 'DECIMAL',
  precision: 38,
  scale: 12,
  repetition_type: 'OPTIONAL',
});

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

/** FOCUS rows in three row groups, BilledCost as DECIMAL(38,12), Tags as MAP<string,string>. */
function writeFocus(file: string): { billed: string[] } {
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
      [
        { name: 'Tags', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'MAP' },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ],
      amounts.map((_, row) => (row % 5 === 0 ? null : { team: row % 2 ? 'web' : 'data', row: String(row) })),
    ],
  ];
  parquetWriteFile({
    filename: file,
    schema: [{ name: 'root', num_children: columns.length }, ...columns.flatMap(([elements]) => elements)],
    columnData: columns.map(([elements, data]) => ({ name: elements[0]!.name, data })),
    rowGroupSize: GROUP_ROWS,
    // Small pages so that slices and pages do not line up (a repeated Tags row must go on across pages).
    pageSize: 16 * 1024,
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
