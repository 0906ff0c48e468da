/**
 * Import semantics on FOCUS files the tests write themselves: snapshots replaced whole, idempotent
 * re-imports, line-level restatements, cell alerts, all-or-nothing failures and cancellation, exact
 * totals, the audit trail and CSV lineage. Every expected amount comes from the independent decimal adder.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAlerts } from '../../electron/core/alerts/alerts';
import { buildScopeMonthlyRollup, type SnapshotScope } from '../../electron/core/ledger';
import { importSettings, listImportRuns, listRestatements } from '../../electron/core/ingest/history';
import { importCostFiles, MAX_ALERTS_LISTED, type ImportResult } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { expectAudited } from '../support/audit';
import { decimalSum } from '../support/decimal';
import { FOCUS_COLUMNS, focusCsv, writeFocusCsv, writeLargeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import {
  allCosts,
  count,
  disposeWorkspace,
  emptyWorkspace,
  exactOf,
  request,
  runStatus,
  snapshots,
  visibleLines,
  visibleState,
} from '../support/ingest-store';
import { soleTotal } from '../support/costs';

let open: Workspace[] = [];
afterEach(() => {
  for (const workspace of open) disposeWorkspace(workspace);
  open = [];
});

function setup() {
  const ws = emptyWorkspace();
  open.push(ws.workspace);
  const dir = path.dirname(ws.dir);
  return { ...ws, files: dir, sqlite: ws.workspace.store.sqlite };
}

const sumOf = (rows: readonly FocusRow[], pick: (row: FocusRow) => string = (row) => row.billed) =>
  decimalSum(rows.map(pick));

const lineCount = (sqlite: Workspace['store']['sqlite']) => count(sqlite, 'SELECT COUNT(*) FROM cost_line');

/** Every stored line of one run, visible or not, by id. */
function linesOfRun(sqlite: Workspace['store']['sqlite'], runId: string) {
  return (
    sqlite
      .prepare('SELECT * FROM cost_line WHERE run_seq = (SELECT seq FROM import_run WHERE id = ?) ORDER BY id')
      .all(runId) as Record<string, unknown>[]
  ).map((row) => ({
    id: Number(row.id),
    resourceId: row.resource_id as string | null,
    billed: exactOf(row, 'billed'),
    effective: exactOf(row, 'effective'),
  }));
}

describe('snapshots', () => {
  it('a newer export of the same source, account and period replaces it whole; other periods and accounts stay', async () => {
    const { deps, files, sqlite } = setup();
    const january: FocusRow[] = [
      { day: '2024-01-10', service: 'Amazon EC2', resource: 'i-1', billed: '10.5' },
      { day: '2024-01-11', service: 'Amazon S3', resource: 'b-1', billed: '2.25' },
    ];
    const february: FocusRow[] = [
      { day: '2024-02-03', service: 'Amazon EC2', resource: 'i-1', billed: '7' },
      { day: '2024-02-04', service: 'Amazon EC2', resource: 'i-2', billed: '3.125' },
      { day: '2024-02-05', service: 'Amazon S3', resource: 'b-1', billed: '1' },
    ];
    const otherAccount: FocusRow[] = [{ account: 'acct-2', day: '2024-02-03', resource: 'i-9', billed: '100' }];
    const v1 = writeFocusCsv(files, 'v1.csv', [...january, ...february, ...otherAccount]);
    const first = await importCostFiles(deps, request(v1.file, { source: 'aws-focus' }));
    expect(first.snapshots.map((s) => [s.billingAccountId, s.billingPeriod, s.status, s.lines]).sort()).toEqual([
      ['acct-1', '2024-01', 'new', 2],
      ['acct-1', '2024-02', 'new', 3],
      ['acct-2', '2024-02', 'new', 1],
    ]);
    const before = snapshots(sqlite);

    const februaryV2: FocusRow[] = [
      { day: '2024-02-03', service: 'Amazon EC2', resource: 'i-1', billed: '7.5' },
      { day: '2024-02-05', service: 'Amazon S3', resource: 'b-1', billed: '1' },
    ];
    const v2 = writeFocusCsv(files, 'v2.csv', februaryV2);
    // February loses a line and a day: the replacement guard would hold it, so it is confirmed.
    const second = await importCostFiles(deps, request(v2.file, { source: 'aws-focus', confirmReplace: true }));
    expect(second.snapshots).toEqual([
      { billingAccountId: 'acct-1', billingPeriod: '2024-02', status: 'replaced', lines: 2 },
    ]);

    const after = snapshots(sqlite);
    const scope = (rows: typeof after, account: string, period: string) =>
      rows.find((s) => s.billingAccountId === account && s.billingPeriod === period)!;
    // January and the other account's February are the first run's, untouched.
    expect(scope(after, 'acct-1', '2024-01')).toEqual(scope(before, 'acct-1', '2024-01'));
    expect(scope(after, 'acct-2', '2024-02')).toEqual(scope(before, 'acct-2', '2024-02'));
    expect(scope(after, 'acct-1', '2024-02')).toMatchObject({
      runId: second.runId,
      lineCount: 2,
      billed: sumOf(februaryV2),
    });

    // Readers see the new February only: not the old one, not both.
    const byMonth = allCosts(sqlite, ['billing_account', 'month']).rows.map((r) => [
      r.billing_account,
      r.month,
      r.billed,
    ]);
    expect(byMonth).toEqual([
      ['acct-1', '2024-01', sumOf(january)],
      ['acct-1', '2024-02', sumOf(februaryV2)],
      ['acct-2', '2024-02', sumOf(otherAccount)],
    ]);
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sumOf([...january, ...februaryV2, ...otherAccount]));
    const lines = visibleLines(sqlite);
    expect(
      lines.filter((l) => l.billingPeriod === '2024-02' && l.billingAccountId === 'acct-1').map((l) => l.fileName),
    ).toEqual(['v2.csv', 'v2.csv']);
    expect(lines.filter((l) => l.billingPeriod === '2024-01').map((l) => l.fileName)).toEqual(['v1.csv', 'v1.csv']);
    // The replaced lines are collected, except those a restatement points at (the evidence of what changed):
    // the changed i-1 and the removed i-2, not the unchanged b-1.
    const superseded = sqlite
      .prepare(
        `SELECT l.resource_id AS resource, r.kind FROM cost_line l JOIN cost_restatement r ON r.old_line_id = l.id
         WHERE l.run_seq = (SELECT seq FROM import_run WHERE id = ?) ORDER BY l.resource_id`,
      )
      .all(first.runId);
    expect(superseded).toEqual([
      { resource: 'i-1', kind: 'changed' },
      { resource: 'i-2', kind: 'removed' },
    ]);
    expect(lineCount(sqlite)).toBe(lines.length + superseded.length);

    // Another source's export of the same account and period sits beside it instead of replacing it (its
    // own export: byte-identical files under two sources are refused, see import-duplicate-source.test.ts),
    // as a comparison source: the first source stays the period's source of record, counted once.
    const otherExport = writeFocusCsv(files, 'other-source.csv', [...februaryV2].reverse());
    const third = await importCostFiles(deps, request(otherExport.file, { source: 'second-source' }));
    expect(third.snapshots[0]).toMatchObject({ status: 'new', sourceOfRecord: 'aws-focus' });
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sumOf([...january, ...februaryV2, ...otherAccount]));
  });

  it('re-importing the same file changes nothing, whatever the row order', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const rows: FocusRow[] = Array.from({ length: 40 }, (_, i) => ({
      day: `2024-03-${String((i % 9) + 1).padStart(2, '0')}`,
      hour: i % 24,
      service: ['Amazon EC2', 'Amazon S3', 'AWS Lambda'][i % 3],
      resource: `r-${i}`,
      billed: `${i}.${i * 37}`,
      effective: `${i}.${i * 11}`,
      tags: i % 2 ? { env: 'prod' } : undefined,
    }));
    const { file } = writeFocusCsv(files, 'costs.csv', rows);
    const first = await importCostFiles(deps, request(file));
    expect(first).toMatchObject({ rowsRead: 40, inserted: 40, updated: 0, unchanged: 0, removed: 0, restated: 0 });
    const before = visibleState(sqlite);
    const linesBefore = lineCount(sqlite);
    const auditBefore = workspace.audit.count();

    const again = await importCostFiles(deps, request(file));
    expect(again).toMatchObject({ rowsRead: 40, inserted: 0, updated: 0, unchanged: 40, removed: 0, restated: 0 });
    expect(again.alerts).toEqual([]);
    expect(again.snapshots.every((s) => s.status === 'unchanged')).toBe(true);
    expect(again.totals).toEqual(first.totals);

    const shuffled = writeFocusCsv(files, 'shuffled.csv', [...rows].reverse());
    const third = await importCostFiles(deps, request(shuffled.file));
    expect(third).toMatchObject({ inserted: 0, updated: 0, unchanged: 40, removed: 0, restated: 0 });

    // Same snapshots (still the first run's), same lines, no restatements, no alerts, no stray lines.
    expect(visibleState(sqlite)).toEqual(before);
    expect(before.snapshots.every((s) => s.runId === first.runId)).toBe(true);
    expect(count(sqlite, 'SELECT COUNT(*) FROM cost_restatement')).toBe(0);
    expect(lineCount(sqlite)).toBe(linesBefore);
    expect(runStatus(sqlite, again.runId)).toBe('succeeded');
    // Each import is still one audited event.
    expect(workspace.audit.count()).toBe(auditBefore + 2);
  });
});

