/**
 * Reading one export file into insertable line rows and per-snapshot statistics. Runs in the importing
 * thread for small files and in a worker thread for large ones, so that on a multi-core machine parsing
 * and mapping overlap with the database writes (see scan-worker.ts).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { mapperById } from './formats';
import { RowError, type FormatId, type NormalizedLine } from './model';
import { TAGS_JSON } from './formats/common';
import { boundedMessage, detach } from '../../../shared/text';
import { RowBatchBuilder, writeLine, type RowBatch } from '../ledger/row-batch';
import { FileError, openSource, type ReadLimits } from './readers';

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
  /** Record and field size limits (workspace settings); the readers' defaults when absent. */
  limits?: ReadLimits;
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
  /** The file's SHA-256 and size when the reader hashed every byte it read (readers.ts), else null. */
  hash: { sha256: string; bytes: number } | null;
}

/** A fatal problem in a file, with where it is. */
export class ScanError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null,
    readonly column: string | null,
  ) {
    super(boundedMessage(message));
    this.name = 'ScanError';
  }
}

export interface ScanSink {
  /** A snapshot scope met for the first time in this file, before any of its rows (to claim it). */
  scope?(billingAccountId: string, billingPeriod: string): void | Promise<void>;
  /** A batch of rows to write (read them with readColumns and rowText). */
  rows(batch: RowBatch): void | Promise<void>;
  progress(rows: number, bytesRead: number, totalBytes: number): void | Promise<void>;
  aborted(): boolean;
}

export const MAX_SKIPPED_LISTED = 1000;
const SEP = '\u001f';

export function scopeKey(billingAccountId: string, billingPeriod: string): string {
  return `${billingAccountId}\u0000${billingPeriod}`;
}

export function digestText(lines: number, digestSum: bigint): string {
  return `${lines}:${digestSum.toString(16).padStart(16, '0')}`;
}

/**
 * Everything stored about a line, its identity first (what restatements match a line on: the same text
 * for the same line in every snapshot); equal text means an unchanged line. Joined: join writes one flat
 * string, where "+" builds a tree of pieces to be copied flat again for hashing.
 */
function contentText(line: NormalizedLine, tagsJson: string): string {
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
}

/** Length of the identity at the start of contentText: its 14 fields (null as empty) and 13 separators. */
function identityLength(line: NormalizedLine): number {
  return (
    13 +
    line.provider.length +
    (line.subAccountId?.length ?? 0) +
    line.serviceName.length +
    (line.serviceCategory?.length ?? 0) +
    (line.region?.length ?? 0) +
    (line.resourceId?.length ?? 0) +
    (line.skuId?.length ?? 0) +
    line.chargeCategory.length +
    (line.chargeClass?.length ?? 0) +
    line.chargePeriodStart.length +
    line.chargePeriodEnd.length +
    (line.commitmentDiscountId?.length ?? 0) +
    (line.pricingUnit?.length ?? 0) +
    line.discriminator.length
  );
}

// sharedTags gives tags read from text their JSON (TAGS_JSON). Other frozen tag objects (a mapper's
// shared constants) cannot change either: their JSON is computed once per object.
const frozenTagsJson = new WeakMap<object, string>();

function tagsText(tags: Readonly<Record<string, string>>): string {
  const parsedJson = (tags as { [TAGS_JSON]?: string })[TAGS_JSON];
  if (parsedJson !== undefined) return parsedJson;
  if (!Object.isFrozen(tags)) return JSON.stringify(tags);
  let json = frozenTagsJson.get(tags);
  if (json === undefined) {
    json = JSON.stringify(tags);
    frozenTagsJson.set(tags, json);
  }
  return json;
}

// Builds a 64-bit value from two 32-bit halves with a single BigInt allocation.
const halves = new DataView(new ArrayBuffer(8));
function int64(low: number, high: number): bigint {
  halves.setInt32(0, low, true);
  halves.setInt32(4, high, true);
  return halves.getBigInt64(0, true);
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
  return int64(h1, h2);
}

/**
 * The first 8 bytes of a text's SHA-1 as two 32-bit halves (little-endian, as the stored line hash
 * reads them). The digest comes back as a 'binary' (latin1) string, one char per byte: cheaper than a Buffer.
 */
class ContentHash {
  low = 0;
  high = 0;
  update(text: string): void {
    const bytes = crypto.hash('sha1', text, 'binary');
    this.low =
      bytes.charCodeAt(0) | (bytes.charCodeAt(1) << 8) | (bytes.charCodeAt(2) << 16) | (bytes.charCodeAt(3) << 24);
    this.high =
      bytes.charCodeAt(4) | (bytes.charCodeAt(5) << 8) | (bytes.charCodeAt(6) << 16) | (bytes.charCodeAt(7) << 24);
  }
  /** The stored line hash: crypto.createHash('sha1').update(text).digest().readBigInt64LE(0). */
  value(): bigint {
    return int64(this.low, this.high);
  }
}

