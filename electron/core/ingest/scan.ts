/**
 * Reading one export file into insertable line rows and per-snapshot statistics. Runs in the importing
 * thread for small files and in a worker thread for large ones, so that on a multi-core machine parsing
 * and mapping overlap with the database writes (see scan-worker.ts).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { splitExactToNumbers } from '../../../shared/exact';
import { boundedMessage } from '../../../shared/text';
import { mapperById } from './formats';
import { RowError, type FormatId, type NormalizedLine } from './model';
import { detach, TAGS_JSON } from './formats/common';
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

export const ROW_WIDTH = ROW_COLUMNS.length;
/** Each column's position in a row. */
export const AT = Object.fromEntries(ROW_COLUMNS.map((column, at) => [column, at])) as Record<
  (typeof ROW_COLUMNS)[number],
  number
>;
/** 1 where a column holds text (or null), 0 where it holds an integer. */
const IS_TEXT = Uint8Array.from(ROW_COLUMNS, (column) => (/^line_|_(nanos|atto|ronto|units)$/.test(column) ? 0 : 1));

/**
 * A batch of rows laid out to cross threads cheaply. Copying rows as arrays between threads cost as much
 * as writing them (every string and array rebuilt on the other side, then collected): here the numbers
 * travel in two buffers that are moved, not copied, and each text once per run of equal cells (exports
 * repeat account, service, day… row after row), so the importing thread allocates almost nothing.
 */
export interface RowBatch {
  readonly length: number;
  /** The batch's texts. A row whose cell equals the one above shares its index. */
  readonly texts: string[];
  /**
   * length × ROW_COLUMNS.length cells: a text column holds an index into texts, an integer column its
   * value; NaN is null, or a value in wide. line_key and line_hash are in keys.
   */
  readonly cells: Float64Array;
  /** line_key and line_hash of row i at 2i and 2i + 1. */
  readonly keys: BigInt64Array;
  /** Integers beyond a double's exact range (whole units of enormous amounts), by cell position. */
  readonly wide: Map<number, bigint>;
}

const EVERY_COLUMN = ROW_COLUMNS.map((_, column) => column);

/** Reads row `index` of a batch, in ROW_COLUMNS order. */
export function readRow(batch: RowBatch, index: number): unknown[] {
  return readColumns(batch, index, EVERY_COLUMN, new Array<unknown>(ROW_WIDTH));
}

/**
 * The cells every row of a batch shares, by column (a text, an integer or null): an insert can write
 * them once per batch instead of binding them on every row. line_key and line_hash are never shared.
 */
export function sharedCells(batch: RowBatch): Map<number, string | number | null> {
  const shared = new Map<number, string | number | null>();
  if (!batch.length) return shared;
  const { cells } = batch;
  const wideColumns = new Set<number>();
  for (const position of batch.wide.keys()) wideColumns.add(position % ROW_WIDTH);
  for (let column = 0; column < ROW_WIDTH; column++) {
    if (column === AT.line_key || column === AT.line_hash || wideColumns.has(column)) continue;
    const first = cells[column]!;
    let same = true;
    for (let at = column + ROW_WIDTH; at < cells.length && same; at += ROW_WIDTH) {
      const value = cells[at]!;
      same = value === first || (value !== value && first !== first);
    }
    if (!same) continue;
    if (first !== first) shared.set(column, null);
    else shared.set(column, IS_TEXT[column] ? batch.texts[first]! : first);
  }
  return shared;
}

/** Reads the given columns of row `index` into `into` (reused by callers that bind it), in the order given. */
export function readColumns(batch: RowBatch, index: number, columns: readonly number[], into: unknown[]): unknown[] {
  const { cells, texts } = batch;
  const base = index * ROW_WIDTH;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    if (column === AT.line_key) into[i] = batch.keys[2 * index];
    else if (column === AT.line_hash) into[i] = batch.keys[2 * index + 1];
    else {
      const value = cells[base + column]!;
      if (value !== value) into[i] = batch.wide.get(base + column) ?? null;
      else into[i] = IS_TEXT[column] ? texts[value] : value;
    }
  }
  return into;
}

/** One text cell of a batch's row. */
export function rowText(batch: RowBatch, index: number, column: (typeof ROW_COLUMNS)[number]): string | null {
  const value = batch.cells[index * ROW_WIDTH + AT[column]]!;
  return value !== value ? null : batch.texts[value]!;
}

/** The buffers postMessage can move instead of copying. */
export function rowBatchTransfer(batch: RowBatch): ArrayBuffer[] {
  return [batch.cells.buffer as ArrayBuffer, batch.keys.buffer as ArrayBuffer];
}

// Whole units travel as doubles up to 2⁵², not 2⁵³: two such values still add exactly, which the
// importer's monthly sums rely on (monthly-cells.ts).
const MAX_EXACT_DOUBLE = 2n ** 52n;

/** Writes lines into a RowBatch, cell by cell, with no array per row. */
class RowBatchBuilder {
  private texts: string[] = [];
  private cells: Float64Array;
  private keys: BigInt64Array;
  private wide = new Map<number, bigint>();
  private rows = 0;
  /** The row above's texts by column, for sharing. */
  private above: (string | null)[] = new Array<string | null>(ROW_WIDTH).fill(null);
  private base = 0;

  constructor(private capacity: number) {
    this.cells = new Float64Array(capacity * ROW_WIDTH);
    this.keys = new BigInt64Array(capacity * 2);
  }