describe('identical files', () => {
  const runSummary = (sqlite: Workspace['store']['sqlite'], runId: string) =>
    JSON.parse(
      (sqlite.prepare('SELECT summary FROM import_run WHERE id = ?').get(runId) as { summary: string }).summary,
    ) as { identicalTo?: string; fileHashes: { sha256: string }[] };

  it('records each file’s SHA-256 and answers a byte-identical re-import from the earlier run', async () => {
    const { deps, files, sqlite } = setup();
    const rows: FocusRow[] = [
      { billed: '1.000000000000000000001', resource: 'a' },
      { billed: '2.5', resource: 'b', day: '2024-04-01' },
    ];
    const { file } = writeFocusCsv(files, 'costs.csv', rows);
    const first = await importCostFiles(deps, request(file, { skipBadRows: true }));
    const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(runSummary(sqlite, first.runId).fileHashes.map((f) => f.sha256)).toEqual([sha]);

    const copy = path.join(files, 'renamed.csv');
    fs.copyFileSync(file, copy);
    const again = await importCostFiles(deps, request(copy, { skipBadRows: true }));
    expect(runSummary(sqlite, again.runId).identicalTo).toBe(first.runId);
    expect(again).toMatchObject({ rowsRead: 2, inserted: 0, updated: 0, unchanged: 2, removed: 0, restated: 0 });
    expect(again.files).toEqual([{ ...first.files[0]!, path: copy }]);
    expect(again.totals).toEqual(first.totals);
    expect(again.snapshots.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
    // Different options are a different question: no shortcut.
    const strict = await importCostFiles(deps, request(copy));
    expect(runSummary(sqlite, strict.runId).identicalTo).toBeUndefined();
    expect(strict).toMatchObject({ inserted: 0, unchanged: 2 });
  });

  // Files as large as the scan worker's threshold are hashed on another thread while they import; the
  // hashes still reach the run, and a re-import of the same bytes still takes the shortcut.
  it('hashes large files alongside the import and still recognises them', async () => {
    const { deps, files, sqlite } = setup();
    const { file } = writeFocusCsv(files, 'large.csv', [
      { billed: '3.25', resource: 'a' },
      { billed: '4', resource: 'b' },
    ]);
    const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const phases: string[] = [];
    const onProgress = (progress: { phase: string }) => void phases.push(progress.phase);
    const first = await importCostFiles(deps, request(file), { minWorkerBytes: 0, onProgress });
    expect(phases).not.toContain('hashing');
    expect(runSummary(sqlite, first.runId).fileHashes.map((f) => f.sha256)).toEqual([sha]);

    phases.length = 0;
    const again = await importCostFiles(deps, request(file), { minWorkerBytes: 0, onProgress });
    expect(phases).toContain('hashing');
    expect(runSummary(sqlite, again.runId).identicalTo).toBe(first.runId);
    expect(again).toMatchObject({ inserted: 0, unchanged: 2 });
  });

  it('reads the file again when a snapshot changed since the identical import', async () => {
    const { deps, files, sqlite } = setup();
    const original = writeFocusCsv(files, 'v1.csv', [{ billed: '10', resource: 'a' }]).file;
    const restated = writeFocusCsv(files, 'v2.csv', [{ billed: '12', resource: 'a' }]).file;
    await importCostFiles(deps, request(original));
    await importCostFiles(deps, request(restated));
    const back = await importCostFiles(deps, request(original));
    expect(runSummary(sqlite, back.runId).identicalTo).toBeUndefined();
    expect(back).toMatchObject({ updated: 1, restated: 1 });
    expect(soleTotal(allCosts(sqlite)).billed).toBe('10');
  });
});

describe('restatements', () => {
  it('records changed, added and removed lines with exact old and new amounts and line ids', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const base = { day: '2024-04-02', service: 'Amazon EC2' };
    const v1: FocusRow[] = [
      { ...base, resource: 'i-a', billed: '10.00' },
      { ...base, resource: 'i-b', billed: '20.00' },
      { ...base, resource: 'i-c', billed: '30.000000000000000000001' },
      { ...base, resource: 'i-d', billed: '5', effective: '4.5' },
    ];
    const first = await importCostFiles(deps, request(writeFocusCsv(files, 'v1.csv', v1).file));
    const oldIds = new Map(visibleLines(sqlite).map((l) => [l.resourceId, l.id]));

    const v2: FocusRow[] = [
      { ...base, resource: 'i-a', billed: '10.00' },
      { ...base, resource: 'i-b', billed: '21.5' },
      { ...base, resource: 'i-d', billed: '5', effective: '4.25' },
      { ...base, resource: 'i-e', billed: '1.25', effective: '1.2E-7' },
    ];
    // i-c is removed (a quarter of the lines): confirmed, as the guard would hold it.
    const second = await importCostFiles(
      deps,
      request(writeFocusCsv(files, 'v2.csv', v2).file, { confirmReplace: true }),
    );
    expect(second).toMatchObject({ inserted: 1, updated: 2, removed: 1, unchanged: 1, restated: 4 });
    const newIds = new Map(visibleLines(sqlite).map((l) => [l.resourceId, l.id]));
    expect(visibleLines(sqlite).every((l) => l.runId === second.runId)).toBe(true);

    const restatements = listRestatements(workspace.store, { runId: second.runId });
    const byResource = Object.fromEntries(restatements.map((r) => [r.resourceId, r]));
    expect(Object.keys(byResource).sort()).toEqual(['i-b', 'i-c', 'i-d', 'i-e']);
    const common = {
      runId: second.runId,
      previousRunId: first.runId,
      source: 'focus',
      billingAccountId: 'acct-1',
      billingPeriod: '2024-04',
      chargeDay: '2024-04-02',
      serviceName: 'Amazon EC2',
      chargeCategory: 'Usage',
      currency: 'USD',
    };
    expect(byResource['i-b']).toMatchObject({
      ...common,
      kind: 'changed',
      oldBilled: '20',
      newBilled: '21.5',
      oldEffective: '20',
      newEffective: '21.5',
      oldLineId: oldIds.get('i-b'),
      newLineId: newIds.get('i-b'),
    });
    expect(byResource['i-c']).toMatchObject({
      ...common,
      kind: 'removed',
      oldBilled: '30.000000000000000000001',
      newBilled: null,
      oldEffective: '30.000000000000000000001',
      newEffective: null,
      oldLineId: oldIds.get('i-c'),
      newLineId: null,
    });
    expect(byResource['i-d']).toMatchObject({
      ...common,
      kind: 'changed',
      oldBilled: '5',
      newBilled: '5',
      oldEffective: '4.5',
      newEffective: '4.25',
      oldLineId: oldIds.get('i-d'),
      newLineId: newIds.get('i-d'),
    });
    expect(byResource['i-e']).toMatchObject({
      ...common,
      kind: 'added',
      oldBilled: null,
      newBilled: '1.25',
      oldEffective: null,
      newEffective: '0.00000012',
      oldLineId: null,
      newLineId: newIds.get('i-e'),
    });
    // The old ids are the first run's lines, kept as evidence with their old amounts; the unchanged i-a's
    // superseded line is not kept. The new ids are the second run's.
    const kept = linesOfRun(sqlite, first.runId);
    expect(kept.map((l) => [l.id, l.resourceId, l.billed, l.effective])).toEqual([
      [oldIds.get('i-b'), 'i-b', '20', '20'],
      [oldIds.get('i-c'), 'i-c', '30.000000000000000000001', '30.000000000000000000001'],
      [oldIds.get('i-d'), 'i-d', '5', '4.5'],
    ]);
    expect([...newIds.values()].some((id) => [...oldIds.values()].includes(id))).toBe(false);
    // Only this run restated anything.
    expect(listRestatements(workspace.store)).toHaveLength(4);
    expect(soleTotal(allCosts(sqlite))).toMatchObject({
      billed: sumOf(v2),
      effective: sumOf(v2, (r) => r.effective ?? r.billed),
    });
  });

  it('pairs lines that share an identity: unchanged twins stay unchanged, only the moved one is restated', async () => {
    const { deps, files, workspace } = setup();
    // Three lines with the same identity (same day, service and resource), told apart only by amount.
    const twin = (billed: string): FocusRow => ({
      day: '2024-04-02',
      service: 'Amazon S3',
      resource: 'bucket',
      billed,
    });
    await importCostFiles(deps, request(writeFocusCsv(files, 'v1.csv', [twin('1'), twin('2'), twin('3')]).file));
    const second = await importCostFiles(
      deps,
      request(writeFocusCsv(files, 'v2.csv', [twin('3'), twin('1'), twin('2.5'), twin('4')]).file),
    );
    // Same multiset except 2 → 2.5 and one more line: whichever way the lines pair, two stay unchanged.
    expect(second).toMatchObject({ unchanged: 2, updated: 1, inserted: 1, removed: 0, restated: 2 });
    const kinds = listRestatements(workspace.store, { runId: second.runId }).map((r) => r.kind);
    expect(kinds.sort()).toEqual(['added', 'changed']);
  });

  // Snapshots of one period are compared in one pass over the period (schema.ts): a line that leaves one
  // account and an identical one that appears in another are a removal and an addition, not a match.
  it('compares replaced snapshots of one period account by account, alerts naming each account', async () => {
    const { deps, files, workspace } = setup();
    // One identity for every line (the account is not part of it), told apart by account and amount.
    const line = (account: string, billed: string): FocusRow => ({
      account,
      day: '2024-04-02',
      service: 'Amazon S3',
      resource: 'bucket',
      billed,
    });
    const v1 = [line('acct-1', '1'), line('acct-1', '2'), line('acct-2', '3')];
    const v2 = [line('acct-1', '2'), line('acct-2', '3'), line('acct-2', '1')];
    await importCostFiles(deps, request(writeFocusCsv(files, 'v1.csv', v1).file));
    const second = await importCostFiles(
      deps,
      request(writeFocusCsv(files, 'v2.csv', v2).file, { confirmReplace: true }),
    );
    expect(second).toMatchObject({ unchanged: 2, updated: 0, inserted: 1, removed: 1, restated: 2 });
    const restatements = listRestatements(workspace.store, { runId: second.runId });
    expect(restatements.map((r) => [r.kind, r.billingAccountId, r.oldBilled, r.newBilled]).sort()).toEqual([
      ['added', 'acct-2', null, '1'],
      ['removed', 'acct-1', '1', null],
    ]);
    expect(second.alerts.map((a) => [a.billingAccountId, a.old, a.new])).toEqual([
      ['acct-1', '3', '2'],
      ['acct-2', '3', '4'],
    ]);
  });
});

