/**
 * Query plans of the hot reads: the statements the real readers run (captured as they prepare them,
 * through the services every host calls) must seek the index built for them, so an index or query
 * change cannot quietly turn a read of a few rows into a read of every line or rollup row. The checks
 * are also run on a store whose index or key was taken away, where the same helpers must see a scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCostFiles } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import {
  captureStatements,
  planOf,
  statementsRunBy,
  tableReads,
  type RanStatement,
  type TableRead,
} from '../support/query-plans';
import { testServices } from '../support/services';
import { tempDir } from '../support/workspace';

type Services = ReturnType<typeof testServices>;

/** The tables a hot read must never read whole. */
const LARGE = ['cost_line', 'cost_rollup_daily'];
const TABLES = [...LARGE, 'cost_rollup_monthly', 'cost_cube_monthly'];

/**
 * Three months, two accounts in two currencies, three services; then (after ANALYZE when `analyze`)
 * one account's February restated, with the statements that import ran.
 */
async function importedWorkspace(analyze = false): Promise<{ workspace: Workspace; restating: RanStatement[] }> {
  const { workspace, deps } = emptyWorkspace();
  const rows: FocusRow[] = [];
  for (const month of ['2024-01', '2024-02', '2024-03'])
    for (let day = 1; day <= 28; day++)
      for (const service of ['Amazon EC2', 'Amazon S3', 'AWS Lambda'])
        for (const [account, currency] of [
          ['acct-us', 'USD'],
          ['acct-eu', 'EUR'],
        ] as const)
          rows.push({
            billed: `${day}.${String(day * 7919).padStart(9, '0')}`,
            day: `${month}-${String(day).padStart(2, '0')}`,
            service,
            account,
            currency,
            resource: `${service}-${account}-${day % 4}`,
            hour: day % 3,
            tags: { team: day % 2 ? 'platform' : 'data' },
          });
  const dir = tempDir('valdrix-plans-');
  await importCostFiles(deps, request(writeFocusCsv(dir, 'first.csv', rows).file));
  const restated = rows
    .filter((row) => row.account === 'acct-us' && row.day!.startsWith('2024-02'))
    .map((row, i) => ({ ...row, billed: i % 5 ? row.billed : '0.5' }));
  // The maintenance job's PRAGMA optimize may run ANALYZE: statistics must not turn a seek into a scan.
  if (analyze) workspace.store.sqlite.exec('ANALYZE');
  const capture = captureStatements(workspace.store.sqlite);
  try {
    await importCostFiles(deps, request(writeFocusCsv(dir, 'restated.csv', restated).file));
  } finally {
    capture.stop();
  }
  return { workspace, restating: capture.ran };
}

/** How every statement `read` runs reads the cost tables. */
function readsOf(workspace: Workspace, read: () => unknown): TableRead[] {
  return readsIn(workspace, statementsRunBy(workspace.store.sqlite, read));
}

function readsIn(workspace: Workspace, statements: readonly RanStatement[]): TableRead[] {
  return statements.flatMap((statement) => tableReads(workspace.store.sqlite, statement, TABLES));
}

/** Reads of the large tables that read them whole: what every hot read must have none of. */
function scans(reads: readonly TableRead[]): string[] {
  return reads.filter((r) => LARGE.includes(r.table) && r.how === 'scan').map((r) => `${r.table}: ${r.detail}`);
}

// A seek on the line index by run and period, then over the days asked (VISIBLE_LINES in rollup.ts).
const LINES_BY_RUN_PERIOD_DAYS = {
  table: 'cost_line',
  how: 'search',
  index: 'cost_line_run_period_idx',
  keys: expect.stringMatching(/^run_seq=\? AND billing_period=\? AND charge_day[<>=]/),
};
// The daily rollup's own key, by run and period, then the days asked (VISIBLE_DAILY_ROLLUP).
const DAILY_BY_RUN_PERIOD_DAYS = {
  table: 'cost_rollup_daily',
  how: 'search',
  index: 'PRIMARY KEY',
  keys: expect.stringMatching(/^run_seq=\? AND billing_period=\? AND day[<>=]/),
};

interface HotRead {
  name: string;
  read: (services: Services) => unknown;
  /** Reads its plan must contain (each one at least once). */
  seeks: Record<string, unknown>[];
}

