/**
 * The row format the ledger appends: cost lines laid out to cross threads cheaply and to be bound
 * without an array per row. Scans build batches in a worker thread; this module has no dependencies so
 * the worker can load it alone.
 */
import { splitExactToNumbers } from '../../../shared/exact';
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
  /** line_key and line_hash of row i at 2i and 2i + 1; null when the writer gives lines no identity (the demo). */
  readonly keys: BigInt64Array | null;
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
    if (column === AT.line_key) into[i] = batch.keys ? batch.keys[2 * index] : null;
    else if (column === AT.line_hash) into[i] = batch.keys ? batch.keys[2 * index + 1] : null;
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
  return batch.keys
    ? [batch.cells.buffer as ArrayBuffer, batch.keys.buffer as ArrayBuffer]
    : [batch.cells.buffer as ArrayBuffer];
}

// Whole units travel as doubles up to 2⁵², not 2⁵³: two such values still add exactly, which the
// importer's monthly sums rely on (monthly-cells.ts).
const MAX_EXACT_DOUBLE = 2n ** 52n;

/** Writes rows into a RowBatch, cell by cell, with no array per row. */
export class RowBatchBuilder {
  private texts: string[] = [];
  private cells: Float64Array;
  private keys: BigInt64Array;
  private wide = new Map<number, bigint>();
  private rows = 0;
  /** The row above's texts by column, for sharing. */
  private above: (string | null)[] = new Array<string | null>(ROW_WIDTH).fill(null);
  private base = 0;

  /** `keyed`: whether rows carry line_key and line_hash (lineKeys); without, both are null. */
  constructor(
    private capacity: number,
    private readonly keyed = true,
  ) {
    this.cells = new Float64Array(capacity * ROW_WIDTH);
    this.keys = new BigInt64Array(keyed ? capacity * 2 : 0);
  }

  get length(): number {
    return this.rows;
  }

  /**
   * Starts the next row; then write every column of it (text, number or integer; null where absent), in
   * any order, and end it. A text equal to the row above's shares its index, so no column may be skipped.
   */
  startRow(): void {
    if (this.rows === this.capacity) this.grow();
    this.base = this.rows * ROW_WIDTH;
  }

  /** Ends the row started last. */
  endRow(): void {
    this.rows++;
  }

  /** The row's line_key (identity hash) and line_hash (content hash). */
  lineKeys(identity: bigint, content: bigint): void {
    if (!this.keyed) return;
    this.keys[2 * this.rows] = identity;
    this.keys[2 * this.rows + 1] = content;
  }

  /** Hands over the rows written so far and starts an empty batch. */
  take(): RowBatch {
    const batch: RowBatch = {
      length: this.rows,
      texts: this.texts,
      cells: this.rows === this.capacity ? this.cells : this.cells.slice(0, this.rows * ROW_WIDTH),
      keys: !this.keyed ? null : this.rows === this.capacity ? this.keys : this.keys.slice(0, this.rows * 2),
      wide: this.wide,
    };
    this.texts = [];
    this.cells = new Float64Array(this.capacity * ROW_WIDTH);
    this.keys = new BigInt64Array(this.keyed ? this.capacity * 2 : 0);
    this.wide = new Map();
    this.rows = 0;
    this.above.fill(null);
    return batch;
  }