describe('cell alerts', () => {
  const day = '2024-05-07';
  const cell = (service: string, billed: string): FocusRow => ({ day, service, resource: `res-${service}`, billed });

  it('alert on day × account × service cells that moved by more than 2 % (the default), with percent text', async () => {
    const { deps, files, workspace } = setup();
    const settings = importSettings(workspace.store);
    expect(settings).toEqual({ alertThresholdPct: '2', alertMinAmount: '1.00', replaceGuardPct: '10' });
    const thresholds = { alertThresholdPct: settings.alertThresholdPct, alertMinAmount: settings.alertMinAmount };

    const v1 = [cell('S1', '100'), cell('S2', '100'), cell('S3', '100'), cell('S4', '100'), cell('S6', '50')];
    await importCostFiles(deps, request(writeFocusCsv(files, 'v1.csv', v1).file, thresholds));
    expect(listAlerts(workspace.store, { kind: 'costs.restated' })).toEqual([]);

    const v2 = [
      cell('S1', '101.9'), // +1.9 %: below the threshold
      cell('S2', '102.1'), // +2.1 %
      cell('S3', '98'), // −2 % exactly: not more than 2 %
      cell('S4', '97.9'), // −2.1 %
      cell('S5', '3'), // a new cell
      // S6 is gone: −100 %
    ];
    let result!: ImportResult;
    const events = await expectAudited(
      workspace.audit,
      // One alert for the run, not one per cell.
      [
        { action: 'alert.raised', entityType: 'import_run' },
        { action: 'costs.imported', entityType: 'import_run' },
      ],
      async () => {
        // S6 is removed (a fifth of the lines): confirmed, as the guard would hold it.
        result = await importCostFiles(
          deps,
          request(writeFocusCsv(files, 'v2.csv', v2).file, { ...thresholds, confirmReplace: true }),
        );
      },
    );
    const base = { day, billingAccountId: 'acct-1', currency: 'USD' };
    expect([...result.alerts].sort((a, b) => a.serviceName.localeCompare(b.serviceName))).toEqual([
      { ...base, serviceName: 'S2', old: '100', new: '102.1', percent: '2.1' },
      { ...base, serviceName: 'S4', old: '100', new: '97.9', percent: '-2.1' },
      { ...base, serviceName: 'S5', old: '0', new: '3', percent: null },
      { ...base, serviceName: 'S6', old: '50', new: '0', percent: '-100' },
    ]);
    expect(events.at(-1)!.details).toMatchObject({ alerts: 4 });

    const stored = listAlerts(workspace.store, { kind: 'costs.restated' });
    expect(stored).toHaveLength(1);
    const [alert] = stored;
    expect(alert).toMatchObject({
      severity: 'warning',
      entityType: 'import_run',
      entityId: result.runId,
      title: 'Import into "focus" restated 4 cells past the alert threshold',
      message: `4 day × account × service cells moved; net -$47.00 (gross $57.20). Largest: S6 on ${day} $50.00 → $0.00.`,
    });
    expect(result.alertId).toBe(alert!.id);
    const details = alert!.details as { runId: string; cellCount: number; impact: unknown; topCells: unknown[] };
    expect(details).toMatchObject({
      runId: result.runId,
      cellCount: 4,
      impact: [{ currency: 'USD', net: '-47', gross: '57.2' }],
      route: { screen: 'restatements', runId: result.runId },
    });
    // Largest first; S2 and S4 moved by as much, in cell order.
    expect(details.topCells).toEqual([
      { ...base, serviceName: 'S6', old: '50', new: '0', percent: '-100', change: '-50' },
      { ...base, serviceName: 'S5', old: '0', new: '3', percent: null, change: '3' },
      { ...base, serviceName: 'S2', old: '100', new: '102.1', percent: '2.1', change: '2.1' },
      { ...base, serviceName: 'S4', old: '100', new: '97.9', percent: '-2.1', change: '-2.1' },
    ]);
  });

  it('a minimum amount suppresses small moves, however large in percent', async () => {
    const { deps, files, workspace } = setup();
    const thresholds = { alertThresholdPct: '2', alertMinAmount: '5' };
    const v1 = [cell('T1', '1.00'), cell('T2', '200'), cell('T3', '100')];
    await importCostFiles(deps, request(writeFocusCsv(files, 'v1.csv', v1).file, thresholds));
    const v2 = [
      cell('T1', '1.10'), // +10 % but only 0.10
      cell('T2', '206'), // +3 % and 6
      cell('T3', '104.99'), // +4.99 % and 4.99
    ];
    const result = await importCostFiles(deps, request(writeFocusCsv(files, 'v2.csv', v2).file, thresholds));
    expect(result.alerts.map((a) => [a.serviceName, a.old, a.new, a.percent])).toEqual([['T2', '200', '206', '3']]);
    expect(listAlerts(workspace.store, { kind: 'costs.restated' }).map((a) => a.title)).toEqual([
      'Import into "focus" restated 1 cell past the alert threshold',
    ]);
    // The restatements themselves are recorded whatever the alert thresholds.
    expect(result.restated).toBe(3);
  });
});

