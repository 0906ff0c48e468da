/**
 * The monthly rollup of the lines an import writes, summed by the importing thread from each written
 * batch, so the daily rollup need not be read back after the scan (that took the importing thread
 * 1.3 s of 14 s on 730,000 lines, after the scan had finished). It used to be summed by the scan
 * thread, which on large files is the busier one: there it cost 7 % of the scan's time, and the
 * importing thread waited for the scan a sixth of its time.
 */
import { joinExact, splitExact } from '../../../shared/exact';
import { detach } from '../../../shared/text';
import type { MonthlyCell } from './rollups';
import { AT, ROW_WIDTH, rowText, type RowBatch } from './row-batch';

/**
 * How many cells are summed before they are written (take()) and summing starts afresh. Holding every
 * cell to the end kept 240,000 of them alive on the 7.3 M-line benchmark (50 accounts × 200 services ×
 * 24 months); written early, a cell the file comes back to is written as two partial rows, which every
 * reader sums.
 */
export const MONTHLY_FLUSH_CELLS = 20_000;

const SEPARATOR = '\u001f';
/** Past this, a cell's double sums move into its exact BigInt sums: doubles add integers exactly below 2⁵³. */
const FOLD_AT = 2 ** 52;

/** A cell's sums: each part of the amounts as a double while it is exact, the rest as exact BigInts. */
interface Sums {
  /** Month, provider, sub account, service, service category, region, charge category, currency. */
  dims: string[];
  billingAccountId: string;
  billingPeriod: string;
  lines: number;
  /** Units, nanos, atto, ronto of billed then effective cost, not yet folded into the exact sums. */
  parts: Float64Array;
  billed: bigint;
  effective: bigint;
  /** Another cell of the same group and service (another category or region). */
  next: Sums | null;
}

const AMOUNT_AT = [
  AT.billed_units,
  AT.billed_nanos,
  AT.billed_atto,
  AT.billed_ronto,
  AT.effective_units,
  AT.effective_nanos,
  AT.effective_atto,
  AT.effective_ronto,
];

/** The dimensions of a cell that change least from one row to the next, as the row's cells hold them. */
const GROUP_COLUMNS = [
  AT.billing_account_id,
  AT.billing_period,
  AT.charge_day,
  AT.provider,
  AT.sub_account_id,
  AT.charge_category,
  AT.currency,
];

export class MonthlyCells {
  /**
   * Cells by account, period, month, provider, sub account, charge category and currency (a group),
   * then by service, then among the few of a service by category and region. Exports list a day's
   * lines account by account, so consecutive rows nearly always share their group: a row whose group
   * cells are the row above's (equal text indices in a RowBatch) reuses it without building a key.
   */
  private readonly groups = new Map<string, Map<string, Sums>>();
  private cellCount = 0;

  /** Cells being summed: take() them when this reaches MONTHLY_FLUSH_CELLS. */
  get size(): number {
    return this.cellCount;
  }