  text(column: number, value: string | null): void {
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

  number(column: number, value: number | null): void {
    this.cells[this.base + column] = value === null ? NaN : value;
  }

  integer(column: number, value: bigint | null): void {
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

/** The columns of a cost line, as every writer gives them to the ledger. */
export interface LedgerLine {
  /** FOCUS ServiceProviderName/ProviderName, e.g. "AWS", "Microsoft", "Google Cloud". */
  provider: string;
  billingAccountId: string;
  billingAccountName: string | null;
  subAccountId: string | null;
  subAccountName: string | null;
  serviceName: string;
  serviceCategory: string | null;
  region: string | null;
  resourceId: string | null;
  resourceName: string | null;
  skuId: string | null;
  /** FOCUS ChargeCategory: Usage, Purchase, Tax, Credit, Adjustment. */
  chargeCategory: string;
  /** FOCUS ChargeClass: null or "Correction". */
  chargeClass: string | null;
  chargeDescription: string | null;
  /** ISO 8601 as written by the source's billing clock, e.g. "2024-09-18T22:00:00Z" or "2014-01-01T00:00:00-08:00". */
  chargePeriodStart: string;
  chargePeriodEnd: string;
  /** The billing day: the date part of chargePeriodStart in the provider's billing time zone (YYYY-MM-DD). */
  chargeDay: string;
  /** Billing period month, YYYY-MM. */
  billingPeriod: string;
  invoiceId: string | null;
  /** ISO 4217 billing currency. */
  currency: string;
  /** Exact amounts in 10⁻²⁷ units. */
  billedCost: bigint;
  effectiveCost: bigint;
  listCost: bigint | null;
  commitmentDiscountId: string | null;
  commitmentDiscountType: string | null;
  commitmentDiscountStatus: string | null;
  /** Decimal text exactly as the source wrote it (quantities are not money; they are never summed here). */
  pricingQuantity: string | null;
  pricingUnit: string | null;
}

/**
 * Writes a line as the next row of a batch: every column, the amounts split into their stored parts.
 * `identityKey` and `contentHash` become line_key and line_hash (a keyless builder ignores them).
 */
export function writeLine(
  into: RowBatchBuilder,
  line: LedgerLine,
  tagsJson: string,
  lineNumber: number,
  identityKey: bigint,
  contentHash: bigint,
): void {
  into.startRow();
  const billed = splitExactToNumbers(line.billedCost);
  const effective = splitExactToNumbers(line.effectiveCost);
  const list = line.listCost === null ? null : splitExactToNumbers(line.listCost);
  into.text(AT.provider, line.provider);
  into.text(AT.billing_account_id, line.billingAccountId);
  into.text(AT.billing_account_name, line.billingAccountName);
  into.text(AT.sub_account_id, line.subAccountId);
  into.text(AT.sub_account_name, line.subAccountName);
  into.text(AT.service_name, line.serviceName);
  into.text(AT.service_category, line.serviceCategory);
  into.text(AT.region, line.region);
  into.text(AT.resource_id, line.resourceId);
  into.text(AT.resource_name, line.resourceName);
  into.text(AT.sku_id, line.skuId);
  into.text(AT.charge_category, line.chargeCategory);
  into.text(AT.charge_class, line.chargeClass);
  into.text(AT.charge_description, line.chargeDescription);
  into.text(AT.charge_day, line.chargeDay);
  into.text(AT.charge_period_start, line.chargePeriodStart);
  into.text(AT.charge_period_end, line.chargePeriodEnd);
  into.text(AT.billing_period, line.billingPeriod);
  into.text(AT.invoice_id, line.invoiceId);
  into.text(AT.currency, line.currency);
  into.number(AT.billed_nanos, billed.nanos);
  into.number(AT.billed_atto, billed.atto);
  into.number(AT.billed_ronto, billed.ronto);
  into.number(AT.effective_nanos, effective.nanos);
  into.number(AT.effective_atto, effective.atto);
  into.number(AT.effective_ronto, effective.ronto);
  into.number(AT.list_nanos, list === null ? null : list.nanos);
  into.number(AT.list_atto, list === null ? null : list.atto);
  into.number(AT.list_ronto, list === null ? null : list.ronto);
  into.text(AT.commitment_discount_id, line.commitmentDiscountId);
  into.text(AT.commitment_discount_type, line.commitmentDiscountType);
  into.text(AT.commitment_discount_status, line.commitmentDiscountStatus);
  into.text(AT.pricing_quantity, line.pricingQuantity);
  into.text(AT.pricing_unit, line.pricingUnit);
  into.text(AT.tags, tagsJson);
  into.number(AT.line_number, lineNumber);
  into.lineKeys(identityKey, contentHash);
  into.integer(AT.billed_units, billed.units);
  into.integer(AT.effective_units, effective.units);
  into.integer(AT.list_units, list === null ? null : list.units);
  into.endRow();
}
