import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExact, splitExact } from '../../../shared/exact';
import {
  cellAmounts,
  MonthlyCells,
  readRow,
  ROW_COLUMNS,
  rowBatchTransfer,
  type MonthlyCell,
  type RowBatch,
} from '../../../electron/core/ledger';
import { focusMapper } from '../../../electron/core/ingest/formats/focus';
import type { NormalizedLine } from '../../../electron/core/ingest/model';
import { FileError, openSource } from '../../../electron/core/ingest/readers';
import { scanFile, type ScanRequest, type ScanSink, type ScanSummary } from '../../../electron/core/ingest/scan';
import { mapFile } from '../../support/ingest';

const SEP = '\u001f';
const at = (column: (typeof ROW_COLUMNS)[number]) => ROW_COLUMNS.indexOf(column);
const rowsOf = (batch: RowBatch) => Array.from({ length: batch.length }, (_, index) => readRow(batch, index));
/** A whole-units cell: a number where a double holds it exactly, else a bigint (both bind as SQLite integers). */
const units = (cell: unknown) => (cell === null ? null : BigInt(cell as number | bigint));

// The hashes as the first releases computed them: stored snapshots and line keys depend on them.
function referenceHashes(line: NormalizedLine): { key: bigint; hash: bigint } {
  const identity = [
    line.provider,
    line.subAccountId,
    line.serviceName,
    line.serviceCategory,
    line.region,
    line.resourceId,
    line.skuId,
    line.chargeCategory,
    line.chargeClass,
    line.chargePeriodStart,
    line.chargePeriodEnd,
    line.commitmentDiscountId,
    line.pricingUnit,
    line.discriminator,
  ].join(SEP);
  const content = [
    identity,
    line.billedCost,
    line.effectiveCost,
    line.listCost,
    line.currency,
    line.invoiceId,
    line.chargeDay,
    line.billingAccountName,
    line.subAccountName,
    line.resourceName,
    line.chargeDescription,
    line.commitmentDiscountType,
    line.commitmentDiscountStatus,
    line.pricingQuantity,
    JSON.stringify(line.tags),
  ].join(SEP);
  return {
    key: referenceFastHash64(identity),
    hash: crypto.createHash('sha1').update(content).digest().readBigInt64LE(0),
  };
}

function referenceFastHash64(text: string): bigint {
  let h1 = 0x9e3779b9 ^ text.length;
  let h2 = 0x85ebca6b ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0xcc9e2d51);
    h1 = (h1 << 15) | (h1 >>> 17);
    h2 = Math.imul(h2 ^ c, 0x1b873593);
    h2 = (h2 << 13) | (h2 >>> 19);
  }
  h1 ^= h2;
  h2 ^= h1;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return BigInt.asIntN(64, (BigInt(h2 >>> 0) << 32n) | BigInt(h1 >>> 0));
}

const HEADER = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ProviderName',
  'RegionId',
  'ResourceId',
  'ServiceName',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'PricingQuantity',
  'PricingUnit',
  'Tags',
];
const AMOUNTS = [
  '1.1083814273',
  '-0.5',
  '0',
  '-0.000',
  '12345678901234567890.123456789012345678901234567',
  '-1.2E-7',
  '.25',
];
const TAGS = ['', '{}', '"{""env"":""prod""}"', '"{""team"":""a"",""env"":""dev""}"'];

