/**
 * Reading one export file into insertable line rows and per-snapshot statistics. Runs in the importing
 * thread for small files and in a worker thread for large ones, so that on a multi-core machine parsing
 * and mapping overlap with the database writes (see scan-worker.ts).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { splitExact } from '../../../shared/exact';
import { mapperById } from './formats';
import { RowError, type FormatId, type NormalizedLine } from './model';
import { detach } from './formats/common';
import { FileError, openSource } from './readers';

export interface ScanRequest {
  file: string;
  format: FormatId;
  defaults?: { currency?: string; billingAccountId?: string };
  skipBadRows: boolean;
  runId: string;
  sourceId: string;
  ingestedAt: string;
  /** Which snapshots' lines to emit for writing, by scopeKey(account, period). */
  write: { except: string[] } | { only: string[] };
  /** Lines per emitted batch. */
  batchSize: number;
}

export interface ScannedScope {
  billingAccountId: string;
  billingPeriod: string;
  currency: string;
  lines: number;
  /** Sum of line hashes mod 2⁶⁴: the snapshot's order-independent digest. */
  digestSum: bigint;
  billed: bigint;
  effective: bigint;
  /** Where the scope first appears in this file (for cross-file currency errors). */
  firstLine: number;
}

export interface ScanSkip {
  file: string;
  line: number | null;
  column: string | null;
  message: string;
}

export interface ScanSummary {
  rows: number;
  /** The variant as the mapper knows it after the rows (Azure learns actual vs amortized from them). */
  variant: string;
  scopes: ScannedScope[];
  skipped: ScanSkip[];
  skippedCount: number;
}

/** A fatal problem in a file, with where it is. */
export class ScanError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null,
    readonly column: string | null,
  ) {
    super(message);
    this.name = 'ScanError';
  }
}

export interface ScanSink {
  rows(batch: unknown[][]): void | Promise<void>;
  progress(rows: number, bytesRead: number, totalBytes: number): void | Promise<void>;
  aborted(): boolean;
}

export const MAX_SKIPPED_LISTED = 1000;
const U64 = (1n << 64n) - 1n;
const SEP = '\u001f';

export function scopeKey(billingAccountId: string, billingPeriod: string): string {
  return `${billingAccountId}\u0000${billingPeriod}`;
}

/** Scope key of an emitted row. */
export function rowScopeKey(row: readonly unknown[]): string {
  return scopeKey(row[ACCOUNT_AT] as string, row[PERIOD_AT] as string);
}

export function rowAccount(row: readonly unknown[]): string {
  return row[ACCOUNT_AT] as string;
}

export function rowPeriod(row: readonly unknown[]): string {
  return row[PERIOD_AT] as string;
}

export function digestText(lines: number, digestSum: bigint): string {
  return `${lines}:${digestSum.toString(16).padStart(16, '0')}`;
}

