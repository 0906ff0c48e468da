/**
 * The same FOCUS and CUR rows as CSV, CSV.gz and Parquet import to the same lines and exact totals, and
 * FOCUS versions are told apart by their columns (1.3 spells ServiceProviderName).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterEach, describe, expect, it } from 'vitest';
import { importCostFiles } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { decimalSum } from '../support/decimal';
import { allCosts, disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import { tempDir } from '../support/workspace';
import { soleTotal } from '../support/costs';

const open: Workspace[] = [];
afterEach(() => {
  for (const workspace of open.splice(0)) disposeWorkspace(workspace);
});

function fresh() {
  const ws = emptyWorkspace();
  open.push(ws.workspace);
  return ws;
}

const FOCUS_HEADER = [
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'BillingAccountId',
  'ServiceName',
  'ProviderName',
  'ResourceId',
];
const focusRows = [
  [
    '12.000000000000000000001',
    '10',
    'USD',
    '2025-01-03T00:00:00Z',
    '2025-01-04T00:00:00Z',
    '2025-01-01T00:00:00Z',
    'Usage',
    'acct',
    'Compute',
    'AWS',
    'i-1',
  ],
  [
    '0.5',
    '0.5',
    'USD',
    '2025-01-03T00:00:00Z',
    '2025-01-04T00:00:00Z',
    '2025-01-01T00:00:00Z',
    'Usage',
    'acct',
    'Storage',
    'AWS',
    'v-1',
  ],
  [
    '-1.25',
    '-1.25',
    'USD',
    '2025-01-04T00:00:00Z',
    '2025-01-05T00:00:00Z',
    '2025-01-01T00:00:00Z',
    'Credit',
    'acct',
    'Compute',
    'AWS',
    '',
  ],
];

function csv(header: string[], rows: string[][]): string {
  return `${[header, ...rows].map((row) => row.join(',')).join('\n')}\n`;
}

describe('containers', () => {
  it('FOCUS as CSV, CSV.gz and Parquet gives the same exact totals and lines', async () => {
    const dir = tempDir('valdrix-containers-');
    const text = csv(FOCUS_HEADER, focusRows);
    const files = {
      csv: path.join(dir, 'focus.csv'),
      gz: path.join(dir, 'focus.csv.gz'),
      parquet: path.join(dir, 'focus.parquet'),
    };
    fs.writeFileSync(files.csv, text);
    fs.writeFileSync(files.gz, zlib.gzipSync(text));
    parquetWriteFile({
      filename: files.parquet,
      columnData: FOCUS_HEADER.map((name, column) => ({
        name,
        data: focusRows.map((row) => row[column] || null),
        type: 'STRING' as const,
      })),
    });
    const expected = decimalSum(focusRows.map((row) => row[0]!));
    const byService: unknown[] = [];
    for (const [container, file] of Object.entries(files)) {
      const { deps, workspace } = fresh();
      const result = await importCostFiles(deps, request(file));
      expect(result.files[0], container).toMatchObject({
        format: 'focus',
        container: container === 'gz' ? 'csv.gz' : container,
        rows: 3,
      });
      expect(soleTotal(result).billed, container).toBe(expected);
      byService.push(allCosts(workspace.store.sqlite, ['service', 'charge_category']).rows);
    }
    expect(byService[1]).toEqual(byService[0]);
    expect(byService[2]).toEqual(byService[0]);
  });

  // A file read front to back is hashed by its scan as it reads (no second read, no hashing thread);
  // Parquet (read footer first) and empty files are hashed beside the import. Either way the run records
  // each file's SHA-256 of its bytes on disk, in the order named (gzip: the compressed bytes).
  it("records every file's SHA-256, hashed by the scan or beside it", async () => {
    const dir = tempDir('valdrix-containers-');
    const text = csv(FOCUS_HEADER, focusRows);
    const files = [
      path.join(dir, 'a.csv'),
      path.join(dir, 'b.csv.gz'),
      path.join(dir, 'c.parquet'),
      path.join(dir, 'd-empty.json'),
    ];
    fs.writeFileSync(files[0]!, text);
    fs.writeFileSync(files[1]!, zlib.gzipSync(text.replace('i-1', 'i-2')));
    parquetWriteFile({
      filename: files[2]!,
      columnData: FOCUS_HEADER.map((name, column) => ({
        name,
        data: focusRows.map((row) => (column === 10 ? `p-${row[column]}` : row[column] || null)),
        type: 'STRING' as const,
      })),
    });
    fs.writeFileSync(files[3]!, '[]'); // GCP's legacy export of a day without usage
    const { deps, workspace } = fresh();
    // As large as the scan worker's threshold: scanned in the worker, hashes taken alongside the import.
    const result = await importCostFiles(deps, request(files), { minWorkerBytes: 0 });
    const summary = JSON.parse(
      workspace.store.sqlite.prepare('SELECT summary FROM import_run WHERE id = ?').pluck().get(result.runId) as string,
    ) as { fileHashes: { path: string; sha256: string; bytes: number }[] };
    expect(summary.fileHashes).toEqual(
      files.map((file) => ({
        path: file,
        sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
        bytes: fs.statSync(file).size,
      })),
    );
  });

  it('Parquet DOUBLE amounts are read at their shortest round-trip text', async () => {
    const dir = tempDir('valdrix-containers-');
    const file = path.join(dir, 'doubles.parquet');
    parquetWriteFile({
      filename: file,
      columnData: FOCUS_HEADER.map((name, column) => ({
        name,
        data: focusRows.map((row) => (column <= 1 ? Number(row[column]) : row[column] || null)),
        type: column <= 1 ? ('DOUBLE' as const) : ('STRING' as const),
      })),
    });
    const { deps } = fresh();
    const result = await importCostFiles(deps, request(file));
    // 12.000000000000000000001 is not a double: it arrives as 12, which is what the file holds.
    expect(soleTotal(result).billed).toBe(decimalSum(['12', '0.5', '-1.25']));
  });

  // DECIMAL(38,21) holds 12.000000000000000000001 exactly; hyparquet alone would hand it out as the double 12.
  it('Parquet DECIMAL amounts are exact in every physical type: fixed and variable bytes, INT64, INT32', async () => {
    const dir = tempDir('valdrix-containers-');
    const decimal = (name: string, type: 'FIXED_LEN_BYTE_ARRAY' | 'BYTE_ARRAY' | 'INT64' | 'INT32', scale: number) => ({
      name,
      type,
      ...(type === 'FIXED_LEN_BYTE_ARRAY' ? { type_length: 16 } : {}),
      repetition_type: 'OPTIONAL' as const,
      converted_type: 'DECIMAL' as const,
      precision: type === 'INT32' ? 9 : type === 'INT64' ? 18 : 38,
      scale,
    });
    const unscaled = (text: string, scale: number) => {
      const [whole, fraction = ''] = text.replace('-', '').split('.');
      const value = BigInt(whole! + fraction.padEnd(scale, '0'));
      return text.startsWith('-') ? -value : value;
    };
    const billed = focusRows.map((row) => row[0]!);
    const effective = ['10.25', '0.5', '-1.25'];
    const write = (
      name: string,
      billedType: 'FIXED_LEN_BYTE_ARRAY' | 'BYTE_ARRAY',
      effectiveType: 'INT64' | 'INT32',
    ) => {
      const file = path.join(dir, name);
      const texts = FOCUS_HEADER.slice(2);
      parquetWriteFile({
        filename: file,
        schema: [
          { name: 'root', num_children: FOCUS_HEADER.length },
          decimal('BilledCost', billedType, 21),
          decimal('EffectiveCost', effectiveType, 2),
          ...texts.map((column) => ({
            name: column,
            type: 'BYTE_ARRAY' as const,
            converted_type: 'UTF8' as const,
            repetition_type: 'OPTIONAL' as const,
          })),
        ],
        columnData: [
          { name: 'BilledCost', data: billed.map((text) => unscaled(text, 21)) },
          {
            name: 'EffectiveCost',
            // Unscaled, as bigints whatever the physical type (the writer would scale a number again).
            data: effective.map((text) => unscaled(text, 2)),
          },
          ...texts.map((column) => ({
            name: column,
            data: focusRows.map((row) => row[FOCUS_HEADER.indexOf(column)] || null),
          })),
        ],
      });
      return file;
    };
    for (const file of [
      write('fixed.parquet', 'FIXED_LEN_BYTE_ARRAY', 'INT64'),
      write('bytes.parquet', 'BYTE_ARRAY', 'INT32'),
    ]) {
      const { deps, workspace } = fresh();
      const result = await importCostFiles(deps, request(file));
      expect(soleTotal(result), file).toMatchObject({ billed: decimalSum(billed), effective: decimalSum(effective) });
      // Text columns stay text when the reader handles bytes itself (the BYTE_ARRAY decimal file).
      expect(allCosts(workspace.store.sqlite, ['service']).rows, file).toEqual([
        { service: 'Compute', billed: decimalSum([billed[0]!, billed[2]!]), effective: '9', currency: 'USD' },
        { service: 'Storage', billed: '0.5', effective: '0.5', currency: 'USD' },
      ]);
    }
  });

  it('names the FOCUS version from its columns, reading both provider spellings', async () => {
    const dir = tempDir('valdrix-containers-');
    const v13 = csv(
      FOCUS_HEADER.map((name) => (name === 'ProviderName' ? 'ServiceProviderName' : name)).concat('HostProviderName'),
      focusRows.map((row) => [...row, 'AWS']),
    );
    const v12 = csv(
      [...FOCUS_HEADER, 'InvoiceId'],
      focusRows.map((row) => [...row, 'INV-1']),
    );
    fs.writeFileSync(path.join(dir, 'v13.csv'), v13);
    fs.writeFileSync(path.join(dir, 'v12.csv'), v12);
    for (const [name, variant] of [
      ['v13.csv', 'FOCUS 1.3'],
      ['v12.csv', 'FOCUS 1.2'],
    ] as const) {
      const { deps, workspace } = fresh();
      const result = await importCostFiles(deps, request(path.join(dir, name)));
      expect(result.files[0]!.variant).toBe(variant);
      expect(allCosts(workspace.store.sqlite, ['provider']).rows.map((row) => row.provider)).toEqual(['AWS']);
    }
  });

  it('legacy CUR rows as Parquet import like the CSV', async () => {
    const dir = tempDir('valdrix-containers-');
    const header = [
      'bill/PayerAccountId',
      'bill/BillingPeriodStartDate',
      'lineItem/UsageAccountId',
      'lineItem/LineItemType',
      'lineItem/UsageStartDate',
      'lineItem/UsageEndDate',
      'lineItem/ProductCode',
      'lineItem/UsageType',
      'lineItem/Operation',
      'lineItem/UnblendedCost',
      'lineItem/CurrencyCode',
      'resourceTags/user:team',
    ];
    const rows = [
      [
        '111',
        '2025-02-01T00:00:00Z',
        '222',
        'Usage',
        '2025-02-03T00:00:00Z',
        '2025-02-03T01:00:00Z',
        'AmazonEC2',
        'BoxUsage',
        'RunInstances',
        '0.0416',
        'USD',
        'web',
      ],
      [
        '111',
        '2025-02-01T00:00:00Z',
        '222',
        'Tax',
        '2025-02-01T00:00:00Z',
        '2025-03-01T00:00:00Z',
        'AmazonEC2',
        'Tax',
        '',
        '0.004',
        'USD',
        '',
      ],
    ];
    fs.writeFileSync(path.join(dir, 'cur.csv'), csv(header, rows));
    parquetWriteFile({
      filename: path.join(dir, 'cur.parquet'),
      columnData: header.map((name, column) => ({
        name,
        data: rows.map((row) => row[column] || null),
        type: 'STRING' as const,
      })),
    });
    const answers = [];
    for (const name of ['cur.csv', 'cur.parquet']) {
      const { deps, workspace } = fresh();
      const result = await importCostFiles(deps, request(path.join(dir, name)));
      expect(result.files[0]!.format).toBe('cur');
      expect(soleTotal(result).billed).toBe('0.0456');
      answers.push(allCosts(workspace.store.sqlite, ['charge_category', 'tag:team']).rows);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]).toEqual([
      expect.objectContaining({ charge_category: 'Tax', 'tag:team': null, billed: '0.004' }),
      expect.objectContaining({ charge_category: 'Usage', 'tag:team': 'web', billed: '0.0416' }),
    ]);
  });
});