describe('all or nothing', () => {
  it('a malformed row mid-file leaves the store exactly as it was and names file:line and column', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const baseline: FocusRow[] = [
      { day: '2024-03-01', resource: 'i-1', billed: '1.5' },
      { day: '2024-03-02', resource: 'i-2', billed: '2.5' },
    ];
    await importCostFiles(deps, request(writeFocusCsv(files, 'base.csv', baseline).file));
    const before = visibleState(sqlite);
    const linesBefore = lineCount(sqlite);
    const auditBefore = workspace.audit.count();

    // A changed March (written in the second pass) and a new April, long enough to be written in batches.
    const april: FocusRow[] = Array.from({ length: 5000 }, (_, i) => ({
      day: `2024-04-${String((i % 28) + 1).padStart(2, '0')}`,
      hour: i % 24,
      resource: `r-${i}`,
      billed: `${i}.25`,
    }));
    april[3000] = { ...april[3000]!, raw: { BilledCost: '12,5 EUR' } };
    const rows = [{ day: '2024-03-01', resource: 'i-1', billed: '9' }, ...april];
    const bad = writeFocusCsv(files, 'bad.csv', rows);
    const badLine = bad.lines[3001]!;
    expect(badLine).toBe(3003);

    let writtenMeanwhile = 0;
    const [event] = await expectAudited(
      workspace.audit,
      [{ action: 'costs.import_failed', entityType: 'import_run' }],
      async () => {
        const failure = await importCostFiles(deps, request(bad.file), {
          batchSize: 500,
          onProgress: () => {
            writtenMeanwhile = Math.max(
              writtenMeanwhile,
              count(
                sqlite,
                `SELECT COUNT(*) FROM cost_line WHERE run_seq IN (SELECT seq FROM import_run WHERE status = 'running')`,
              ),
            );
          },
        }).catch((error: unknown) => error);
        expect(failure).toMatchObject({
          code: 'IMPORT_FORMAT',
          details: { file: bad.file, line: badLine, column: 'BilledCost' },
        });
        expect((failure as Error).message).toContain(`${bad.file}:${badLine} (column "BilledCost")`);
        expect((failure as Error).message).toContain('12,5 EUR');
      },
    );
    // Lines were being written when the bad row came: the all-or-nothing is the publish, not luck.
    expect(writtenMeanwhile).toBeGreaterThan(0);

    expect(visibleState(sqlite)).toEqual(before);
    expect(lineCount(sqlite)).toBe(linesBefore);
    expect(workspace.audit.count()).toBe(auditBefore + 1);
    const runId = event!.entityId!;
    expect(runStatus(sqlite, runId)).toBe('failed');
    expect(
      count(sqlite, 'SELECT COUNT(*) FROM cost_line WHERE run_seq = (SELECT seq FROM import_run WHERE id = ?)', runId),
    ).toBe(0);
    expect(event!.details).toMatchObject({ error: { code: 'IMPORT_FORMAT' } });

    // With skipBadRows the good rows go in and the bad line is named.
    // It replaces the earlier snapshot with rows left out, which the guard holds unless confirmed.
    const skipped = await importCostFiles(deps, request(bad.file, { skipBadRows: true, confirmReplace: true }));
    expect(skipped.skippedCount).toBe(1);
    expect(skipped.skipped).toEqual([
      { file: bad.file, line: badLine, column: 'BilledCost', message: expect.stringContaining('12,5 EUR') as string },
    ]);
    const good = rows.filter((_, i) => i !== 3001);
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sumOf(good));
  });

  it('mixed currencies in one account and period fail at the row that mixes them', async () => {
    const { deps, files, sqlite } = setup();
    const { file, lines } = writeFocusCsv(files, 'mixed.csv', [
      { account: 'acct-1', resource: 'i-1', billed: '1', currency: 'USD' },
      { account: 'acct-2', resource: 'i-2', billed: '2', currency: 'EUR' },
      { account: 'acct-1', resource: 'i-3', billed: '3', currency: 'EUR' },
    ]);
    const failure = (await importCostFiles(deps, request(file)).catch((error: unknown) => error)) as Error;
    expect(failure).toMatchObject({ code: 'IMPORT_FORMAT', details: { file, line: lines[2] } });
    expect(failure.message).toContain(`${file}:${lines[2]}`);
    expect(failure.message).toMatch(/mixed currencies .*acct-1.*USD and EUR/);
    expect(count(sqlite, 'SELECT COUNT(*) FROM cost_snapshot')).toBe(0);

    // Different accounts may bill in different currencies: totals are then per currency.
    const ok = writeFocusCsv(files, 'two-currencies.csv', [
      { account: 'acct-1', resource: 'i-1', billed: '1.5', currency: 'USD' },
      { account: 'acct-2', resource: 'i-2', billed: '2.25', currency: 'EUR' },
      { account: 'acct-1', resource: 'i-3', billed: '3', currency: 'USD' },
    ]);
    const result = await importCostFiles(deps, request(ok.file));
    expect(result.totals).toEqual([
      { currency: 'EUR', billed: '2.25', effective: '2.25' },
      { currency: 'USD', billed: decimalSum(['1.5', '3']), effective: decimalSum(['1.5', '3']) },
    ]);
    expect(allCosts(sqlite).totals.map((c) => [c.currency, c.billed])).toEqual([
      ['EUR', '2.25'],
      ['USD', '4.5'],
    ]);
  });

  it('an unknown format fails with IMPORT_FORMAT before any run or line is recorded', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const file = path.join(files, 'not-billing.csv');
    fs.writeFileSync(file, 'foo,bar\n1,2\n');
    let failure!: Error;
    // Refused before a run exists, but still a user action on the audit trail.
    const [event] = await expectAudited(
      workspace.audit,
      [{ action: 'costs.import_failed', entityType: 'import' }],
      async () => {
        failure = (await importCostFiles(deps, request(file)).catch((error: unknown) => error)) as Error;
      },
    );
    expect(failure).toMatchObject({ code: 'IMPORT_FORMAT', details: { file, line: 1 } });
    expect(failure.message).toMatch(/unknown format/);
    expect(event!.details).toMatchObject({ paths: [file], error: { code: 'IMPORT_FORMAT' } });
    expect(count(sqlite, 'SELECT COUNT(*) FROM import_run')).toBe(0);

    // A FOCUS file forced through another mapper names what that format needs.
    const focus = writeFocusCsv(files, 'focus.csv', [{ billed: '1' }]);
    const forced = (await importCostFiles(deps, request(focus.file, { format: 'cur' })).catch(
      (error: unknown) => error,
    )) as Error;
    expect(forced).toMatchObject({ code: 'IMPORT_FORMAT' });
    expect(forced.message).toMatch(/missing required column "lineItem\/UsageStartDate"/);
  });

  it('cancelling mid-file through the AbortSignal leaves the store unchanged and the run cancelled', async () => {
    const { deps, files, sqlite, workspace } = setup();
    await importCostFiles(deps, request(writeFocusCsv(files, 'base.csv', [{ billed: '42.42' }]).file));
    const before = visibleState(sqlite);
    const linesBefore = lineCount(sqlite);

    const large = await writeLargeFocusCsv(path.join(files, 'large.csv'), 200_000);
    const controller = new AbortController();
    let abortedAt = 0;
    let written = 0;
    const [event] = await expectAudited(
      workspace.audit,
      [{ action: 'costs.import_cancelled', entityType: 'import_run' }],
      async () => {
        await expect(
          importCostFiles(deps, request(large.file), {
            signal: controller.signal,
            batchSize: 1000,
            onProgress: (progress) => {
              if (controller.signal.aborted || progress.phase !== 'reading' || progress.rowsRead < 10_000) return;
              abortedAt = progress.rowsRead;
              written = count(
                sqlite,
                `SELECT COUNT(*) FROM cost_line WHERE run_seq IN (SELECT seq FROM import_run WHERE status = 'running')`,
              );
              controller.abort();
            },
          }),
        ).rejects.toMatchObject({ code: 'CANCELLED' });
      },
    );
    expect(abortedAt).toBeGreaterThan(0);
    expect(abortedAt).toBeLessThan(large.rows);
    expect(written).toBeGreaterThan(0);

    expect(visibleState(sqlite)).toEqual(before);
    expect(lineCount(sqlite)).toBe(linesBefore);
    expect(runStatus(sqlite, event!.entityId!)).toBe('cancelled');
  });
});

