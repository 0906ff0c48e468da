/**
 * Expected amounts of the sample datasets, computed from their raw cells with the independent decimal
 * adder and rules written out here (from each format's documentation), never from the importer's output.
 */
import { decimalSum } from './decimal';

/** Spellings of "no value" in the samples: an empty cell is a zero cost. */
const EMPTY = new Set(['', 'null', 'NULL', 'None']);

export function amountText(value: string | undefined | null): string {
  const trimmed = (value ?? '').trim();
  return EMPTY.has(trimmed) ? '0' : trimmed;
}

export function sum(values: Iterable<string | undefined | null>): string {
  return decimalSum([...values].map(amountText));
}

/** Sums of `value` per `key`, keys sorted. */
export function sumBy<T>(
  rows: readonly T[],
  key: (row: T) => string,
  value: (row: T) => string | undefined,
): Record<string, string> {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, [...(groups.get(k) ?? []), amountText(value(row))]);
  }
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, decimalSum(groups.get(k)!)]));
}

/**
 * Azure cost details (Microsoft's FOCUS mapping, see formats/azure.ts): the one cost column is what the
 * invoice charges, except that usage covered by a reservation or savings plan (PricingModel Reservation /
 * SavingsPlan) and unused commitment rows are billed 0 with effective = cost, and commitment purchases are
 * billed = cost with effective 0 (their cost reaches usage through the amortized rows).
 */
export function azureAmounts(
  row: Record<string, string>,
  columns: { cost: string; chargeType?: string; pricingModel?: string },
): { billed: string; effective: string } {
  const cost = amountText(row[columns.cost]);
  const chargeType = (columns.chargeType ? row[columns.chargeType] : '')?.trim().toLowerCase() || 'usage';
  const model = (columns.pricingModel ? row[columns.pricingModel] : '')?.trim().toLowerCase() ?? '';
  const committed = model === 'reservation' || model === 'savingsplan';
  if (chargeType.startsWith('unused')) return { billed: '0', effective: cost };
  if (committed && chargeType === 'usage') return { billed: '0', effective: cost };
  if (committed && (chargeType === 'purchase' || chargeType === 'refund')) return { billed: cost, effective: '0' };
  return { billed: cost, effective: cost };
}

/** Credit amounts in a GCP `credits` cell, written as JSON or a Python repr ('amount': -5e-06). */
export function gcpCreditAmounts(cell: string | undefined): string[] {
  const text = (cell ?? '').trim();
  if (text === '' || text === '[]') return [];
  return [...text.matchAll(/["']amount["']\s*:\s*(-?[\d.]+(?:[eE][+-]?\d+)?)/g)].map((match) => match[1]!);
}

/**
 * AWS CUR amortized cost for the line item types in the samples: SavingsPlanCoveredUsage costs its
 * savingsPlan/SavingsPlanEffectiveCost (the unblended cost where the export left it blank); Usage and Tax
 * cost their unblended cost. Any other type fails the test, so a new sample gets a rule written here.
 */
export function curEffective(row: Record<string, string>, unblended: string, lineType: string): string {
  switch (lineType) {
    case 'Usage':
    case 'Tax':
      return amountText(unblended);
    case 'SavingsPlanCoveredUsage':
      return amountText(row['savingsPlan/SavingsPlanEffectiveCost'] || unblended);
    default:
      throw new Error(`no expected-cost rule for line item type "${lineType}"`);
  }
}

/** The YYYY-MM-DD day of an Azure date cell: ISO, or MM/DD/YYYY as EA and US-locale exports write it. */
export function azureDay(cell: string): string {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(cell.trim());
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  return cell.trim().slice(0, 10);
}

/** Azure tags, with or without the braces EA exports leave out; values as strings. */
export function azureTags(cell: string | undefined): Record<string, string> {
  const text = (cell ?? '').trim();
  if (text === '') return {};
  const parsed = JSON.parse(text.startsWith('{') ? text : `{${text}}`) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(parsed).map(([key, value]) => [
      key.trim(),
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}
