/**
 * The migrations that move cost data (0008, 0009, 0011, 0013): a workspace is opened as the build before
 * each left it, filled with lines, rollups and snapshots written the way that build wrote them, migrated,
 * and every figure is checked against the seeded lines added up independently (decimal strings).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sqlite, Store } from '../../electron/core/store/database';
import { decimalSum } from '../support/decimal';
import {
  addParts,
  amountColumns,
  indexColumns,
  indexesOf,
  insertRows,
  nanoParts,
  openMigratedTo,
  primaryKeyColumns,
  storedDecimal,
  unitParts,
  type UnitParts,
} from '../support/migrations';
import { tempDir } from '../support/workspace';

const opened = new Set<Store>();
afterEach(() => {
  for (const store of opened) store.close();
  opened.clear();
});

function open(file: string, lastTag: string): Store {
  const store = openMigratedTo(file, lastTag);
  opened.add(store);
  return store;
}

function close(store: Store): void {
  opened.delete(store);
  store.close();
}

interface SeedLine {
  source: string;
  run: string;
  account: string;
  period: string;
  day: string;
  provider: string;
  subAccount: string | null;
  service: string;
  category: string | null;
  region: string | null;
  chargeCategory: string;
  currency: string;
  billed: string;
  effective: string;
  list: string | null;
}

// Run ids are ULIDs: creation order is id order. RUN_1 wrote AWS 2024-01 and 2024-02; RUN_2 restated
// 2024-02 for one account (RUN_1's lines of it stay, superseded); FAILED wrote lines but published nothing.
const RUN_1 = '01HQ0000000000000000000001';
const RUN_2 = '01HQ0000000000000000000002';
const AZURE_RUN = '01HQ0000000000000000000003';
const FAILED = '01HQ0000000000000000000004';
const RUNS = [
  { id: RUN_1, source: 'src-aws', status: 'succeeded' },
  { id: RUN_2, source: 'src-aws', status: 'succeeded' },
  { id: AZURE_RUN, source: 'src-azure', status: 'succeeded' },
  { id: FAILED, source: 'src-aws', status: 'failed' },
];

/** Amounts with the edges that break splitting: negatives, 27 places, past 2^53 nanos, whole negatives. */
const AMOUNTS = [
  '12.5',
  '-0.000000001',
  '0.123456789123456789123456789',
  '-1234567.000000000000000000001',
  '9007199.254740993',
  '-9007199.254740993',
  '0',
  '-1',
  '3.000000000000000001',
  `99999999.${'9'.repeat(27)}`,
  '-0.5',
  '7.000000001',
];

const SCOPES = [
  { source: 'src-aws', run: RUN_1, account: '111122223333', period: '2024-01', currency: 'USD', lines: 9 },
  { source: 'src-aws', run: RUN_1, account: '444455556666', period: '2024-01', currency: 'JPY', lines: 5 },
  { source: 'src-aws', run: RUN_1, account: '111122223333', period: '2024-02', currency: 'USD', lines: 7 },
  { source: 'src-aws', run: RUN_2, account: '111122223333', period: '2024-02', currency: 'USD', lines: 8 },
  { source: 'src-azure', run: AZURE_RUN, account: 'ea-9', period: '2024-02', currency: 'EUR', lines: 6 },
  { source: 'src-aws', run: FAILED, account: '111122223333', period: '2024-03', currency: 'USD', lines: 4 },
];

const SERVICES: [string, string | null][] = [
  ['AmazonEC2', 'Compute'],
  ['AmazonS3', null],
  ['AWSDataTransfer', 'Networking'],
];