describe('exact amounts', () => {
  it('totals of amounts with 20+ decimals and exponent notation equal the independent decimal sum', async () => {
    const { deps, files, sqlite } = setup();
    const amounts = [
      ['0.123456789012345678901234', '0.000000000000000000000001'],
      ['1.2E-7', '1.2e-7'],
      ['-3.5e-3', '-0.0035'],
      ['1234567.000000000000000000001', '1234567'],
      ['7.000000000000000000000000009', '6.999999999999999999999999991'],
      ['1e2', '99.99999999999999999999'],
      ['-0.999999999999999999999999999', '0'],
      ['.5', '0.5E0'],
    ];
    const rows: FocusRow[] = amounts.map(([billed, effective], i) => ({
      resource: `r-${i}`,
      service: i % 2 ? 'Amazon S3' : 'Amazon EC2',
      billed: billed!,
      effective,
    }));
    const { file } = writeFocusCsv(files, 'exact.csv', rows);
    const result = await importCostFiles(deps, request(file));
    const billed = sumOf(rows);
    const effective = sumOf(rows, (r) => r.effective!);
    // A third opinion (Python's decimal module) on the adder itself.
    expect(billed).toBe('1234673.61995690901234567890223401');
    expect(effective).toBe('1234674.496500119999999999990000991');
    expect(result.totals).toEqual([{ billed, effective, currency: 'USD' }]);
    expect(soleTotal(allCosts(sqlite))).toEqual({ billed, effective, currency: 'USD' });
    expect(snapshots(sqlite)[0]).toMatchObject({ billed, effective });
    for (const service of ['Amazon EC2', 'Amazon S3']) {
      const mine = rows.filter((r) => r.service === service);
      expect(allCosts(sqlite, ['service']).rows.find((r) => r.service === service)).toMatchObject({
        billed: sumOf(mine),
        effective: sumOf(mine, (r) => r.effective!),
      });
    }
    // Each stored line keeps its own amount to the last digit.
    expect(visibleLines(sqlite).map((l) => l.billed)).toEqual(rows.map((r) => decimalSum([r.billed])));
  });

  // One nano-unit int64 would overflow past 9,223,372,036.854775807 units (about 600,000 USD a month in IDR):
  // whole units are stored apart from the fraction, so these import and total exactly.
  it('IDR-scale amounts (three lines of 5,000,000,000.5 in one period) import and total exactly', async () => {
    const { deps, files, sqlite } = setup();
    const rows: FocusRow[] = [0, 1, 2].map((i) => ({ resource: `r-${i}`, billed: '5000000000.5', currency: 'IDR' }));
    const result = await importCostFiles(deps, request(writeFocusCsv(files, 'idr.csv', rows).file));
    expect(soleTotal(result).billed).toBe(sumOf(rows));
    expect(soleTotal(allCosts(sqlite))).toEqual({ billed: sumOf(rows), effective: sumOf(rows), currency: 'IDR' });
  });
});