  get length(): number {
    return this.rows;
  }

  add(line: NormalizedLine, identity: string, tagsJson: string, hash: bigint, position: number): void {
    if (this.rows === this.capacity) this.grow();
    this.base = this.rows * ROW_WIDTH;
    const billed = splitExactToNumbers(line.billedCost);
    const effective = splitExactToNumbers(line.effectiveCost);
    const list = line.listCost === null ? null : splitExactToNumbers(line.listCost);
    this.text(AT.provider, line.provider);
    this.text(AT.billing_account_id, line.billingAccountId);
    this.text(AT.billing_account_name, line.billingAccountName);
    this.text(AT.sub_account_id, line.subAccountId);
    this.text(AT.sub_account_name, line.subAccountName);
    this.text(AT.service_name, line.serviceName);
    this.text(AT.service_category, line.serviceCategory);
    this.text(AT.region, line.region);
    this.text(AT.resource_id, line.resourceId);
    this.text(AT.resource_name, line.resourceName);
    this.text(AT.sku_id, line.skuId);
    this.text(AT.charge_category, line.chargeCategory);
    this.text(AT.charge_class, line.chargeClass);
    this.text(AT.charge_description, line.chargeDescription);
    this.text(AT.charge_day, line.chargeDay);
    this.text(AT.charge_period_start, line.chargePeriodStart);
    this.text(AT.charge_period_end, line.chargePeriodEnd);
    this.text(AT.billing_period, line.billingPeriod);
    this.text(AT.invoice_id, line.invoiceId);
    this.text(AT.currency, line.currency);
    this.number(AT.billed_nanos, billed.nanos);
    this.number(AT.billed_atto, billed.atto);
    this.number(AT.billed_ronto, billed.ronto);
    this.number(AT.effective_nanos, effective.nanos);
    this.number(AT.effective_atto, effective.atto);
    this.number(AT.effective_ronto, effective.ronto);
    this.number(AT.list_nanos, list === null ? null : list.nanos);
    this.number(AT.list_atto, list === null ? null : list.atto);
    this.number(AT.list_ronto, list === null ? null : list.ronto);
    this.text(AT.commitment_discount_id, line.commitmentDiscountId);
    this.text(AT.commitment_discount_type, line.commitmentDiscountType);
    this.text(AT.commitment_discount_status, line.commitmentDiscountStatus);
    this.text(AT.pricing_quantity, line.pricingQuantity);
    this.text(AT.pricing_unit, line.pricingUnit);
    this.text(AT.tags, tagsJson);
    this.number(AT.line_number, position);
    this.keys[2 * this.rows] = fastHash64(identity);
    this.keys[2 * this.rows + 1] = hash;
    this.integer(AT.billed_units, billed.units);
    this.integer(AT.effective_units, effective.units);
    this.integer(AT.list_units, list === null ? null : list.units);
    this.rows++;
  }

  /** Hands over the rows written so far and starts an empty batch. */
  take(): RowBatch {
    const batch: RowBatch = {
      length: this.rows,
      texts: this.texts,
      cells: this.rows === this.capacity ? this.cells : this.cells.slice(0, this.rows * ROW_WIDTH),
      keys: this.rows === this.capacity ? this.keys : this.keys.slice(0, this.rows * 2),
      wide: this.wide,
    };
    this.texts = [];
    this.cells = new Float64Array(this.capacity * ROW_WIDTH);
    this.keys = new BigInt64Array(this.capacity * 2);
    this.wide = new Map();
    this.rows = 0;
    this.above.fill(null);
    return batch;
  }

  private text(column: number, value: string | null): void {
    const at = this.base + column;
    if (value === null) {
      this.cells[at] = NaN;
      this.above[column] = null;
    } else if (value === this.above[column]) this.cells[at] = this.cells[at - ROW_WIDTH]!;
    else {
      this.cells[at] = this.texts.length;
      this.texts.push(value);
      this.above[column] = value;
    }
  }

  private number(column: number, value: number | null): void {
    this.cells[this.base + column] = value === null ? NaN : value;
  }

  private integer(column: number, value: bigint | null): void {
    const at = this.base + column;
    if (value === null) this.cells[at] = NaN;
    else if (value <= MAX_EXACT_DOUBLE && value >= -MAX_EXACT_DOUBLE) this.cells[at] = Number(value);
    else {
      this.cells[at] = NaN;
      this.wide.set(at, value);
    }
  }

  /** Rows beyond the batch size (one record mapping to several lines) get room instead of an error. */
  private grow(): void {
    const cells = new Float64Array(this.cells.length * 2);
    cells.set(this.cells);
    const keys = new BigInt64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.cells = cells;
    this.keys = keys;
    this.capacity *= 2;
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
  let lastReport = 0;
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
              batch.add(line, identity, tagsJson, hash.value(), record.position);
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
          const at = Date.now();
          if (at - lastReport > 200) {
            lastReport = at;
            await sink.progress(rows, opened.bytesRead(), opened.totalBytes);
          }
        }
      }
    }
    await flushRows();
    await sink.progress(rows, opened.totalBytes, opened.totalBytes);
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
  };
}

function toScanError(error: unknown, file: string, line: number | null): Error {
  if (error instanceof ScanError) return error;
  if (error instanceof FileError) return new ScanError(error.message, file, error.position, error.column);
  if (error instanceof RowError) return new ScanError(error.message, file, line, error.column);
  return error as Error;
}
