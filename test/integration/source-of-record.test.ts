/**
 * One source of record per billing account and period: two sources of the same account and period
 * (a CUR file and a Cost Explorer pull, a FOCUS export and a native one) never add up in any cost view,
 * whether it reads the cube, the monthly or daily rollup, or the lines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { queryLines } from '../../electron/core/costs/lines';
import { importCostFiles } from '../../electron/core/ingest/import';
import { chooseSourceOfRecord, listRecords } from '../../electron/core/ledger';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { soleTotal } from '../support/costs';
import { decimalSum } from '../support/decimal';
import { DEFAULT_ACCOUNT, writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { allCosts, disposeWorkspace, emptyWorkspace, INGEST_AS_OF, request } from '../support/ingest-store';
import { tempDir } from '../support/workspace';

let open: Workspace | null = null;
afterEach(() => {
  if (open) disposeWorkspace(open);
  open = null;
});

const days = ['2024-03-04', '2024-03-05', '2024-03-06'];
/** One source's export of the account's March: its own resources and amounts. */
function exportOf(name: string, amounts: string[], service = 'Compute'): FocusRow[] {
  return amounts.map((billed, i) => ({ billed, day: days[i], resource: `${name}-${i}`, service }));
}

/** Every way a cost view reads: the cube (service × month), the daily rollup (day), the lines. */
function viewsTotal(workspace: Workspace) {
  const sqlite = workspace.store.sqlite;
  const byMonth = allCosts(sqlite, ['service', 'month']).rows;
  const byDay = allCosts(sqlite, ['day']).rows;
  const lines = queryLines(sqlite, { status: 'all', asOf: INGEST_AS_OF, limit: 1000, offset: 0 }).lines;
  return {
    total: soleTotal(allCosts(sqlite)).billed,
    byMonth: decimalSum(byMonth.map((row) => row.billed)),
    byDay: decimalSum(byDay.map((row) => row.billed)),
    lines: decimalSum(lines.map((line) => line.billed)),
  };
}

const same = (value: string) => ({ total: value, byMonth: value, byDay: value, lines: value });

describe('source of record', () => {
  it('counts the first source that published a period, keeps the second as comparison, and moves when chosen', async () => {
    const { workspace, deps } = emptyWorkspace();
    open = workspace;
    const dir = tempDir('valdrix-record-');
    const cur = ['400', '500', '300']; // 1200
    const explorer = ['400', '500', '300.5']; // 1200.5: Cost Explorer's estimate of the same month
    await importCostFiles(deps, request(writeFocusCsv(dir, 'cur.csv', exportOf('cur', cur)).file, { source: 'cur' }));
    const second = await importCostFiles(
      deps,
      request(writeFocusCsv(dir, 'ce.csv', exportOf('ce', explorer)).file, { source: 'cost-explorer' }),
    );
    // Not 2400.5: the second source of the same account and period is never added.
    expect(viewsTotal(workspace)).toEqual(same('1200'));
    expect(second.snapshots).toEqual([
      {
        billingAccountId: DEFAULT_ACCOUNT,
        billingPeriod: '2024-03',
        status: 'new',
        lines: 3,
        sourceOfRecord: 'cur',
      },
    ]);
    expect(listRecords(workspace.store.sqlite)).toMatchObject([
      {
        billingAccountId: DEFAULT_ACCOUNT,
        billingPeriod: '2024-03',
        source: 'cur',
        chosen: 'first',
        holders: [
          { source: 'cur', counted: true, lines: 3 },
          { source: 'cost-explorer', counted: false, lines: 3 },
        ],
      },
    ]);

    const before = workspace.audit.list({ action: 'sources.' }).length;
    const chosen = chooseSourceOfRecord(deps, {
      billingAccountId: DEFAULT_ACCOUNT,
      billingPeriod: '2024-03',
      source: 'cost-explorer',
    });
    expect(chosen).toEqual({ changed: true, before: 'cur', after: 'cost-explorer' });
    expect(viewsTotal(workspace)).toEqual(same('1200.5'));
    const events = workspace.audit.list({ action: 'sources.' });
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({
      action: 'sources.record_changed',
      before: { source: 'cur' },
      after: { source: 'cost-explorer' },
    });
    // Choosing it again changes and records nothing.
    expect(
      chooseSourceOfRecord(deps, {
        billingAccountId: DEFAULT_ACCOUNT,
        billingPeriod: '2024-03',
        source: 'cost-explorer',
      }).changed,
    ).toBe(false);
    expect(workspace.audit.list({ action: 'sources.' })).toHaveLength(before + 1);

    // A restated comparison source stays out of the totals; a restated record is counted as restated.
    await importCostFiles(
      deps,
      request(writeFocusCsv(dir, 'cur-v2.csv', exportOf('cur', ['400', '500', '310'])).file, { source: 'cur' }),
    );
    expect(viewsTotal(workspace)).toEqual(same('1200.5'));
    await importCostFiles(
      deps,
      request(writeFocusCsv(dir, 'ce-v2.csv', exportOf('ce', ['400', '500', '299.5'])).file, {
        source: 'cost-explorer',
      }),
    );
    expect(viewsTotal(workspace)).toEqual(same('1199.5'));
    chooseSourceOfRecord(deps, { billingAccountId: DEFAULT_ACCOUNT, billingPeriod: '2024-03', source: 'cur' });
    expect(viewsTotal(workspace)).toEqual(same('1210'));
  });

  it('refuses a source that does not hold the period, naming it', async () => {
    const { workspace, deps } = emptyWorkspace();
    open = workspace;
    const dir = tempDir('valdrix-record-');
    await importCostFiles(deps, request(writeFocusCsv(dir, 'a.csv', exportOf('a', ['1'])).file, { source: 'a' }));
    expect(() =>
      chooseSourceOfRecord(deps, { billingAccountId: DEFAULT_ACCOUNT, billingPeriod: '2024-04', source: 'a' }),
    ).toThrow(/source "a" holds no data for billing account acct-1 in 2024-04/);
    expect(() =>
      chooseSourceOfRecord(deps, { billingAccountId: DEFAULT_ACCOUNT, billingPeriod: '2024-03', source: 'nope' }),
    ).toThrow(/no source named "nope"/);
  });

  it('other accounts and periods of a second source are its own and count', async () => {
    const { workspace, deps } = emptyWorkspace();
    open = workspace;
    const dir = tempDir('valdrix-record-');
    await importCostFiles(
      deps,
      request(writeFocusCsv(dir, 'a.csv', exportOf('a', ['10', '20'])).file, { source: 'a' }),
    );
    const rows: FocusRow[] = [
      ...exportOf('b', ['11', '21']),
      { billed: '7', day: '2024-03-05', resource: 'b-other', account: 'acct-2' },
      { billed: '5', day: '2024-04-02', resource: 'b-april' },
    ];
    await importCostFiles(deps, request(writeFocusCsv(dir, 'b.csv', rows).file, { source: 'b' }));
    // a's March of acct-1 (30), b's acct-2 March (7) and acct-1 April (5): b's acct-1 March is comparison.
    expect(viewsTotal(workspace)).toEqual(same('42'));
  });
});
