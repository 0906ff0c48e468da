import { afterEach, describe, expect, it } from 'vitest';
import { queryLines } from '../../electron/core/costs/lines';
import { queryCosts } from '../../electron/core/costs/query';
import { latestVisibleDay, visibleDailyRollup } from '../../electron/core/ledger';
import { importCostFiles } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { formatExact, joinExact, parseExact } from '../../shared/exact';
import { decimalSum } from '../support/decimal';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { count, disposeWorkspace, emptyWorkspace, request, visibleLines } from '../support/ingest-store';
import { tempDir } from '../support/workspace';
import { soleTotal } from '../support/costs';

const AS_OF = '2026-11-21';
let open: Workspace | null = null;
afterEach(() => {
  if (open) disposeWorkspace(open);
  open = null;
});

async function imported(rows: FocusRow[]) {
  const { workspace, deps } = emptyWorkspace();
  open = workspace;
  const { file } = writeFocusCsv(tempDir('valdrix-costs-'), 'costs.csv', rows);
  await importCostFiles(deps, request(file));
  return workspace.store.sqlite;
}

describe('cost questions', () => {
  it('totals count every matching row even when the rows stop at the limit', async () => {
    const rows: FocusRow[] = Array.from({ length: 12 }, (_, i) => ({
      billed: `${i + 1}.000000000000000000007`,
      service: `Service ${String(i).padStart(2, '0')}`,
      resource: `r-${i}`,
    }));
    const sqlite = await imported(rows);
    const answer = queryCosts(sqlite, { by: ['service'], status: 'all', asOf: AS_OF, limit: 5 });
    expect(answer.truncated).toBe(true);
    expect(answer.rows).toHaveLength(5);
    expect(soleTotal(answer).billed).toBe(decimalSum(rows.map((r) => r.billed)));
    expect(answer.totals).toEqual([
      { currency: 'USD', billed: soleTotal(answer).billed, effective: soleTotal(answer).billed },
    ]);
  });

  it('a range that cuts months is answered from whole months plus the partial ends, exactly', async () => {
    const days = ['2024-01-14', '2024-01-15', '2024-01-31', '2024-02-10', '2024-03-10', '2024-03-11'];
    const rows: FocusRow[] = days.flatMap((day, i) => [
      { billed: `${i + 1}.000000000000000000001`, day, service: 'Compute', resource: `c-${i}` },
      { billed: `0.${i + 1}`, day, service: 'Storage', resource: `s-${i}` },
    ]);
    const sqlite = await imported(rows);
    const from = '2024-01-15';
    const to = '2024-03-10';
    const mixed = queryCosts(sqlite, { from, to, by: ['service', 'month'], status: 'all', asOf: AS_OF });
    expect(mixed.grain).toBe('mixed');
    // The same question at day grain, and an independent sum of the rows in range.
    const daily = queryCosts(sqlite, { from, to, by: ['service', 'month', 'day'], status: 'all', asOf: AS_OF });
    expect(daily.grain).toBe('daily');
    const inRange = rows.filter((r) => r.day! >= from && r.day! <= to);
    expect(soleTotal(mixed).billed).toBe(decimalSum(inRange.map((r) => r.billed)));
    expect(soleTotal(daily).billed).toBe(soleTotal(mixed).billed);
    expect(mixed.rows.map((r) => [r.service, r.month, r.billed])).toEqual([
      ['Compute', '2024-01', decimalSum(['2.000000000000000000001', '3.000000000000000000001'])],
      ['Compute', '2024-02', '4.000000000000000000001'],
      ['Compute', '2024-03', '5.000000000000000000001'],
      ['Storage', '2024-01', '0.5'],
      ['Storage', '2024-02', '0.4'],
      ['Storage', '2024-03', '0.5'],
    ]);
    // Whole months alone read only the monthly rollup; a range inside one month only the daily one.
    expect(
      queryCosts(sqlite, { from: '2024-02-01', to: '2024-02-29', by: ['service'], status: 'all', asOf: AS_OF }).grain,
    ).toBe('monthly');
    expect(
      queryCosts(sqlite, { from: '2024-01-15', to: '2024-01-20', by: ['service'], status: 'all', asOf: AS_OF }).grain,
    ).toBe('daily');
  });

  // A partial month is read as the whole month less the days the range leaves out when those are fewer:
  // a group that only has lines on the days left out must vanish, and one that sums to zero in range stay.
  it('every range, however it cuts months, equals the independent sum of the rows in range', async () => {
    const rows: FocusRow[] = [];
    let n = 0;
    for (const day of [
      '2024-01-01',
      '2024-01-02',
      '2024-01-14',
      '2024-01-30',
      '2024-01-31',
      '2024-02-15',
      '2024-03-01',
    ]) {
      for (const service of ['Compute', 'Storage']) {
        n++;
        rows.push({ billed: `${n % 3 ? '' : '-'}${n}.0000000000000000000${n % 10}`, day, service, resource: `r-${n}` });
      }
    }
    rows.push({ billed: '4.5', day: '2024-01-02', service: 'Early only', resource: 'e' });
    rows.push({ billed: '6.25', day: '2024-01-31', service: 'Late only', resource: 'l' });
    rows.push({ billed: '2.5', day: '2024-01-14', service: 'Zero', resource: 'z1' });
    rows.push({ billed: '-2.5', day: '2024-01-14', service: 'Zero', resource: 'z2' });
    const sqlite = await imported(rows);
    const ranges: [string, string][] = [
      ['2024-01-02', '2024-01-31'],
      ['2024-01-03', '2024-03-01'],
      ['2024-01-02', '2024-02-29'],
      ['2024-01-14', '2024-03-31'],
      ['2024-01-01', '2024-01-30'],
      ['2024-01-31', '2024-03-01'],
      ['2024-01-15', '2024-03-01'],
    ];
    for (const [from, to] of ranges) {
      const answer = queryCosts(sqlite, { from, to, by: ['service', 'month'], status: 'all', asOf: AS_OF });
      const expected = new Map<string, string[]>();
      for (const row of rows.filter((r) => r.day! >= from && r.day! <= to)) {
        const key = `${row.service}|${row.day!.slice(0, 7)}`;
        expected.set(key, [...(expected.get(key) ?? []), row.billed]);
      }
      expect(
        answer.rows.map((r) => [`${r.service}|${r.month}`, r.billed]),
        `${from} … ${to}`,
      ).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, amounts]) => [key, decimalSum(amounts)]));
      expect(soleTotal(answer).billed, `${from} … ${to}`).toBe(
        decimalSum(rows.filter((r) => r.day! >= from && r.day! <= to).map((r) => r.billed)),
      );
    }
  });

  it('the current-snapshot cube stays equal to the visible rollups through replacements', async () => {
    const { workspace, deps } = emptyWorkspace();
    open = workspace;
    const sqlite = workspace.store.sqlite;
    const dir = tempDir('valdrix-cube-');
    const imports: FocusRow[][] = [
      [
        { billed: '10.5', resource: 'a', service: 'Compute', day: '2024-05-02' },
        { billed: '3', resource: 'b', service: 'Storage', day: '2024-05-03', account: 'acct-2' },
        { billed: '7', resource: 'c', service: 'Compute', day: '2024-06-01' },
      ],
      // Restates May of acct-1 (changes a, drops nothing else) and adds a new service.
      [
        { billed: '11.000000000000000000009', resource: 'a', service: 'Compute', day: '2024-05-02' },
        { billed: '0.25', resource: 'd', service: 'Network', day: '2024-05-09' },
      ],
      // Restates May of acct-1 again without Network: that cube cell must disappear.
      [{ billed: '12', resource: 'a', service: 'Compute', day: '2024-05-02' }],
    ];
    const cube = () =>
      sqlite
        .prepare(
          `SELECT month, service_name AS service, billed_units AS u, billed_nanos AS n, billed_atto AS a, billed_ronto AS r,
             line_count AS lines FROM cost_cube_monthly ORDER BY month, service_name`,
        )
        .all()
        .map((row) => {
          const c = row as Record<string, bigint | string>;
          return [
            c.month,
            c.service,
            formatExact(joinExact(c.u as bigint, c.n as bigint, c.a as bigint, c.r as bigint)),
            Number(c.lines),
          ];
        });
    for (const [i, rows] of imports.entries()) {
      const { file } = writeFocusCsv(dir, `v${i}.csv`, rows);
      // Replacements that remove lines are confirmed: the guard (replace-guard.ts) is not the subject here.
      await importCostFiles(deps, request(file, { confirmReplace: true }));
      const byDay = queryCosts(sqlite, { by: ['month', 'service', 'day'], status: 'all', asOf: AS_OF });
      const expected = new Map<string, bigint>();
      for (const row of byDay.rows) {
        const key = `${row.month}|${row.service}`;
        expected.set(key, (expected.get(key) ?? 0n) + parseExact(row.billed!));
      }
      expect(cube().map(([month, service, billed]) => [`${month}|${service}`, billed])).toEqual(
        [...expected.entries()].map(([key, billed]) => [key, formatExact(billed)]),
      );
    }
    expect(cube()).toEqual([
      ['2024-05', 'Compute', '12', 1],
      ['2024-05', 'Storage', '3', 1],
      ['2024-06', 'Compute', '7', 1],
    ]);
    const answer = queryCosts(sqlite, { by: ['service', 'month'], status: 'all', asOf: AS_OF });
    expect(answer.grain).toBe('monthly');
    expect(soleTotal(answer).billed).toBe('22');
  });

  // Lines and the daily rollup are read by run period (schema.ts); a run period where a later import
  // replaced some accounts must still count only the current ones, at every grain. The replaced rows
  // linger as restatement evidence (lines) or until collected (rollup rows and their scope record: put
  // back here, as a process stopped right after publishing would leave them).
  it('a run period that is current for some accounts only counts exactly those, at every grain', async () => {
    const { workspace, deps } = emptyWorkspace();
    open = workspace;
    const sqlite = workspace.store.sqlite;
    const dir = tempDir('valdrix-partial-');
    const first: FocusRow[] = ['acct-1', 'acct-2', 'acct-3'].flatMap((account, a) =>
      ['2024-05-02', '2024-05-20'].map((day, d) => ({
        billed: `${a + 1}${d}.000000000000000000003`,
        account,
        day,
        service: 'Compute',
        resource: `r-${account}-${d}`,
        tags: { team: a === 1 ? 'data' : 'web' },
      })),
    );
    await importCostFiles(deps, request(writeFocusCsv(dir, 'may.csv', first).file));
    const firstRun = (sqlite.prepare('SELECT import_run_id AS id FROM cost_snapshot LIMIT 1').get() as { id: string })
      .id;
    const replacedRollup = sqlite
      .prepare(
        `SELECT * FROM cost_rollup_daily
         WHERE run_seq = (SELECT seq FROM import_run WHERE id = ?) AND billing_account_id = 'acct-2'`,
      )
      .all(firstRun) as Record<string, unknown>[];
    expect(replacedRollup).toHaveLength(2);
    const restated: FocusRow[] = [
      {
        billed: '0.5',
        account: 'acct-2',
        day: '2024-05-02',
        service: 'Compute',
        resource: 'r-acct-2-0',
        tags: { team: 'web' },
      },
    ];
    await importCostFiles(deps, request(writeFocusCsv(dir, 'may-acct-2.csv', restated).file, { confirmReplace: true }));
    const columns = Object.keys(replacedRollup[0]!);
    const putBack = sqlite.prepare(
      `INSERT INTO cost_rollup_daily (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    for (const row of replacedRollup) putBack.run(row);
    sqlite
      .prepare(
        `INSERT INTO import_run_scope (import_run_id, source_id, billing_account_id, billing_period)
         SELECT run.id, run.source_id, r.billing_account_id, r.billing_period
         FROM cost_rollup_daily r JOIN import_run run ON run.seq = r.run_seq WHERE run.id = ?
         GROUP BY 1, 2, 3, 4 ON CONFLICT DO NOTHING`,
      )
      .run(firstRun);
    // The replaced account's old lines are still stored (restatement evidence), its old rollup rows too.
    expect(
      count(
        sqlite,
        'SELECT COUNT(*) AS n FROM cost_line WHERE run_seq = (SELECT seq FROM import_run WHERE id = ?)',
        firstRun,
      ),
    ).toBe(6);

    const current = [...first.filter((row) => row.account !== 'acct-2'), ...restated];
    expect(
      visibleLines(sqlite)
        .map((line) => line.billed)
        .sort(),
    ).toEqual(current.map((row) => row.billed).sort());
    const sumOf = (rows: FocusRow[]) => decimalSum(rows.map((row) => row.billed));
    const byTag = queryCosts(sqlite, { by: ['tag:team'], status: 'all', asOf: AS_OF });
    expect(byTag.grain).toBe('line');
    // acct-2's old lines were the only "data" ones.
    expect(current.every((row) => row.tags!.team === 'web')).toBe(true);
    expect(byTag.rows.map((row) => [row['tag:team'], row.billed])).toEqual([['web', sumOf(current)]]);
    const byDay = queryCosts(sqlite, { by: ['billing_account', 'day'], status: 'all', asOf: AS_OF });
    expect(byDay.grain).toBe('daily');
    expect(byDay.rows.map((row) => [row.billing_account, row.day, row.billed])).toEqual(
      current
        .map((row) => [row.account, row.day, formatExact(parseExact(row.billed))])
        .sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`)),
    );
    expect(soleTotal(byDay).billed).toBe(sumOf(current));
  });

  it('the latest visible day skips replaced accounts whose old rollup rows are still stored', async () => {
    const { workspace, deps } = emptyWorkspace();
    open = workspace;
    const sqlite = workspace.store.sqlite;
    const dir = tempDir('valdrix-latest-');
    const may: FocusRow[] = [
      { billed: '1', account: 'acct-1', day: '2024-05-02', resource: 'a' },
      { billed: '2', account: 'acct-2', day: '2024-05-28', resource: 'b' },
    ];
    await importCostFiles(deps, request(writeFocusCsv(dir, 'may.csv', may).file));
    expect(latestVisibleDay(sqlite)).toBe('2024-05-28');
    const firstSeq = (sqlite.prepare('SELECT MIN(seq) AS seq FROM import_run').get() as { seq: bigint }).seq;
    const replaced = sqlite
      .prepare(`SELECT * FROM cost_rollup_daily WHERE run_seq = ? AND billing_account_id = 'acct-2'`)
      .all(firstSeq) as Record<string, unknown>[];
    // acct-2 restated: its May now ends on the 3rd.
    await importCostFiles(
      deps,
      request(
        writeFocusCsv(dir, 'may-2.csv', [{ billed: '3', account: 'acct-2', day: '2024-05-03', resource: 'b' }]).file,
        { confirmReplace: true },
      ),
    );
    // The replaced rollup rows and their scope record kept (as collection may not have run yet).
    const columns = Object.keys(replaced[0]!);
    for (const row of replaced) {
      sqlite
        .prepare(
          `INSERT INTO cost_rollup_daily (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
        )
        .run(row);
    }
    sqlite
      .prepare(
        `INSERT OR IGNORE INTO import_run_scope (import_run_id, source_id, billing_account_id, billing_period)
         SELECT id, source_id, 'acct-2', '2024-05' FROM import_run WHERE seq = ?`,
      )
      .run(firstSeq);
    const everyRow = sqlite.prepare(`SELECT MAX(r.day) AS day FROM ${visibleDailyRollup('r', 'g')}`).get() as {
      day: string;
    };
    expect(everyRow.day).toBe('2024-05-03');
    expect(latestVisibleDay(sqlite)).toBe('2024-05-03');
  });

  it('a drill-down lists exactly the lines behind a cell: same finality and currency', async () => {
    const rows: FocusRow[] = [
      // Final: the day is long past and its billing period closed.
      { billed: '1.5', day: '2026-09-10', resource: 'old', account: 'a-usd' },
      // Preliminary: the open month.
      { billed: '2.25', day: '2026-11-20', resource: 'new', account: 'a-usd' },
      { billed: '700', day: '2026-11-20', resource: 'yen', account: 'a-jpy', currency: 'JPY' },
    ];
    const sqlite = await imported(rows);
    const preliminaryUsd = queryLines(sqlite, {
      status: 'preliminary',
      currency: 'USD',
      asOf: AS_OF,
      limit: 50,
      offset: 0,
    });
    expect(preliminaryUsd.lines.map((l) => l.resourceId)).toEqual(['new']);
    const final = queryLines(sqlite, { status: 'final', asOf: AS_OF, limit: 50, offset: 0 });
    expect(final.lines.map((l) => l.resourceId)).toEqual(['old']);
    const answer = queryCosts(sqlite, { by: ['resource'], status: 'preliminary', asOf: AS_OF });
    expect(answer.rows.map((r) => [r.resource, r.billed, r.currency])).toEqual([
      ['new', '2.25', 'USD'],
      ['yen', '700', 'JPY'],
    ]);
    expect(answer.totals.map((t) => t.currency)).toEqual(['JPY', 'USD']);
  });
});