const HOT_READS: HotRead[] = [
  {
    name: 'visible lines of a run period (cost by resource over some days)',
    read: (s) => s.costs.query({ by: ['resource'], from: '2024-02-03', to: '2024-02-20' }),
    seeks: [LINES_BY_RUN_PERIOD_DAYS],
  },
  {
    name: 'visible lines of a run period (cost by tag, final days only)',
    read: (s) => s.costs.query({ by: ['tag:team'], from: '2024-01-10', to: '2024-03-05', status: 'final' }),
    seeks: [LINES_BY_RUN_PERIOD_DAYS],
  },
  {
    name: 'the drill-down into a service × month cell',
    read: (s) =>
      s.costs.lines({
        from: '2024-01-01',
        to: '2024-03-31',
        filters: { service: ['Amazon S3'], month: ['2024-02'] },
        limit: 100,
      }),
    seeks: [LINES_BY_RUN_PERIOD_DAYS],
  },
  {
    name: 'the drill-down into a day cell',
    read: (s) => s.costs.lines({ filters: { service: ['AWS Lambda'], day: ['2024-03-07'] }, limit: 100 }),
    seeks: [
      {
        ...LINES_BY_RUN_PERIOD_DAYS,
        keys: 'run_seq=? AND billing_period=? AND charge_day=?',
      },
    ],
  },
  {
    name: 'the drill-down into given lines (a restatement’s)',
    read: (s) => s.costs.lines({ ids: [1, 2, 3, 500], limit: 100 }),
    seeks: [{ table: 'cost_line', how: 'search', index: 'PRIMARY KEY', keys: 'rowid=?' }],
  },
  {
    name: 'the daily range read (cost by service and day)',
    read: (s) => s.costs.query({ by: ['service', 'day'], from: '2024-02-10', to: '2024-03-09' }),
    seeks: [DAILY_BY_RUN_PERIOD_DAYS],
  },
  {
    name: 'the daily range read (preliminary days by account)',
    read: (s) =>
      s.costs.query({ by: ['billing_account'], from: '2024-03-01', to: '2024-03-28', status: 'preliminary' }),
    seeks: [DAILY_BY_RUN_PERIOD_DAYS],
  },
  {
    name: 'the Overview (month to date, daily series, top services, freshness)',
    read: (s) => s.overview.get({ groupBy: 'service' }),
    seeks: [DAILY_BY_RUN_PERIOD_DAYS, { table: 'cost_rollup_daily', how: 'search', index: 'PRIMARY KEY' }],
  },
  {
    name: 'the cube read cut at both ends (service × month, partial months from the daily rollup)',
    read: (s) => s.costs.query({ by: ['service', 'month'], from: '2024-01-15', to: '2024-03-20' }),
    seeks: [DAILY_BY_RUN_PERIOD_DAYS],
  },
];

describe.each([
  ['as imported', false],
  ['with statistics (ANALYZE)', true],
])('query plans of the hot reads, %s', (_, analyze) => {
  let workspace: Workspace;
  let restating: RanStatement[];
  let services: Services;
  beforeAll(async () => {
    ({ workspace, restating } = await importedWorkspace(analyze));
    services = testServices(workspace);
  });
  afterAll(() => disposeWorkspace(workspace));

  it.each(HOT_READS)('$name seeks its index', ({ read, seeks }) => {
    const reads = readsOf(workspace, () => read(services));
    expect(scans(reads)).toEqual([]);
    for (const seek of seeks) expect(reads).toContainEqual(expect.objectContaining(seek));
  });

  it('an import that restates a period reads the lines and rollup of run periods by their keys', () => {
    const reads = readsIn(workspace, restating);
    expect(scans(reads)).toEqual([]);
    // The restatement diff and the clean-up of the superseded run: each run period is one range.
    expect(reads).toContainEqual(
      expect.objectContaining({ ...LINES_BY_RUN_PERIOD_DAYS, keys: 'run_seq=? AND billing_period=?' }),
    );
    expect(reads).toContainEqual(
      expect.objectContaining({ ...DAILY_BY_RUN_PERIOD_DAYS, keys: 'run_seq=? AND billing_period=?' }),
    );
  });

  it('the cube answers service × month by itself, in its key order, and seeks its key for one service', () => {
    const byServiceMonth = statementsRunBy(workspace.store.sqlite, () =>
      services.costs.query({ by: ['service', 'month'], from: '2024-01-01', to: '2024-03-31' }),
    );
    // One statement on the cube alone: no snapshot join, no rollup, and no sort (the cube is keyed
    // service first, so its rows come in the answer's order; a few thousand rows are read whole by design).
    expect(byServiceMonth).toHaveLength(1);
    const reads = tableReads(workspace.store.sqlite, byServiceMonth[0]!, [...TABLES, 'cost_snapshot']);
    expect(reads.map((r) => r.table)).toEqual(['cost_cube_monthly']);
    expect(planOf(workspace.store.sqlite, byServiceMonth[0]!).filter((step) => /TEMP B-TREE/.test(step))).toEqual([]);

    const oneService = readsOf(workspace, () =>
      services.costs.query({ by: ['service', 'month'], filters: { service: ['Amazon S3'] } }),
    );
    expect(oneService).toEqual([
      expect.objectContaining({
        table: 'cost_cube_monthly',
        how: 'search',
        index: 'PRIMARY KEY',
        keys: 'service_name=?',
      }),
    ]);
  });
});

