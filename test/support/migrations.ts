/**
 * Workspaces as older builds left them, for migration tests: the checked-in migrations cut after one of
 * them, rows written in the schema of that time, and exact amounts split and read back by arithmetic
 * of the tests' own (never shared/exact.ts, whose splitting is what the migrations must agree with).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultMigrationsFolder, openStore, type Sqlite, type Store } from '../../electron/core/store/database';
import { decimalSum } from './decimal';
import { tempDir } from './workspace';

/** A copy of the real migrations up to and including `lastTag`: a workspace as an older build left it. */
export function migrationsUpTo(lastTag: string): string {
  const dir = path.join(tempDir(), 'migrations');
  fs.cpSync(defaultMigrationsFolder(), dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  // Cutting at a tag that is not there would silently test the newest schema instead.
  if (last < 1) throw new Error(`no migration ${lastTag} after the first in the journal`);
  journal.entries = journal.entries.slice(0, last + 1);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

/** Opens (creating or migrating) the workspace database `file` with the migrations up to `lastTag`. */
export function openMigratedTo(file: string, lastTag: string): Store {
  return openStore({ file, migrationsFolder: migrationsUpTo(lastTag), now: () => new Date() });
}

/** Inserts rows given as column → value objects (one statement per row: seeds are small). */
export function insertRows(sqlite: Sqlite, table: string, rows: readonly Record<string, unknown>[]): void {
  for (const row of rows) {
    const columns = Object.keys(row);
    sqlite
      .prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
      .run(row);
  }
}

const ONE = 10n ** 27n;
const NANO = 10n ** 18n;
const STEP = 10n ** 9n;

/** Floor division (BigInt's / truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** An amount as the store keeps it since migration 0008: whole units floored, then three 9-digit fractions. */
export type UnitParts = {
  units: bigint;
  nanos: bigint;
  atto: bigint;
  ronto: bigint;
};

/** Splits a plain decimal ("-12.5", up to 27 places) into UnitParts. */
export function unitParts(decimal: string): UnitParts {
  const match = /^(-?)(\d+)(?:\.(\d{1,27}))?$/.exec(decimal);
  if (!match) throw new Error(`not a plain decimal with at most 27 places: ${decimal}`);
  const magnitude = BigInt(match[2]! + (match[3] ?? '').padEnd(27, '0'));
  const value = match[1] ? -magnitude : magnitude;
  const units = floorDiv(value, ONE);
  const rest = value - units * ONE;
  return { units, nanos: rest / NANO, atto: (rest % NANO) / STEP, ronto: rest % STEP };
}

/** An amount as builds before migration 0008 kept it: all of its value down to nanos in `nanos`, floored. */
export function nanoParts(decimal: string): Omit<UnitParts, 'units'> {
  const { units, nanos, atto, ronto } = unitParts(decimal);
  return { nanos: units * STEP + nanos, atto, ronto };
}

/** Parts summed column by column, as SQL's SUM and the importers' rollups add them. */
export function addParts<T extends Partial<UnitParts>>(a: T, b: T): T {
  const sum: Partial<UnitParts> = {};
  for (const key of Object.keys(a) as (keyof UnitParts)[]) sum[key] = a[key]! + b[key]!;
  return sum as T;
}

/** `{ billed_units: …, billed_nanos: … }`: an amount's parts under its column names. */
export function amountColumns<V>(prefix: string, parts: Partial<Record<keyof UnitParts, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(parts).map(([part, value]) => [`${prefix}_${part}`, value]));
}

/**
 * The exact decimal of a stored amount's columns (`<prefix>_units` when present, `_nanos`, `_atto`,
 * `_ronto`), read by the independent adder, so sums whose fractions overflow their 9 digits read right.
 */
export function storedDecimal(row: Record<string, unknown>, prefix: string): string {
  const part = (name: string) => String((row[`${prefix}_${name}`] as bigint | undefined) ?? 0n);
  return decimalSum([part('units'), `${part('nanos')}e-9`, `${part('atto')}e-18`, `${part('ronto')}e-27`]);
}

/** A table's key columns in key order (the primary key of a WITHOUT ROWID table, say). */
export function primaryKeyColumns(sqlite: Sqlite, table: string): string[] {
  const columns = sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: bigint }[];
  return columns
    .filter((column) => column.pk > 0n)
    .sort((a, b) => Number(a.pk - b.pk))
    .map((column) => column.name);
}

/** The columns of an index, in order; [] when there is no such index. */
export function indexColumns(sqlite: Sqlite, index: string): string[] {
  return (sqlite.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((column) => column.name);
}

/** Names of the indexes a table has, primary key included, sorted. */
export function indexesOf(sqlite: Sqlite, table: string): string[] {
  return (sqlite.prepare(`PRAGMA index_list(${table})`).all() as { name: string }[]).map((index) => index.name).sort();
}