describe('shared cells', () => {
  // Cells every row of a batch shares are written into the insert statement once per batch instead of
  // being bound row by row; they must read back exactly as bound ones: quotes, a NUL, accents, whole
  // units too large for a double.
  it('stores values every row of a batch shares exactly as values bound row by row', async () => {
    const { deps, files, sqlite } = setup();
    const shared = {
      service: `O'Reilly "Books" é`,
      resource: 'r-\u0000-1',
      tags: { team: "it's" },
      description: `${'long '.repeat(60)}end`,
    };
    const rows: FocusRow[] = [
      ...[0, 1, 2, 3].map(() => ({ ...shared, billed: '1152921504606846976.25' })),
      { ...shared, billed: '0.000000000000000000000000001' },
      { ...shared, billed: '-7' },
    ];
    const result = await importCostFiles(deps, request(writeFocusCsv(files, 'shared.csv', rows).file), {
      batchSize: 4,
    });
    expect(result.inserted).toBe(6);
    const lines = visibleLines(sqlite);
    expect(lines.map((line) => line.billed)).toEqual(rows.map((row) => decimalSum([row.billed])));
    for (const line of lines) {
      expect(line).toMatchObject({ serviceName: shared.service, resourceId: shared.resource, tags: shared.tags });
    }
    const descriptions = sqlite.prepare('SELECT DISTINCT charge_description FROM cost_line').pluck().all();
    expect(descriptions).toEqual([shared.description]);
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sumOf(rows));
  });
});