function identityText(line: NormalizedLine): string {
  return [
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
}

function hash64(text: string): bigint {
  return crypto.createHash('sha1').update(text).digest().readBigInt64LE(0);
}

/**
 * A fast 64-bit hash (two multiplicative lanes with murmur3 finalizers) for the line identity. A
 * collision there can only pair two different lines of one snapshot as "changed" instead of "removed"
 * plus "added"; amounts stay exact. Whether a line changed is decided by the SHA-1 content hash.
 */
function fastHash64(text: string): bigint {
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

/** Identity (what restatements match on) and content hash (equal means unchanged) of a line. */
export function lineHashes(line: NormalizedLine): { identity: string; hash: bigint; tagsJson: string } {
  const identity = identityText(line);
  const tagsJson = JSON.stringify(line.tags);
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
    tagsJson,
  ].join(SEP);
  // The identity's own hash is needed only for lines that are written (see lineRow).
  return { identity, hash: hash64(content), tagsJson };
}

/**
 * The columns of an emitted row, in order. Run, source, file name and ingestion time are the same for a
 * whole scan, so the insert statement carries them and rows do not (less to copy between threads).
 */
export const ROW_COLUMNS = [
  'provider',
  'billing_account_id',
  'billing_account_name',
  'sub_account_id',
  'sub_account_name',
  'service_name',
  'service_category',
  'region',
  'resource_id',
  'resource_name',
  'sku_id',
  'charge_category',
  'charge_class',
  'charge_description',
  'charge_day',
  'charge_period_start',
  'charge_period_end',
  'billing_period',
  'invoice_id',
  'currency',
  'billed_nanos',
  'billed_atto',
  'billed_ronto',
  'effective_nanos',
  'effective_atto',
  'effective_ronto',
  'list_nanos',
  'list_atto',
  'list_ronto',
  'commitment_discount_id',
  'commitment_discount_type',
  'commitment_discount_status',
  'pricing_quantity',
  'pricing_unit',
  'tags',
  'line_number',
  'line_key',
  'line_hash',
  'billed_units',
  'effective_units',
  'list_units',
] as const;

const ACCOUNT_AT = ROW_COLUMNS.indexOf('billing_account_id');
const PERIOD_AT = ROW_COLUMNS.indexOf('billing_period');

function lineRow(
  line: NormalizedLine,
  hashes: { identity: string; hash: bigint; tagsJson: string },
  position: number,
): unknown[] {
  const billed = splitExact(line.billedCost);
  const effective = splitExact(line.effectiveCost);
  const list = line.listCost === null ? null : splitExact(line.listCost);
  return [
    line.provider,
    line.billingAccountId,
    line.billingAccountName,
    line.subAccountId,
    line.subAccountName,
    line.serviceName,
    line.serviceCategory,
    line.region,
    line.resourceId,
    line.resourceName,
    line.skuId,
    line.chargeCategory,
    line.chargeClass,
    line.chargeDescription,
    line.chargeDay,
    line.chargePeriodStart,
    line.chargePeriodEnd,
    line.billingPeriod,
    line.invoiceId,
    line.currency,
    billed.nanos,
    billed.atto,
    billed.ronto,
    effective.nanos,
    effective.atto,
    effective.ronto,
    list?.nanos ?? null,
    list?.atto ?? null,
    list?.ronto ?? null,
    line.commitmentDiscountId,
    line.commitmentDiscountType,
    line.commitmentDiscountStatus,
    line.pricingQuantity,
    line.pricingUnit,
    hashes.tagsJson,
    position,
    fastHash64(hashes.identity),
    hashes.hash,
    billed.units,
    effective.units,
    list?.units ?? null,
  ];
}

/** Reads a file, emitting the rows of the snapshots asked for and digesting every snapshot. */
export async function scanFile(request: ScanRequest, sink: ScanSink): Promise<ScanSummary> {
  const opened = await openSource(request.file).catch((error: unknown) => {
    throw toScanError(error, request.file, null);
  });
  const fileName = path.basename(request.file);
  const compiled = (() => {
    try {
      return mapperById(request.format).compile(opened.columns, { fileName, defaults: request.defaults });
    } catch (error) {
      throw toScanError(error, request.file, 1);
    }
  })();
  const writeSet = new Set('only' in request.write ? request.write.only : request.write.except);
  const writeOnly = 'only' in request.write;
  const scopes = new Map<string, ScannedScope & { write: boolean }>();
  const skipped: ScanSkip[] = [];
  let skippedCount = 0;
  let rows = 0;
  let batch: unknown[][] = [];
  let lastReport = 0;
  try {
    for await (const record of opened.records) {
      rows++;
      try {
        if (record.error) throw new RowError(null, record.error);
        const lines = compiled.map(record.values);
        // Map every line of the record before counting any, so a bad record is skipped whole.
        const prepared = lines.map((line) => {
          const key = scopeKey(line.billingAccountId, line.billingPeriod);
          const scope = scopes.get(key);
          if (scope && scope.currency !== line.currency) {
            throw new RowError(
              null,
              `mixed currencies in one billing period of account ${line.billingAccountId} (${scope.currency} and ${line.currency}); an export bills one account and period in one currency`,
            );
          }
          return { line, key, hashes: lineHashes(line) };
        });
        for (const { line, key, hashes } of prepared) {
          let scope = scopes.get(key);
          if (!scope) {
            scope = {
              billingAccountId: detach(line.billingAccountId),
              billingPeriod: detach(line.billingPeriod),
              currency: detach(line.currency),
              lines: 0,
              digestSum: 0n,
              billed: 0n,
              effective: 0n,
              firstLine: record.position,
              write: writeOnly ? writeSet.has(key) : !writeSet.has(key),
            };
            scopes.set(detach(key), scope);
          }
          scope.lines++;
          scope.digestSum = (scope.digestSum + BigInt.asUintN(64, hashes.hash)) & U64;
          scope.billed += line.billedCost;
          scope.effective += line.effectiveCost;
          if (scope.write) batch.push(lineRow(line, hashes, record.position));
        }
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        if (!request.skipBadRows) throw new ScanError(error.message, request.file, record.position, error.column);
        skippedCount++;
        if (skipped.length < MAX_SKIPPED_LISTED) {
          skipped.push({
            file: request.file,
            line: record.position,
            column: error.column === null ? null : detach(error.column),
            message: detach(error.message),
          });
        }
      }
      if (batch.length >= request.batchSize) {
        const full = batch;
        batch = [];
        await sink.rows(full);
      }
      if ((rows & 1023) === 0) {
        if (sink.aborted()) throw new ScanError('cancelled', request.file, null, null);
        const at = Date.now();
        if (at - lastReport > 200) {
          lastReport = at;
          await sink.progress(rows, opened.bytesRead(), opened.totalBytes);
        }
      }
    }
    if (batch.length) await sink.rows(batch);
    await sink.progress(rows, opened.totalBytes, opened.totalBytes);
  } catch (error) {
    throw toScanError(error, request.file, null);
  } finally {
    await opened.close();
  }
  return {
    rows,
    variant: compiled.variant,
    scopes: [...scopes.values()].map(({ write: _write, ...scope }) => scope),
    skipped,
    skippedCount,
  };
}

function toScanError(error: unknown, file: string, line: number | null): Error {
  if (error instanceof ScanError) return error;
  if (error instanceof FileError) return new ScanError(error.message, file, error.position, error.column);
  if (error instanceof RowError) return new ScanError(error.message, file, line, error.column);
  return error as Error;
}
