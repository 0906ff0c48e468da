/**
 * FOCUS CSV files written by tests into temp folders: small hand-specified ones (with the physical line of
 * every row, for lineage checks) and large generated ones (streamed, with their exact totals computed by
 * the independent decimal adder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { decimalSum } from './decimal';

export const FOCUS_COLUMNS = [
  'BillingAccountId',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ProviderName',
  'ServiceName',
  'ResourceId',
  'SkuId',
  'ChargeDescription',
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'Tags',
] as const;

export interface FocusRow {
  billed: string;
  /** Defaults to billed. */
  effective?: string;
  account?: string;
  /** Charge day, YYYY-MM-DD; the billing period is its month unless `period` says otherwise. */
  day?: string;
  hour?: number;
  period?: string;
  service?: string;
  resource?: string;
  sku?: string;
  category?: string;
  provider?: string;
  currency?: string;
  description?: string;
  tags?: Record<string, string>;
  /** Raw cell overrides by column name, for malformed rows ("BilledCost": "abc"). */
  raw?: Partial<Record<(typeof FOCUS_COLUMNS)[number], string>>;
}

export const DEFAULT_ACCOUNT = 'acct-1';
export const DEFAULT_DAY = '2024-03-05';

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function nextMonthStart(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01T00:00:00Z` : `${year}-${String(month + 1).padStart(2, '0')}-01T00:00:00Z`;
}

function cells(row: FocusRow): string[] {
  const day = row.day ?? DEFAULT_DAY;
  const period = row.period ?? day.slice(0, 7);
  const hour = String(row.hour ?? 0).padStart(2, '0');
  const endHour = String((row.hour ?? 0) + 1).padStart(2, '0');
  const values: Record<(typeof FOCUS_COLUMNS)[number], string> = {
    BillingAccountId: row.account ?? DEFAULT_ACCOUNT,
    BillingPeriodStart: `${period}-01T00:00:00Z`,
    BillingPeriodEnd: nextMonthStart(period),
    ChargePeriodStart: `${day}T${hour}:00:00Z`,
    ChargePeriodEnd: `${day}T${endHour}:00:00Z`,
    ChargeCategory: row.category ?? 'Usage',
    ProviderName: row.provider ?? 'AWS',
    ServiceName: row.service ?? 'Amazon EC2',
    ResourceId: row.resource ?? '',
    SkuId: row.sku ?? '',
    ChargeDescription: row.description ?? '',
    BilledCost: row.billed,
    EffectiveCost: row.effective ?? row.billed,
    BillingCurrency: row.currency ?? 'USD',
    Tags: row.tags ? JSON.stringify(row.tags) : '',
    ...row.raw,
  };
  return FOCUS_COLUMNS.map((column) => values[column]);
}

/** A FOCUS CSV's text and the 1-based physical line each row starts on (header = line 1). */
export function focusCsv(rows: readonly FocusRow[], eol = '\n'): { text: string; lines: number[] } {
  const out = [FOCUS_COLUMNS.join(',')];
  const lines: number[] = [];
  let line = 2;
  for (const row of rows) {
    const record = cells(row).map(csvField).join(',');
    lines.push(line);
    out.push(record);
    // A quoted field may hold line breaks: the next record starts that many lines further down.
    line += 1 + (record.match(/\r\n|\n|\r/g)?.length ?? 0);
  }
  return { text: out.join(eol) + eol, lines };
}

/** Writes a FOCUS CSV into `dir`; returns its path and the physical line of every row. */
export function writeFocusCsv(dir: string, name: string, rows: readonly FocusRow[]): { file: string; lines: number[] } {
  const file = path.join(dir, name);
  const { text, lines } = focusCsv(rows);
  fs.writeFileSync(file, text);
  return { file, lines };
}

/** The amount of generated row `i`: varied digits, some negative, so sums exercise carries. */
export function generatedAmount(i: number): string {
  const whole = (i * 7) % 1000;
  const fraction = String((i * 7919 + 13) % 1_000_000_000).padStart(9, '0');
  return `${i % 97 === 0 ? '-' : ''}${whole}.${fraction}`;
}

export interface LargeFile {
  file: string;
  rows: number;
  /** Exact totals by the independent adder. */
  billed: string;
  bytes: number;
}

/**
 * Streams a large FOCUS CSV of `rows` usage rows, one account and billing period, distinct identities
 * (resource × hour × day), into `file`.
 */
export async function writeLargeFocusCsv(
  file: string,
  rows: number,
  options: { account?: string; period?: string; service?: string } = {},
): Promise<LargeFile> {
  const period = options.period ?? '2024-06';
  const account = options.account ?? 'acct-large';
  const service = options.service ?? 'Amazon S3';
  const stream = fs.createWriteStream(file);
  const amounts: string[] = [];
  const write = (text: string) =>
    stream.write(text) ? Promise.resolve() : new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  await write(`${FOCUS_COLUMNS.join(',')}\n`);
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const amount = generatedAmount(i);
    amounts.push(amount);
    const day = `${period}-${String((i % 28) + 1).padStart(2, '0')}`;
    const hour = Math.floor(i / 28) % 24;
    chunk.push(
      cells({ account, day, hour, service, resource: `r-${i}`, billed: amount, effective: amount }).join(',') + '\n',
    );
    if (chunk.length === 5000) {
      await write(chunk.join(''));
      chunk = [];
    }
  }
  await write(chunk.join(''));
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { file, rows, billed: decimalSum(amounts), bytes: fs.statSync(file).size };
}