/** A FOCUS file of `rows` rows, longer than one piece of text, with quoted line breaks; and where each row starts. */
function focusCsv(rows: number): { text: string; lines: number[] } {
  let text = `${HEADER.join(',')}\n`;
  let line = 2;
  const lines: number[] = [];
  for (let i = 0; i < rows; i++) {
    const account = i < rows / 2 ? '100' : '200';
    const day = String(1 + (Math.floor(i / 7) % 28)).padStart(2, '0');
    const description = i % 5 === 0 ? '"usage\nover two lines"' : `Service ${i % 3} usage`;
    lines.push(line);
    line += i % 5 === 0 ? 2 : 1;
    text += `${[
      AMOUNTS[i % AMOUNTS.length],
      AMOUNTS[(i + 1) % AMOUNTS.length],
      AMOUNTS[(i * 3) % AMOUNTS.length],
      account,
      `Account ${account}`,
      'USD',
      i % 11 === 0 ? '2024-10-01T00:00:00Z' : '2024-11-01T00:00:00Z',
      'Usage',
      '',
      description,
      `2024-11-${day}T00:00:00Z`,
      `2024-11-${day}T01:00:00Z`,
      'AWS',
      i % 4 === 0 ? 'NULL' : 'us-east-1',
      `arn:aws:ec2:us-east-1:${account}:instance/i-${String(i).padStart(8, '0')}`,
      `Service ${i % 3}`,
      `SKU${i % 9}`,
      `SKU${i % 9}.P1`,
      account,
      String((i % 13) / 2),
      'Hours',
      TAGS[i % TAGS.length],
    ].join(',')}\n`;
  }
  return { text, lines };
}