/** The seeded export lines: several per day and cell, nulls in every optional dimension. */
function seedLines(): SeedLine[] {
  const lines: SeedLine[] = [];
  let k = 0;
  for (const scope of SCOPES) {
    for (let i = 0; i < scope.lines; i++) {
      const [service, category] = SERVICES[i % SERVICES.length]!;
      // The last Azure line is charged on the first day after its billing period (a late posting).
      const late = scope.source === 'src-azure' && i === scope.lines - 1;
      lines.push({
        source: scope.source,
        run: scope.run,
        account: scope.account,
        period: scope.period,
        day: late ? '2024-03-01' : `${scope.period}-0${1 + (i % 2)}`,
        provider: scope.source === 'src-azure' ? 'Microsoft' : 'AWS',
        subAccount: i % 2 ? null : `${scope.account}-sub`,
        service,
        category,
        region: i % 4 === 3 ? null : 'eu-west-1',
        chargeCategory: i % 5 === 4 ? 'Credit' : 'Usage',
        currency: scope.currency,
        billed: AMOUNTS[k % AMOUNTS.length]!,
        effective: AMOUNTS[(k + 5) % AMOUNTS.length]!,
        list: i % 3 === 1 ? null : AMOUNTS[(k + 3) % AMOUNTS.length]!,
      });
      k++;
    }
  }
  // Two identical lines in a cell of their own (the same charge twice is legal in an export): written
  // in two batches, their daily rollup rows are identical too, and both count.
  const twin: SeedLine = {
    ...lines.find((line) => line.run === RUN_2)!,
    day: '2024-02-10',
    service: 'AmazonRoute53',
    billed: '0.500000000000000000000000001',
    effective: '-0.5',
  };
  lines.push(twin, { ...twin });
  return lines;
}

/** The run each (source, account, period) snapshot points at: its latest published one. */
function currentRuns(lines: readonly SeedLine[]): Map<string, string> {
  const current = new Map<string, string>();
  for (const line of lines) {
    const key = scopeKey(line);
    if (line.run !== FAILED && (current.get(key) ?? '') < line.run) current.set(key, line.run);
  }
  return current;
}

const scopeKey = (line: SeedLine) => JSON.stringify([line.source, line.account, line.period]);

/** The seeded lines of current snapshots: what every reader shows. */
function currentLines(lines: readonly SeedLine[]): SeedLine[] {
  const current = currentRuns(lines);
  return lines.filter((line) => current.get(scopeKey(line)) === line.run);
}

/** The dimensions every rollup row carries, absent ones as '' (as rollups have always stored them). */
function rollupDimensions(line: SeedLine) {
  return {
    import_run_id: line.run,
    source_id: line.source,
    billing_period: line.period,
    provider: line.provider,
    billing_account_id: line.account,
    sub_account_id: line.subAccount ?? '',
    service_name: line.service,
    service_category: line.category ?? '',
    region: line.region ?? '',
    charge_category: line.chargeCategory,
    currency: line.currency,
  };
}

/** What names a row of each table, from one of its lines. */
type Identity = (line: SeedLine) => Record<string, string>;
const dailyCell: Identity = (line) => ({ day: line.day, ...rollupDimensions(line) });
const monthlyCell: Identity = (line) => ({ month: line.day.slice(0, 7), ...rollupDimensions(line) });
const snapshotOf: Identity = (line) => ({
  source_id: line.source,
  billing_account_id: line.account,
  billing_period: line.period,
  import_run_id: line.run,
});
const cubeCell: Identity = (line) => ({
  month: line.day.slice(0, 7),
  provider: line.provider,
  service_name: line.service,
  service_category: line.category ?? '',
  region: line.region ?? '',
  charge_category: line.chargeCategory,
  currency: line.currency,
});

interface Cell {
  identity: Record<string, string>;
  lines: SeedLine[];
}

/** Lines grouped by identity, in first-seen order. */
function cellsOf(lines: readonly SeedLine[], identity: Identity): Cell[] {
  const cells = new Map<string, Cell>();
  for (const line of lines) {
    const id = identity(line);
    const key = JSON.stringify(id);
    const cell = cells.get(key) ?? { identity: id, lines: [] };
    cell.lines.push(line);
    cells.set(key, cell);
  }
  return [...cells.values()];
}

type Split = (decimal: string) => Partial<UnitParts>;

/** A group's amounts summed part by part, as the importers of the time added them. */
function summed(lines: readonly SeedLine[], split: Split): Record<string, bigint> {
  const billed = lines.map((line) => split(line.billed)).reduce(addParts);
  const effective = lines.map((line) => split(line.effective)).reduce(addParts);
  return { ...amountColumns('billed', billed), ...amountColumns('effective', effective) };
}

/** A table's rows as cells of `identity` hold them: a cell written by `batches` import batches has a row from each. */
function cellRows(lines: readonly SeedLine[], identity: Identity, split: Split, batches = 1) {
  return cellsOf(lines, identity).flatMap((cell) =>
    Array.from({ length: batches }, (_, batch) => cell.lines.filter((_, i) => i % batches === batch))
      .filter((part) => part.length > 0)
      .map((part) => ({ ...cell.identity, ...summed(part, split), line_count: BigInt(part.length) })),
  );
}