interface ScopeState extends Omit<ScannedScope, 'digestSum'> {
  write: boolean;
  /** The digest sum's low and high 32 bits, unsigned: cheaper to add than a BigInt per line. */
  digestLow: number;
  digestHigh: number;
}

/** Reads a file, emitting the rows of the snapshots asked for and digesting every snapshot. */
export async function scanFile(request: ScanRequest, sink: ScanSink): Promise<ScanSummary> {
  const opened = await openSource(request.file, request.limits).catch((error: unknown) => {
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
  const scopes = new Map<string, ScopeState>();
  // Exports list a snapshot's lines together, so the last scope found is nearly always the next one.
  let recent: ScopeState | undefined;
  const findScope = (line: NormalizedLine): ScopeState | undefined => {
    if (recent && recent.billingAccountId === line.billingAccountId && recent.billingPeriod === line.billingPeriod) {
      return recent;
    }
    const found = scopes.get(scopeKey(line.billingAccountId, line.billingPeriod));
    if (found) recent = found;
    return found;
  };
  const hash = new ContentHash();
  const skipped: ScanSkip[] = [];
  let skippedCount = 0;
  let rows = 0;
  const batch = new RowBatchBuilder(request.batchSize);
  let lastReport = -Infinity;
  let fileHash: ScanSummary['hash'] = null;
  const flushRows = async () => {
    if (!batch.length) return;
    await sink.rows(batch.take());
  };
  try {
    for await (const records of opened.batches) {
      for (const record of records) {
        rows++;
        try {
          if (record.error) throw new RowError(null, record.error);
          const lines = compiled.map(record.values);
          // Check every line of the record before counting any, so a bad record is skipped whole.
          for (const line of lines) {
            const scope = findScope(line);
            if (scope && scope.currency !== line.currency) {
              throw new RowError(
                null,
                `mixed currencies in one billing period of account ${line.billingAccountId} (${scope.currency} and ${line.currency}); an export bills one account and period in one currency`,
              );
            }
          }
          for (const line of lines) {
            let scope = findScope(line);
            if (!scope) {
              const key = scopeKey(line.billingAccountId, line.billingPeriod);
              scope = {
                billingAccountId: detach(line.billingAccountId),
                billingPeriod: detach(line.billingPeriod),
                currency: detach(line.currency),
                lines: 0,
                digestLow: 0,
                digestHigh: 0,
                billed: 0n,
                effective: 0n,
                firstLine: record.position,
                write: writeOnly ? writeSet.has(key) : !writeSet.has(key),
              };
              scopes.set(detach(key), scope);
              await sink.scope?.(scope.billingAccountId, scope.billingPeriod);
            }
            const tagsJson = tagsText(line.tags);
            const content = contentText(line, tagsJson);
            hash.update(content);
            scope.lines++;
            const low = scope.digestLow + (hash.low >>> 0);
            scope.digestLow = low >>> 0;
            scope.digestHigh = (scope.digestHigh + (hash.high >>> 0) + (low > 0xffffffff ? 1 : 0)) >>> 0;
            scope.billed += line.billedCost;
            scope.effective += line.effectiveCost;
            if (scope.write) {
              const identity = content.slice(0, identityLength(line));
              writeLine(batch, line, tagsJson, record.position, fastHash64(identity), hash.value());
            }
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
        if (batch.length >= request.batchSize) await flushRows();
        if ((rows & 1023) === 0) {
          if (sink.aborted()) throw new ScanError('cancelled', request.file, null, null);
          const at = performance.now();
          if (at - lastReport > 200) {
            lastReport = at;
            await sink.progress(rows, opened.bytesRead(), opened.totalBytes);
          }
        }
      }
    }
    await flushRows();
    await sink.progress(rows, opened.totalBytes, opened.totalBytes);
    const sha256 = opened.sha256?.() ?? null;
    fileHash = sha256 === null ? null : { sha256, bytes: opened.bytesRead() };
  } catch (error) {
    throw toScanError(error, request.file, null);
  } finally {
    await opened.close();
  }
  return {
    rows,
    variant: compiled.variant,
    scopes: [...scopes.values()].map((scope) => ({
      billingAccountId: scope.billingAccountId,
      billingPeriod: scope.billingPeriod,
      currency: scope.currency,
      lines: scope.lines,
      digestSum: (BigInt(scope.digestHigh) << 32n) | BigInt(scope.digestLow),
      billed: scope.billed,
      effective: scope.effective,
      firstLine: scope.firstLine,
    })),
    skipped,
    skippedCount,
    hash: fileHash,
  };
}

function toScanError(error: unknown, file: string, line: number | null): Error {
  if (error instanceof ScanError) return error;
  if (error instanceof FileError) return new ScanError(error.message, file, error.position, error.column);
  if (error instanceof RowError) return new ScanError(error.message, file, line, error.column);
  return error as Error;
}