describe('scanning', () => {
  let folder: string;
  let file: string;
  let expectedLines: number[];

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'valdrix-scan-'));
    file = path.join(folder, 'focus.csv');
    const csv = focusCsv(3000);
    fs.writeFileSync(file, csv.text);
    expectedLines = csv.lines;
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** Scans the test file (or another) with this batching into these sink callbacks; the rest of the request is fixed. */
  const scanTestFile = (
    batching: Pick<ScanRequest, 'batchSize'>,
    sink: Pick<ScanSink, 'rows'> & Partial<ScanSink>,
    scanned = file,
  ) =>
    scanFile(
      {
        file: scanned,
        format: 'focus',
        skipBadRows: false,
        runId: 'r',
        sourceId: 's',
        ingestedAt: 'x',
        write: { except: [] },
        ...batching,
      },
      { progress: () => {}, aborted: () => false, ...sink },
    );

  it('emits the stored hashes, exact fractions as numbers, and the digests of every snapshot', async () => {
    const { lines } = await mapFile(file, focusMapper);
    expect(lines.map((line) => line.position)).toEqual(expectedLines);
    const rows: unknown[][] = [];
    const summary: ScanSummary = await scanTestFile(
      { batchSize: 500 },
      { rows: (batch) => void rows.push(...rowsOf(batch)) },
    );
    expect(rows).toHaveLength(lines.length);
    const digests = new Map<string, bigint>();
    lines.forEach((line, index) => {
      const row = rows[index]!;
      const { key, hash } = referenceHashes(line);
      expect(row[at('line_key')]).toBe(key);
      expect(row[at('line_hash')]).toBe(hash);
      expect(row[at('line_number')]).toBe(line.position);
      expect(row[at('tags')]).toBe(JSON.stringify(line.tags));
      expect(row[at('charge_description')]).toBe(line.chargeDescription);
      for (const [prefix, amount] of [
        ['billed', line.billedCost],
        ['effective', line.effectiveCost],
        ['list', line.listCost],
      ] as const) {
        const parts = amount === null ? null : splitExact(amount);
        expect(units(row[at(`${prefix}_units`)])).toBe(parts?.units ?? null);
        if (parts)
          expect(typeof row[at(`${prefix}_units`)]).toBe(
            Math.abs(Number(parts.units)) <= 2 ** 52 ? 'number' : 'bigint',
          );
        expect(row[at(`${prefix}_nanos`)]).toBe(parts === null ? null : Number(parts.nanos));
        expect(row[at(`${prefix}_atto`)]).toBe(parts === null ? null : Number(parts.atto));
        expect(row[at(`${prefix}_ronto`)]).toBe(parts === null ? null : Number(parts.ronto));
      }
      const scope = `${line.billingAccountId}/${line.billingPeriod}`;
      digests.set(scope, BigInt.asUintN(64, (digests.get(scope) ?? 0n) + BigInt.asUintN(64, hash)));
    });
    expect(
      new Map(summary.scopes.map((scope) => [`${scope.billingAccountId}/${scope.billingPeriod}`, scope.digestSum])),
    ).toEqual(digests);
  });

  /** Each mapped line's monthly cell key and the cells' exact sums, computed without MonthlyCells. */
  function expectedCells(lines: NormalizedLine[]) {
    const cells = new Map<string, { lines: number; billed: bigint; effective: bigint }>();
    for (const line of lines) {
      const key = JSON.stringify([
        line.billingAccountId,
        line.billingPeriod,
        line.chargeDay.slice(0, 7),
        line.provider,
        line.subAccountId ?? '',
        line.serviceName,
        line.serviceCategory ?? '',
        line.region ?? '',
        line.chargeCategory,
        line.currency,
      ]);
      const cell = cells.get(key) ?? { lines: 0, billed: 0n, effective: 0n };
      cell.lines++;
      cell.billed += line.billedCost;
      cell.effective += line.effectiveCost;
      cells.set(key, cell);
    }
    return cells;
  }

  /** MonthlyCells over every batch of a scan, taken whenever `flushAt` cells are held; parts merged by key. */
  async function summedCells(scanned: string, batchSize: number, flushAt: number) {
    const monthly = new MonthlyCells();
    const parts: MonthlyCell[] = [];
    await scanTestFile(
      { batchSize },
      {
        rows(batch) {
          monthly.add(batch);
          if (monthly.size >= flushAt) parts.push(...monthly.take());
        },
      },
      scanned,
    );
    parts.push(...monthly.take());
    const cells = new Map<string, { lines: number; billed: bigint; effective: bigint }>();
    for (const part of parts) {
      const key = JSON.stringify([part.billingAccountId, part.billingPeriod, ...part.dims]);
      const cell = cells.get(key) ?? { lines: 0, billed: 0n, effective: 0n };
      const { billed, effective } = cellAmounts(part);
      cell.lines += part.lines;
      cell.billed += billed;
      cell.effective += effective;
      cells.set(key, cell);
    }
    return { cells, parts: parts.length };
  }

  it('sums monthly cells of written batches exactly, whole or in parts', async () => {
    const { lines } = await mapFile(file, focusMapper);
    const expected = expectedCells(lines);
    const whole = await summedCells(file, 1000, Number.POSITIVE_INFINITY);
    expect(whole.parts).toBe(expected.size);
    expect(whole.cells).toEqual(expected);
    // Taken every 2 cells: most cells come in several parts, which add up to the same sums.
    const inParts = await summedCells(file, 1000, 2);
    expect(inParts.parts).toBeGreaterThan(expected.size);
    expect(inParts.cells).toEqual(expected);
  });

  it('keeps monthly sums exact past the range where doubles add integers exactly', async () => {
    const huge = path.join(folder, 'huge.csv');
    const near = '4503599627370495.999999999999999999999999999'; // 2⁵² − 1 and 27 decimals
    // Whole units up to 2⁵² travel as doubles; one more and the cell is a bigint (the last row).
    const rows = Array.from({ length: 8 }, (_, i) =>
      [
        i % 2 ? near : `-${near}`,
        i === 7 ? '4503599627370497' : near,
        '',
        '1',
        'A',
        'USD',
        '2024-11-01T00:00:00Z',
        'Usage',
        '',
        '',
        '2024-11-03T00:00:00Z',
        '2024-11-04T00:00:00Z',
        'AWS',
        'us-east-1',
        `r${i}`,
        'S',
        '',
        '',
        '1',
        '1',
        'Hours',
        '',
      ].join(','),
    );
    fs.writeFileSync(huge, `${HEADER.join(',')}\n${rows.join('\n')}\n`);
    const { lines } = await mapFile(huge, focusMapper);
    const expected = expectedCells(lines);
    expect([...expected.values()][0]!.effective).toBe(7n * parseExact(near) + parseExact('4503599627370497'));
    expect((await summedCells(huge, 3, Number.POSITIVE_INFINITY)).cells).toEqual(expected);
  });

  it('moves a batch between threads with its numbers in buffers and each run of equal texts once', async () => {
    let batches = 0;
    let shared = 0;
    await scanTestFile(
      { batchSize: 700 },
      {
        rows(batch) {
          const expected = rowsOf(batch);
          const moved = structuredClone(batch, { transfer: rowBatchTransfer(batch) });
          expect(batch.cells.byteLength).toBe(0); // moved, not copied
          expect(rowsOf(moved)).toEqual(expected);
          const textCells =
            expected.length * ROW_COLUMNS.filter((column) => !/^line_|_(nanos|atto|ronto|units)$/.test(column)).length;
          shared += textCells - moved.texts.length;
          batches++;
        },
      },
    );
    expect(batches).toBe(5);
    // Account, currency, provider, periods… repeat row after row: far fewer texts than text cells.
    expect(shared).toBeGreaterThan(3000 * 10);
  });
});