function lineRow(line: SeedLine, index: number, split: Split): Record<string, unknown> {
  // A missing list amount is null in every column of the time (before 0008 there was no units column).
  const noList = Object.fromEntries(Object.keys(split('0')).map((part) => [part, null]));
  return {
    import_run_id: line.run,
    source_id: line.source,
    provider: line.provider,
    billing_account_id: line.account,
    sub_account_id: line.subAccount,
    service_name: line.service,
    service_category: line.category,
    region: line.region,
    resource_id: `res-${index}`,
    charge_category: line.chargeCategory,
    charge_day: line.day,
    charge_period_start: `${line.day}T00:00:00Z`,
    charge_period_end: `${line.day}T01:00:00Z`,
    billing_period: line.period,
    currency: line.currency,
    ...amountColumns('billed', split(line.billed)),
    ...amountColumns('effective', split(line.effective)),
    ...amountColumns('list', line.list === null ? noList : split(line.list)),
    file_name: 'export.csv',
    line_number: index + 2,
    ingested_at: '2024-03-02T00:00:00Z',
  };
}

/**
 * Sources, runs, lines, scopes, the daily and monthly rollups and the snapshots of `lines`, in the
 * schema of the time: `split` gives the amount columns (nanoParts before 0008, unitParts since), and
 * `batches` how many import batches wrote each rollup cell (one rollup row per cell and batch).
 */
function seedWorkspace(sqlite: Sqlite, lines: readonly SeedLine[], split: Split, batches = 1): void {
  insertRows(
    sqlite,
    'cost_source',
    ['src-aws', 'src-azure'].map((id) => ({ id, name: id, kind: 'import', updated_at: 'x', created_at: 'x' })),
  );
  insertRows(
    sqlite,
    'import_run',
    RUNS.map(({ id, source, status }) => ({ id, source_id: source, kind: 'import', status, started_at: id })),
  );
  insertRows(
    sqlite,
    'cost_line',
    lines.map((line, i) => lineRow(line, i, split)),
  );
  insertRows(
    sqlite,
    'import_run_scope',
    cellsOf(lines, snapshotOf).map((scope) => scope.identity),
  );
  insertRows(sqlite, 'cost_rollup_daily', cellRows(lines, dailyCell, split, batches));
  insertRows(sqlite, 'cost_rollup_monthly', cellRows(lines, monthlyCell, split, batches));
  insertRows(
    sqlite,
    'cost_snapshot',
    cellsOf(currentLines(lines), snapshotOf).map((scope) => ({
      ...scope.identity,
      digest: `digest-${scope.identity.import_run_id}`,
      line_count: BigInt(scope.lines.length),
      currency: scope.lines[0]!.currency,
      ...summed(scope.lines, split),
      updated_at: 'x',
    })),
  );
}