describe('the plan checks can fail', () => {
  let workspace: Workspace;
  let restating: RanStatement[];
  let services: Services;
  beforeAll(async () => {
    ({ workspace, restating } = await importedWorkspace());
    services = testServices(workspace);
  });
  afterAll(() => disposeWorkspace(workspace));

  /** Rebuilds `table` with the same rows under `create` (no key, or another one), as a schema change might. */
  function rebuild(table: string, create: string): void {
    workspace.store.sqlite.exec(`PRAGMA foreign_keys = OFF;
      CREATE TABLE rebuilt AS SELECT * FROM ${table}; DROP TABLE ${table};
      ${create.replace('$table', table)}; INSERT INTO ${table} SELECT * FROM rebuilt; DROP TABLE rebuilt;
      PRAGMA foreign_keys = ON;`);
  }

  it('without the line index, the same reads are seen scanning cost_line', () => {
    workspace.store.sqlite.exec('DROP INDEX cost_line_run_period_idx');
    for (const hot of HOT_READS.filter((h) => h.seeks.some((seek) => seek.index === 'cost_line_run_period_idx'))) {
      expect(scans(readsOf(workspace, () => hot.read(services))), hot.name).toContainEqual(
        expect.stringMatching(/^cost_line: /),
      );
    }
    expect(scans(readsIn(workspace, restating)), 'the restating import').toContainEqual(
      expect.stringMatching(/^cost_line: /),
    );
  });

  it('without the daily rollup’s key, the same reads are seen scanning cost_rollup_daily', () => {
    rebuild('cost_rollup_daily', 'CREATE TABLE $table AS SELECT * FROM rebuilt WHERE 0');
    for (const hot of HOT_READS.filter((h) => h.seeks.some((seek) => seek.table === 'cost_rollup_daily'))) {
      expect(scans(readsOf(workspace, () => hot.read(services))), hot.name).toContainEqual(
        expect.stringMatching(/^cost_rollup_daily: /),
      );
    }
    expect(scans(readsIn(workspace, restating)), 'the restating import').toContainEqual(
      expect.stringMatching(/^cost_rollup_daily: /),
    );
  });

  it('with the cube keyed month first, service × month needs a sort and one service a scan', () => {
    rebuild(
      'cost_cube_monthly',
      `CREATE TABLE $table (month, provider, service_name, service_category, region, charge_category, currency,
        billed_units, billed_nanos, billed_atto, billed_ronto, effective_units, effective_nanos, effective_atto,
        effective_ronto, line_count,
        PRIMARY KEY (month, service_name, currency, provider, service_category, region, charge_category)) WITHOUT ROWID`,
    );
    const [statement] = statementsRunBy(workspace.store.sqlite, () =>
      services.costs.query({ by: ['service', 'month'], from: '2024-01-01', to: '2024-03-31' }),
    );
    expect(planOf(workspace.store.sqlite, statement!)).toContainEqual(expect.stringMatching(/TEMP B-TREE/));
    const oneService = readsOf(workspace, () =>
      services.costs.query({ by: ['service', 'month'], filters: { service: ['Amazon S3'] } }),
    );
    expect(oneService).toEqual([expect.objectContaining({ table: 'cost_cube_monthly', how: 'scan' })]);
  });
});