describe('reading CSV in batches', () => {
  let folder: string;

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'valdrix-readers-'));
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  async function readAll(file: string, how: 'records' | 'batches') {
    const source = await openSource(file);
    const seen: [number, unknown[]][] = [];
    try {
      if (how === 'records') for await (const record of source.records) seen.push([record.position, record.values]);
      else
        for await (const batch of source.batches)
          for (const record of batch) seen.push([record.position, record.values]);
      return { seen, error: null };
    } catch (error) {
      return { seen, error: error as FileError };
    } finally {
      await source.close();
    }
  }

  it('gives the same records one by one as in batches, up to a malformed quote and its line', async () => {
    const csv = focusCsv(4000);
    const rows = csv.text.split('\n');
    // A quote inside a quoted field, past the first pieces of text: every record before it comes first.
    const broken = 3001;
    const brokenRow = expectedRowIndex(rows, broken);
    rows[brokenRow] = rows[brokenRow]!.replace('AWS', '"AW"S"');
    const file = path.join(folder, 'broken.csv');
    fs.writeFileSync(file, rows.join('\n'));

    const one = await readAll(file, 'records');
    const batched = await readAll(file, 'batches');
    expect(batched.seen).toEqual(one.seen);
    expect(one.seen.map(([position]) => position)).toEqual(csv.lines.slice(0, broken));
    for (const result of [one, batched]) {
      expect(result.error).toBeInstanceOf(FileError);
      expect(result.error?.message).toMatch(/^not valid CSV: /);
      expect(result.error?.position).toBe(csv.lines[broken]);
    }
  });

  it('reads a gzipped file as the same records', async () => {
    const csv = focusCsv(2000);
    const plain = path.join(folder, 'plain.csv');
    const gzipped = path.join(folder, 'plain.csv.gz');
    fs.writeFileSync(plain, csv.text);
    fs.writeFileSync(gzipped, (await import('node:zlib')).gzipSync(csv.text));
    const fromPlain = await readAll(plain, 'batches');
    expect((await readAll(gzipped, 'batches')).seen).toEqual(fromPlain.seen);
    expect(fromPlain.seen.map(([position]) => position)).toEqual(csv.lines);
  });

  it('keeps multi-byte characters whole where they straddle two reads (1 MiB plain, 16 KiB gzip)', async () => {
    // Every row carries 2-, 3- and 4-byte characters; with ~1,000 rows per read some always straddle.
    const names = ['Zürich Büro', 'Ōsaka 東京', 'Café € 💶'];
    const header = 'BillingAccountId,ServiceName,Note';
    const rows = Array.from({ length: 6000 }, (_, i) => `acct-${i},${names[i % 3]},${'x'.repeat(i % 977)}`);
    const text = [header, ...rows].join('\n');
    const plain = path.join(folder, 'multibyte.csv');
    const gzipped = path.join(folder, 'multibyte.csv.gz');
    fs.writeFileSync(plain, text);
    fs.writeFileSync(gzipped, (await import('node:zlib')).gzipSync(text));
    for (const file of [plain, gzipped]) {
      const { seen, error } = await readAll(file, 'batches');
      expect(error).toBeNull();
      expect(seen.map(([, values]) => values[1])).toEqual(rows.map((_, i) => names[i % 3]));
    }
  });
});

/** Index in the text's "\n"-split lines where row `row` (0-based, after the header) starts. */
function expectedRowIndex(lines: string[], row: number): number {
  let index = 1;
  for (let seen = 0; seen < row; seen++) index += lines[index]!.includes('"usage') ? 2 : 1;
  return index;
}