  /** Adds every line of a written batch to its cell. */
  add(batch: RowBatch): void {
    const { cells, texts } = batch;
    let group: Map<string, Sums> | null = null;
    let values: string[] = [];
    for (let index = 0; index < batch.length; index++) {
      const base = index * ROW_WIDTH;
      let same = group !== null;
      for (let k = 0; same && k < GROUP_COLUMNS.length; k++) {
        const at = base + GROUP_COLUMNS[k]!;
        const value = cells[at]!;
        const above = cells[at - ROW_WIDTH]!;
        // NaN (null) equals NaN here.
        if (value !== above && (value === value || above === above)) same = false;
      }
      if (!same) {
        values = [
          rowText(batch, index, 'billing_account_id')!,
          rowText(batch, index, 'billing_period')!,
          rowText(batch, index, 'charge_day')!.slice(0, 7),
          rowText(batch, index, 'provider')!,
          rowText(batch, index, 'sub_account_id') ?? '',
          rowText(batch, index, 'charge_category')!,
          rowText(batch, index, 'currency')!,
        ];
        const joined = values.join(SEPARATOR);
        // A value holding the separator could make two groups one key; such groups are keyed
        // unambiguously (a clean key never equals one made from values holding a separator).
        const key = joined.split(SEPARATOR).length === values.length ? joined : `\u0000${JSON.stringify(values)}`;
        group = this.groups.get(key) ?? null;
        if (!group) {
          group = new Map();
          this.groups.set(detach(key), group);
        }
      }
      const service = texts[cells[base + AT.service_name]!]!;
      const category = rowText(batch, index, 'service_category') ?? '';
      const region = rowText(batch, index, 'region') ?? '';
      const first = group!.get(service);
      let cell = first;
      while (cell && (cell.dims[4] !== category || cell.dims[5] !== region)) cell = cell.next ?? undefined;
      if (!cell) {
        const [billingAccountId, billingPeriod, month, provider, subAccount, chargeCategory, currency] =
          values.map(detach);
        cell = {
          dims: [
            month!,
            provider!,
            subAccount!,
            detach(service),
            detach(category),
            detach(region),
            chargeCategory!,
            currency!,
          ],
          billingAccountId: billingAccountId!,
          billingPeriod: billingPeriod!,
          lines: 0,
          parts: new Float64Array(8),
          billed: 0n,
          effective: 0n,
          next: first ?? null,
        };
        group!.set(cell.dims[3]!, cell);
        this.cellCount++;
      }
      cell.lines++;
      const parts = cell.parts;
      let fold = false;
      for (let part = 0; part < 8; part++) {
        const at = base + AMOUNT_AT[part]!;
        const value = cells[at]!;
        if (value === value) {
          const sum = parts[part]! + value;
          parts[part] = sum;
          if (sum > FOLD_AT || sum < -FOLD_AT) fold = true;
        } else {
          // Whole units beyond a double's exact range go straight into the exact sums.
          const wide = batch.wide.get(at);
          if (wide !== undefined) {
            if (part < 4) cell.billed += joinExact(wide, 0n, 0n, 0n);
            else cell.effective += joinExact(wide, 0n, 0n, 0n);
          }
        }
      }
      if (fold) foldParts(cell);
    }
  }

  /**
   * The cells summed so far, exact; summing starts afresh. A cell whose sums never left the doubles'
   * exact range keeps them as its parts (each an integer, the fractions not carried into the units:
   * readers join the parts they sum, as they do the daily rollup's); the others are split from their
   * exact sums. Folding every cell into BigInts and splitting it again cost a fifth of writing them.
   */
  take(): MonthlyCell[] {
    const taken: MonthlyCell[] = [];
    for (const group of this.groups.values()) {
      for (const first of group.values()) {
        for (let cell: Sums | null = first; cell; cell = cell.next) {
          let parts: MonthlyCell['parts'];
          if (cell.billed === 0n && cell.effective === 0n) {
            const p = cell.parts;
            parts = [p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!];
          } else {
            foldParts(cell);
            const billed = splitExact(cell.billed);
            const effective = splitExact(cell.effective);
            parts = [
              billed.units,
              billed.nanos,
              billed.atto,
              billed.ronto,
              effective.units,
              effective.nanos,
              effective.atto,
              effective.ronto,
            ];
          }
          taken.push({
            billingAccountId: cell.billingAccountId,
            billingPeriod: cell.billingPeriod,
            dims: cell.dims,
            lines: cell.lines,
            parts,
          });
        }
      }
    }
    this.groups.clear();
    this.cellCount = 0;
    return taken;
  }
}

function foldParts(cell: Sums): void {
  const p = cell.parts;
  cell.billed += exact(p[0]!, p[1]!, p[2]!, p[3]!);
  cell.effective += exact(p[4]!, p[5]!, p[6]!, p[7]!);
  p.fill(0);
}

function exact(units: number, nanos: number, atto: number, ronto: number): bigint {
  return joinExact(BigInt(units), BigInt(nanos), BigInt(atto), BigInt(ronto));
}