/** Rows sorted by their JSON: a stable order for comparing sets of rows. */
function sorted<T>(rows: readonly T[]): T[] {
  const text = (row: T) =>
    JSON.stringify(row, (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
  return [...rows].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}

/**
 * Expects `table` to hold exactly one row per cell, with its identity, line count and exact totals
 * (read from the stored parts by the independent adder, against the cell's lines added as decimals).
 */
function expectCellTotals(sqlite: Sqlite, table: string, cells: readonly Cell[]): void {
  const identity = Object.keys(cells[0]!.identity);
  const rows = sqlite.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
  const totals = (row: Record<string, unknown>) => ({
    ...Object.fromEntries(identity.map((column) => [column, row[column]])),
    line_count: row.line_count,
    billed: storedDecimal(row, 'billed'),
    effective: storedDecimal(row, 'effective'),
  });
  expect(sorted(rows.map(totals)), table).toEqual(
    sorted(
      cells.map((cell) => ({
        ...cell.identity,
        line_count: BigInt(cell.lines.length),
        billed: decimalSum(cell.lines.map((line) => line.billed)),
        effective: decimalSum(cell.lines.map((line) => line.effective)),
      })),
    ),
  );
}

/** Every line with its exact amounts (lines are never rewritten by these migrations, only re-split by 0008). */
function expectLines(sqlite: Sqlite, lines: readonly SeedLine[]): void {
  const rows = sqlite.prepare('SELECT * FROM cost_line ORDER BY id').all() as Record<string, unknown>[];
  expect(
    rows.map((row) => ({
      run: row.import_run_id,
      day: row.charge_day,
      billed: storedDecimal(row, 'billed'),
      effective: storedDecimal(row, 'effective'),
      list: row.list_nanos === null ? null : storedDecimal(row, 'list'),
    })),
  ).toEqual(
    lines.map((line) => ({
      run: line.run,
      day: line.day,
      billed: decimalSum([line.billed]),
      effective: decimalSum([line.effective]),
      list: line.list === null ? null : decimalSum([line.list]),
    })),
  );
}

function expectSound(sqlite: Sqlite): void {
  expect(sqlite.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  expect(sqlite.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
}

function workspaceFile(): string {
  return path.join(tempDir(), 'valdrix.sqlite');
}

const AMOUNT_COLUMNS = ['billed', 'effective'].flatMap((m) => ['nanos', 'atto', 'ronto'].map((p) => `${m}_${p}`));
const DAILY_KEY_0011 = [
  'import_run_id',
  'source_id',
  'billing_account_id',
  'billing_period',
  'day',
  'provider',
  'sub_account_id',
  'service_name',
  'service_category',
  'region',
  'charge_category',
  'currency',
];

describe('data migrations', () => {
  it('0008 moves the whole units out of every amount, floored, keeping every row and every digit', () => {
    const file = workspaceFile();
    // An amount at each end of the nano column's range, alone in its scope so no sum overflows.
    const extremes = ['9223372036.854775807', '-9223372036.854775808'].map((amount, i) => ({
      ...seedLines()[0]!,
      account: `extreme-${i}`,
      billed: amount,
      effective: amount,
      list: amount,
    }));
    const lines = [...seedLines(), ...extremes];
    const old = open(file, '0007_restatement_evidence');
    seedWorkspace(old.sqlite, lines, nanoParts);
    const tables = ['cost_line', 'cost_rollup_daily', 'cost_rollup_monthly', 'cost_snapshot'];
    // The sub-nano parts never move: kept per row (rowid order) to compare after.
    const subNanos = (sqlite: Sqlite, table: string) =>
      sqlite
        .prepare(`SELECT ${AMOUNT_COLUMNS.filter((c) => !c.endsWith('nanos')).join(', ')} FROM ${table} ORDER BY rowid`)
        .all();
    const before = Object.fromEntries(tables.map((table) => [table, subNanos(old.sqlite, table)]));
    close(old);

    const { sqlite } = open(file, '0008_whole_units');
    // A line's parts are its decimal's: whole units floored, so a negative fraction of a unit is −1 unit
    // plus a fraction in 0–999,999,999; a missing list amount stays missing, units included.
    const parts = (prefix: string) => ['units', 'nanos', 'atto', 'ronto'].map((p) => `${prefix}_${p}`).join(', ');
    expect(
      sqlite
        .prepare(`SELECT ${parts('billed')}, ${parts('effective')}, ${parts('list')} FROM cost_line ORDER BY id`)
        .all(),
    ).toEqual(
      lines.map((line) => ({
        ...amountColumns('billed', unitParts(line.billed)),
        ...amountColumns('effective', unitParts(line.effective)),
        ...(line.list === null
          ? { list_units: null, list_nanos: null, list_atto: null, list_ronto: null }
          : amountColumns('list', unitParts(line.list))),
      })),
    );
    expectLines(sqlite, lines);
    // Rollups and snapshots hold sums, whose nanos could pass a unit many times over: each is now
    // whole units and a fraction under one unit, and still its lines' exact total.
    expectCellTotals(sqlite, 'cost_rollup_daily', cellsOf(lines, dailyCell));
    expectCellTotals(sqlite, 'cost_rollup_monthly', cellsOf(lines, monthlyCell));
    expectCellTotals(sqlite, 'cost_snapshot', cellsOf(currentLines(lines), snapshotOf));
    for (const table of tables) {
      expect(subNanos(sqlite, table), table).toEqual(before[table]);
      for (const prefix of ['billed', 'effective']) {
        const outside = sqlite
          .prepare(`SELECT COUNT(*) FROM ${table} WHERE ${prefix}_nanos NOT BETWEEN 0 AND 999999999`)
          .pluck()
          .get();
        expect(outside, `${table}.${prefix}_nanos`).toBe(0n);
      }
    }
    expectSound(sqlite);
  });

  it('0009 fills the monthly cube with the current snapshots only, each cell its lines’ exact total', () => {
    const file = workspaceFile();
    const lines = seedLines();
    // The cube must leave out superseded and failed runs' rollups: the seed has both.
    expect(lines.filter((line) => !currentLines(lines).includes(line)).map((line) => line.run)).toEqual(
      expect.arrayContaining([RUN_1, FAILED]),
    );
    const old = open(file, '0008_whole_units');
    // Monthly cells in two rows each where they can be (import batches): the cube sums rows.
    seedWorkspace(old.sqlite, lines, unitParts, 2);
    close(old);

    const { sqlite } = open(file, '0009_monthly_cube');
    expectCellTotals(sqlite, 'cost_cube_monthly', cellsOf(currentLines(lines), cubeCell));
    expect(indexColumns(sqlite, 'cost_cube_monthly_key_idx')).toEqual(Object.keys(cubeCell(lines[0]!)));
    const unique = sqlite.prepare('PRAGMA index_list(cost_cube_monthly)').all() as { name: string; unique: bigint }[];
    expect(unique).toEqual([expect.objectContaining({ name: 'cost_cube_monthly_key_idx', unique: 1n })]);
    expectSound(sqlite);
  });

  it('0011 merges the daily rollup rows of one cell into one, keyed by snapshot, summing every batch', () => {
    const file = workspaceFile();
    const lines = seedLines();
    const old = open(file, '0010_cube_by_service');
    seedWorkspace(old.sqlite, lines, unitParts, 2);
    // The seed must hold what the migration merges: cells in several rows, some of them identical.
    const count = (sql: string) => old.sqlite.prepare(sql).pluck().get() as bigint;
    expect(count('SELECT COUNT(*) FROM cost_rollup_daily')).toBeGreaterThan(cellsOf(lines, dailyCell).length);
    expect(count('SELECT COUNT(*) FROM (SELECT DISTINCT * FROM cost_rollup_daily)')).toBeLessThan(
      count('SELECT COUNT(*) FROM cost_rollup_daily'),
    );
    close(old);

    const { sqlite } = open(file, '0011_rollup_keyed_by_snapshot');
    // Every run's rows, superseded and failed ones too: cleaning them up is not this migration's job.
    expectCellTotals(sqlite, 'cost_rollup_daily', cellsOf(lines, dailyCell));
    expectLines(sqlite, lines);
    expect(primaryKeyColumns(sqlite, 'cost_rollup_daily')).toEqual(DAILY_KEY_0011);
    expect(tableSql(sqlite, 'cost_rollup_daily')).toMatch(/WITHOUT ROWID\s*$/);
    expect(indexesOf(sqlite, 'cost_rollup_daily')).toEqual(['sqlite_autoindex_cost_rollup_daily_1']);
    expect(indexColumns(sqlite, 'cost_line_scope_idx')).toEqual([
      'source_id',
      'billing_account_id',
      'billing_period',
      'import_run_id',
    ]);
    expect(indexesOf(sqlite, 'cost_line')).toEqual(['cost_line_scope_idx']);
    expectSound(sqlite);
  });

  it('0013 rekeys the daily rollup by run, period and day, keeping every row and column as it was', () => {
    const file = workspaceFile();
    const lines = seedLines();
    const old = open(file, '0012_alert_entity_index');
    seedWorkspace(old.sqlite, lines, unitParts);
    const before = old.sqlite.prepare('SELECT * FROM cost_rollup_daily').all();
    close(old);

    const { sqlite } = open(file, '0013_rollup_append_order');
    expect(sorted(sqlite.prepare('SELECT * FROM cost_rollup_daily').all())).toEqual(sorted(before));
    expectCellTotals(sqlite, 'cost_rollup_daily', cellsOf(lines, dailyCell));
    expectLines(sqlite, lines);
    expect(primaryKeyColumns(sqlite, 'cost_rollup_daily')).toEqual([
      'import_run_id',
      'source_id',
      'billing_period',
      'day',
      'billing_account_id',
      ...DAILY_KEY_0011.slice(5),
    ]);
    expect(tableSql(sqlite, 'cost_rollup_daily')).toMatch(/WITHOUT ROWID\s*$/);
    expect(indexesOf(sqlite, 'cost_rollup_daily')).toEqual(['sqlite_autoindex_cost_rollup_daily_1']);
    expect(indexColumns(sqlite, 'cost_line_run_period_idx')).toEqual([
      'import_run_id',
      'source_id',
      'billing_period',
      'charge_day',
    ]);
    expect(indexesOf(sqlite, 'cost_line')).toEqual(['cost_line_run_period_idx']);
    expectSound(sqlite);
  });
});

function tableSql(sqlite: Sqlite, table: string): string {
  return sqlite.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table) as string;
}