describe('audit', () => {
  it('an import appends one costs.imported event with its counts and totals; a failed one costs.import_failed', async () => {
    const { deps, files, workspace } = setup();
    const rows: FocusRow[] = [
      { resource: 'i-1', billed: '1.25' },
      { resource: 'i-2', billed: '2.5', raw: { ChargePeriodStart: 'yesterday' } },
      { resource: 'i-3', billed: '3' },
    ];
    const { file, lines } = writeFocusCsv(files, 'audited.csv', rows);
    let result!: ImportResult;
    const [event] = await expectAudited(
      workspace.audit,
      [{ action: 'costs.imported', entityType: 'import_run' }],
      async () => {
        result = await importCostFiles(deps, request(file, { skipBadRows: true, source: 'audited' }));
      },
    );
    expect(event).toMatchObject({ entityId: result.runId, runId: result.runId });
    expect(event!.details).toMatchObject({
      source: 'audited',
      rowsRead: result.rowsRead,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      removed: 0,
      restated: 0,
      skipped: 1,
      alerts: 0,
      totals: [{ billed: '4.25', effective: '4.25', currency: 'USD' }],
      snapshots: [{ billingAccountId: 'acct-1', billingPeriod: '2024-03', status: 'new', lines: 2 }],
    });
    expect(result.skipped).toEqual([
      { file, line: lines[1], column: 'ChargePeriodStart', message: expect.stringContaining('yesterday') as string },
    ]);

    await expectAudited(workspace.audit, [{ action: 'costs.import_failed', entityType: 'import_run' }], async () => {
      await expect(importCostFiles(deps, request(file, { source: 'audited' }))).rejects.toMatchObject({
        code: 'IMPORT_FORMAT',
      });
    });
  });
});

describe('history order', () => {
  // Under a frozen clock (VALDRIX_NOW / --as-of) run ids share their time part; they are monotonic so that
  // history ("newest first", ordered by id) stays in order. 8 runs: a false pass is 1 in 40,320.
  it('runs imported under a frozen clock are listed newest first', async () => {
    const { deps, files, workspace } = setup();
    const frozen = { ...deps, now: () => new Date('2026-11-21T12:00:00Z') };
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { file } = writeFocusCsv(files, `v${i}.csv`, [{ resource: 'r-1', billed: String(i + 1) }]);
      ids.push((await importCostFiles(frozen, request(file))).runId);
    }
    expect(listImportRuns(workspace.store).map((run) => run.id)).toEqual([...ids].reverse());
    expect([...new Set(listRestatements(workspace.store).map((r) => r.runId))]).toEqual(ids.slice(1).reverse());
  });
});

describe('lineage', () => {
  it('keeps file name and physical line (header = 1), counting line breaks inside quoted fields', async () => {
    const { deps, files, sqlite } = setup();
    const rows: FocusRow[] = [
      { resource: 'r-1', billed: '1' },
      { resource: 'r-2', billed: '2', description: 'spans\nthree\nlines' },
      { resource: 'r-3', billed: '3', description: 'a "quoted", comma' },
      { resource: 'r-4', billed: '4', description: 'windows\r\nbreak' },
      { resource: 'r-5', billed: '5' },
    ];
    const { text, lines } = focusCsv(rows);
    expect(lines).toEqual([2, 3, 6, 7, 9]);
    const file = path.join(files, 'lineage.csv');
    fs.writeFileSync(file, text);
    await importCostFiles(deps, request(file));
    expect(visibleLines(sqlite).map((l) => [l.resourceId, l.fileName, l.lineNumber])).toEqual(
      rows.map((row, i) => [row.resource, 'lineage.csv', lines[i]]),
    );
    // Cross-check against the file itself: each line number points at the physical line where that row starts.
    const physical = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    for (const line of visibleLines(sqlite)) {
      expect(physical[line.lineNumber - 1]!.split(',')[FOCUS_COLUMNS.indexOf('ResourceId')]).toBe(line.resourceId);
    }
  });

  it('counts blank lines too, and an error names the physical line after them', async () => {
    const { deps, files, sqlite } = setup();
    const { text } = focusCsv([
      { resource: 'r-1', billed: '1' },
      { resource: 'r-2', billed: '2' },
      { resource: 'r-3', billed: 'oops' },
    ]);
    const [header, first, second, third] = text.trimEnd().split('\n');
    const file = path.join(files, 'blank-lines.csv');
    // header = 1, r-1 = 2, blank = 3, r-2 = 4, two blanks, r-3 = 7
    fs.writeFileSync(file, [header, first, '', second, '', '', third, ''].join('\n'));
    const failure = (await importCostFiles(deps, request(file)).catch((error: unknown) => error)) as Error;
    expect(failure).toMatchObject({ code: 'IMPORT_FORMAT', details: { line: 7, column: 'BilledCost' } });
    const skipped = await importCostFiles(deps, request(file, { skipBadRows: true }));
    expect(skipped.skipped.map((s) => s.line)).toEqual([7]);
    expect(visibleLines(sqlite).map((l) => [l.resourceId, l.lineNumber])).toEqual([
      ['r-1', 2],
      ['r-2', 4],
    ]);
  });
});

describe('monthly rollup', () => {
  /** Every monthly rollup cell of a run as exact text, by its dimensions (whatever rows it is split into). */
  function monthlyCells(sqlite: Workspace['store']['sqlite'], runId: string) {
    const rows = sqlite
      .prepare(
        `SELECT month, provider, billing_account_id, billing_period, sub_account_id, service_name, service_category,
           region, charge_category, currency, SUM(line_count) AS lines,
           SUM(billed_units) AS billed_units, SUM(billed_nanos) AS billed_nanos, SUM(billed_atto) AS billed_atto,
           SUM(billed_ronto) AS billed_ronto, SUM(effective_units) AS effective_units,
           SUM(effective_nanos) AS effective_nanos, SUM(effective_atto) AS effective_atto,
           SUM(effective_ronto) AS effective_ronto
         FROM cost_rollup_monthly WHERE import_run_id = ?
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
      )
      .all(runId) as Record<string, unknown>[];
    return rows.map((row) => ({
      cell: [
        row.month,
        row.provider,
        row.billing_account_id,
        row.billing_period,
        row.sub_account_id,
        row.service_name,
        row.service_category,
        row.region,
        row.charge_category,
        row.currency,
      ].join('|'),
      lines: Number(row.lines),
      billed: exactOf(row, 'billed'),
      effective: exactOf(row, 'effective'),
    }));
  }

  // Two files of one source, sharing snapshots and cells, with lines charged in the month after their
  // billing period, several providers, services, charge categories and currencies.
  function twoFiles(files: string) {
    const rows = (file: number): FocusRow[] =>
      Array.from({ length: 60 }, (_, i) => ({
        account: i % 3 === 0 ? 'acct-2' : 'acct-1',
        currency: i % 3 === 0 ? 'EUR' : 'USD',
        day: i % 7 === 0 ? '2024-04-01' : `2024-03-${String(1 + (i % 28)).padStart(2, '0')}`,
        period: '2024-03',
        provider: i % 5 === 0 ? 'Microsoft' : 'AWS',
        service: `Service ${i % 4}`,
        category: i % 11 === 0 ? 'Credit' : 'Usage',
        resource: `r-${file}-${i}`,
        billed: `${i % 2 ? '-' : ''}${i}.${String(i * 7919 + file).padStart(12, '0')}1e-3`,
        effective: `${i}.${file}`,
      }));
    return [writeFocusCsv(files, 'a.csv', rows(1)).file, writeFocusCsv(files, 'b.csv', rows(2)).file];
  }

  it('summed while reading equals the rollup derived from the daily one, across files and in parts', async () => {
    const { deps, files, sqlite } = setup();
    const paths = twoFiles(files);
    const result = await importCostFiles(deps, request(paths));
    const fromScan = monthlyCells(sqlite, result.runId);
    expect(fromScan.reduce((sum, cell) => sum + cell.lines, 0)).toBe(120);
    expect(new Set(fromScan.map((cell) => cell.cell.split('|')[0])).size).toBe(2);

    // The same cells derived from the daily rollup, as before the scan summed them.
    sqlite.prepare('DELETE FROM cost_rollup_monthly WHERE import_run_id = ?').run(result.runId);
    const scopes = sqlite
      .prepare(
        'SELECT source_id AS sourceId, billing_account_id AS billingAccountId, billing_period AS billingPeriod FROM cost_snapshot',
      )
      .all() as SnapshotScope[];
    expect(scopes).toHaveLength(2);
    for (const scope of scopes) buildScopeMonthlyRollup(sqlite, result.runId, scope);
    expect(fromScan).toEqual(monthlyCells(sqlite, result.runId));

    // Handed over every 3 cells, from the scan worker (however small the files), most cells arrive in
    // several rows: the sums are the same.
    const other = setup();
    const parts = await importCostFiles(other.deps, request(twoFiles(other.files)), {
      monthlyFlushCells: 3,
      minWorkerBytes: 0,
    });
    const rows = count(other.sqlite, 'SELECT COUNT(*) FROM cost_rollup_monthly');
    expect(rows).toBeGreaterThan(fromScan.length);
    expect(monthlyCells(other.sqlite, parts.runId)).toEqual(fromScan);
  });

  // The scan keys cells by their values joined with U+001F; values holding it must not merge two cells.
  it('keeps apart cells whose values would join to the same text', async () => {
    const { deps, files, sqlite } = setup();
    const header =
      'BillingAccountId,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ProviderName,ServiceName,ServiceCategory,BilledCost,EffectiveCost,BillingCurrency';
    const row = (service: string, category: string, cost: string) =>
      `acct-1,2024-03-01T00:00:00Z,2024-04-01T00:00:00Z,2024-03-05T00:00:00Z,2024-03-06T00:00:00Z,Usage,AWS,${service},${category},${cost},${cost},USD`;
    const file = path.join(files, 'separator.csv');
    fs.writeFileSync(
      file,
      // Categories outside FOCUS's list are kept as written (an empty one would be filled in, an allowed
      // one respelled), so these still join to the same text.
      [header, row('X\u001f', 'Misc', '1'), row('X', '\u001fMisc', '2'), row('X', '\u001fMisc', '4')].join('\n') + '\n',
    );
    const result = await importCostFiles(deps, request(file));
    expect(monthlyCells(sqlite, result.runId).map((cell) => [cell.cell, cell.lines, cell.billed])).toEqual([
      ['2024-03|AWS|acct-1|2024-03||X|\u001fMisc||Usage|USD', 2, '6'],
      ['2024-03|AWS|acct-1|2024-03||X\u001f|Misc||Usage|USD', 1, '1'],
    ]);
  });
});

describe('a restatement that moves many cells', () => {
  it('lists the first 1,000 alerts and counts all; run summaries and Recent imports stay small', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const rows = (amount: string): FocusRow[] =>
      Array.from({ length: 1_500 }, (_, i) => ({ billed: amount, service: `Service ${i}`, resource: `r-${i}` }));
    await importCostFiles(deps, request(writeFocusCsv(files, 'first.csv', rows('1')).file));
    const restated = await importCostFiles(deps, request(writeFocusCsv(files, 'again.csv', rows('2')).file));
    expect(restated.alertCount).toBe(1_500);
    expect(restated.alerts).toHaveLength(MAX_ALERTS_LISTED);
    // One alert for the run, counting its cells.
    const alerts = listAlerts(workspace.store, { kind: 'costs.restated', limit: 5_000 });
    expect(alerts.map((a) => (a.details as { cellCount: number }).cellCount)).toEqual([1_500]);
    const summary = JSON.parse(
      (sqlite.prepare('SELECT summary FROM import_run WHERE id = ?').get(restated.runId) as { summary: string })
        .summary,
    ) as ImportResult;
    expect(summary.alerts).toHaveLength(MAX_ALERTS_LISTED);
    const [latest] = listImportRuns(workspace.store, 1);
    expect(latest!.summary).toMatchObject({ alertCount: 1_500, restated: 1_500 });
    expect(latest!.summary).not.toHaveProperty('alerts');
    expect(latest!.summary).not.toHaveProperty('skipped');
    const [event] = workspace.audit.list({ action: 'costs.imported', limit: 1 });
    expect(event!.details).toMatchObject({ alerts: 1_500 });
  });
});
