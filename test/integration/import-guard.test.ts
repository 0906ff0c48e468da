/**
 * The replacement guard (replace-guard.ts): an import that would remove much of a snapshot, drop its
 * days, or that skipped rows is held with a preview in money, publishes only when accepted, and is
 * discarded by the user or by a newer import. Expected amounts come from the independent decimal adder.
 */
import { soleTotal } from '../support/costs';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptHeldImport, discardHeldImport, listHeldImports } from '../../electron/core/ingest/held';
import { updateImportSettings } from '../../electron/core/ingest/history';
import { importCostFiles } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { decimalSum } from '../support/decimal';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import {
  allCosts,
  count,
  disposeWorkspace,
  emptyWorkspace,
  request,
  runStatus,
  visibleState,
} from '../support/ingest-store';
import { tempDir } from '../support/workspace';

let open: Workspace[] = [];
afterEach(() => {
  for (const workspace of open) disposeWorkspace(workspace);
  open = [];
});

const DAYS = ['2024-06-01', '2024-06-02', '2024-06-03', '2024-06-04'];
const SERVICES = ['Amazon EC2', 'Amazon S3'];

/** 40 lines: 4 days × 2 services × 5 resources, amounts with many digits. */
function fullMonth(): FocusRow[] {
  return DAYS.flatMap((day, d) =>
    SERVICES.flatMap((service, s) =>
      [0, 1, 2, 3, 4].map((r) => ({
        day,
        service,
        resource: `${service}-${r}`,
        billed: `${d + 1}${s}${r}.1234567890123`,
      })),
    ),
  );
}

function setup() {
  const ws = emptyWorkspace();
  open.push(ws.workspace);
  return { ...ws, files: tempDir('valdrix-guard-'), sqlite: ws.workspace.store.sqlite };
}

const sum = (rows: readonly FocusRow[]) => decimalSum(rows.map((row) => row.billed));
const negated = (text: string) => (text.startsWith('-') ? text.slice(1) : `-${text}`);

describe('the replacement guard', () => {
  it('holds a partial file read with skipped rows: the snapshot is unchanged, the preview exact; accept publishes it', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const full = fullMonth();
    await importCostFiles(deps, request(writeFocusCsv(files, 'june.csv', full).file));
    const before = visibleState(sqlite);
    const auditBefore = workspace.audit.count();

    // 8 rows of the first day, one of them unreadable: 7 lines would replace 40.
    const partialRows: FocusRow[] = full
      .slice(0, 8)
      .map((row, i) => (i === 3 ? { ...row, raw: { BilledCost: 'n/a' } } : row));
    const kept = partialRows.filter((_, i) => i !== 3);
    const removedRows = full.filter((row) => !kept.includes(row));
    const partial = writeFocusCsv(files, 'june-partial.csv', partialRows).file;
    const held = await importCostFiles(deps, request(partial, { skipBadRows: true }));

    expect(held.status).toBe('held');
    expect(runStatus(sqlite, held.runId)).toBe('held');
    expect(visibleState(sqlite)).toEqual(before);
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sum(full));
    expect(held).toMatchObject({ inserted: 0, updated: 0, unchanged: 7, removed: 33, restated: 0, alertCount: 0 });
    expect(held.held!.reasons.map((r) => r.code)).toEqual([
      'lines_removed',
      'cost_removed',
      'days_dropped',
      'rows_skipped',
    ]);
    expect(held.held!.reasons[0]!.message).toBe(
      'acct-1 2024-06: 33 of its 40 lines would be removed (82.5 %, more than 10 %)',
    );
    expect(held.held!.reasons[2]).toMatchObject({ days: ['2024-06-02', '2024-06-03', '2024-06-04'] });
    expect(held.held!.reasons[3]).toMatchObject({ count: 1 });

    const { preview } = held.held!;
    expect(preview.snapshots).toEqual([
      {
        billingAccountId: 'acct-1',
        billingPeriod: '2024-06',
        currency: 'USD',
        linesBefore: 40,
        linesAfter: 7,
        billedBefore: sum(full),
        billedAfter: sum(kept),
      },
    ]);
    expect(preview.totals).toEqual([
      {
        currency: 'USD',
        added: { lines: 0, amount: '0' },
        changed: { lines: 0, amount: '0' },
        removed: { lines: 33, amount: sum(removedRows) },
        net: negated(sum(removedRows)),
      },
    ]);
    // By day: the first day loses its one unreadable row, the other three lose everything.
    expect(preview.byDay.map((row) => [row.day, row.removed.lines, row.net])).toEqual(
      DAYS.map((day) => {
        const gone = removedRows.filter((row) => row.day === day);
        return [day, gone.length, negated(sum(gone))];
      }),
    );
    expect(
      preview.byService
        .map((row) => [row.serviceName, row.removed.lines, row.net])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual(
      SERVICES.map((service) => {
        const gone = removedRows.filter((row) => row.service === service);
        return [service, gone.length, negated(sum(gone))];
      }),
    );
    // One event for the held run, with its reasons; no restatement or alert yet.
    const [heldEvent, ...others] = workspace.audit.list({ limit: 10 }).slice(0, workspace.audit.count() - auditBefore);
    expect(others).toEqual([]);
    expect(heldEvent).toMatchObject({ action: 'costs.import_held', entityId: held.runId });
    expect(count(sqlite, 'SELECT COUNT(*) FROM cost_restatement')).toBe(0);
    expect(listHeldImports(workspace.store).map((r) => r.runId)).toEqual([held.runId]);

    const accepted = acceptHeldImport(deps, held.runId);
    expect(accepted).toMatchObject({ status: 'published', removed: 33, unchanged: 7, restated: 33 });
    expect(accepted.held).toBeUndefined();
    expect(runStatus(sqlite, held.runId)).toBe('succeeded');
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sum(kept));
    expect(count(sqlite, "SELECT COUNT(*) FROM cost_restatement WHERE kind = 'removed'")).toBe(33);
    expect(workspace.audit.list({ action: 'costs.import_accepted', limit: 5 })).toMatchObject([
      { entityId: held.runId, details: { removed: 33, reasons: held.held!.reasons } },
    ]);
    expect(listHeldImports(workspace.store)).toEqual([]);
    expect(() => acceptHeldImport(deps, held.runId)).toThrow(/not waiting for confirmation: it is already published/);
  });

  it('a complete re-import publishes at once, restatements and all', async () => {
    const { deps, files, sqlite } = setup();
    const full = fullMonth();
    await importCostFiles(deps, request(writeFocusCsv(files, 'june.csv', full).file));
    const restated = full.map((row, i) => (i === 5 ? { ...row, billed: '1.5' } : row));
    const again = await importCostFiles(deps, request(writeFocusCsv(files, 'june-2.csv', restated).file));
    expect(again).toMatchObject({ status: 'published', updated: 1, removed: 0 });
    expect(again.held).toBeUndefined();
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sum(restated));
  });

  it('holds an import that drops a whole day even when the share removed is under the threshold', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const full = fullMonth();
    await importCostFiles(deps, request(writeFocusCsv(files, 'june.csv', full).file));
    // A guard of 100 % lets any share go: only the missing day holds it.
    updateImportSettings(workspace.store, workspace.audit, { replaceGuardPct: '100' }, new Date().toISOString());
    const withoutLastDay = full.filter((row) => row.day !== '2024-06-04');
    const held = await importCostFiles(deps, request(writeFocusCsv(files, 'june-cut.csv', withoutLastDay).file));
    expect(held.status).toBe('held');
    expect(held.held!.reasons).toEqual([
      {
        code: 'days_dropped',
        billingAccountId: 'acct-1',
        billingPeriod: '2024-06',
        days: ['2024-06-04'],
        message: 'acct-1 2024-06: 1 day the snapshot has would have no cost at all (2024-06-04)',
      },
    ]);
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sum(full));
  });

  it('follows the threshold setting: 3 of 40 lines (7.5 %) pass at 10 %, are held at 5 %', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const full = fullMonth();
    await importCostFiles(deps, request(writeFocusCsv(files, 'june.csv', full).file));
    // One resource of each of three day × service cells goes; every day keeps lines.
    const drop = new Set([full[0], full[10], full[20]]);
    const fewer = full.filter((row) => !drop.has(row));
    const passed = await importCostFiles(deps, request(writeFocusCsv(files, 'june-a.csv', fewer).file));
    expect(passed).toMatchObject({ status: 'published', removed: 3 });
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sum(fewer));

    await importCostFiles(deps, request(writeFocusCsv(files, 'june-b.csv', full).file));
    updateImportSettings(workspace.store, workspace.audit, { replaceGuardPct: '5' }, new Date().toISOString());
    const held = await importCostFiles(deps, request(writeFocusCsv(files, 'june-c.csv', fewer).file));
    expect(held.status).toBe('held');
    // The three lines also carry more than 5 % of the billed total (about 600 of 10,000).
    expect(held.held!.reasons.map((r) => r.code)).toEqual(['lines_removed', 'cost_removed']);
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sum(full));
    // An explicit share on the request wins over the setting, and a confirmed import is never held.
    const viaRequest = await importCostFiles(
      deps,
      request(writeFocusCsv(files, 'june-d.csv', fewer).file, { replaceGuardPct: '50' }),
    );
    expect(viaRequest.status).toBe('published');
  });

  it('--confirm-replace publishes a partial file directly', async () => {
    const { deps, files, sqlite } = setup();
    const full = fullMonth();
    await importCostFiles(deps, request(writeFocusCsv(files, 'june.csv', full).file));
    const part = full.slice(0, 8);
    const result = await importCostFiles(
      deps,
      request(writeFocusCsv(files, 'part.csv', part).file, { confirmReplace: true }),
    );
    expect(result).toMatchObject({ status: 'published', removed: 32 });
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sum(part));
  });

  it('discard leaves the snapshot as it was, audited, and its lines are collected', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const full = fullMonth();
    await importCostFiles(deps, request(writeFocusCsv(files, 'june.csv', full).file));
    const before = visibleState(sqlite);
    const held = await importCostFiles(deps, request(writeFocusCsv(files, 'part.csv', full.slice(0, 8)).file));
    expect(held.status).toBe('held');
    const heldLines = 'SELECT COUNT(*) FROM cost_line WHERE run_seq = (SELECT seq FROM import_run WHERE id = ?)';
    expect(count(sqlite, heldLines, held.runId)).toBe(8);
    expect(discardHeldImport(deps, held.runId)).toEqual({ runId: held.runId, status: 'discarded' });
    expect(runStatus(sqlite, held.runId)).toBe('discarded');
    expect(visibleState(sqlite)).toEqual(before);
    expect(count(sqlite, heldLines, held.runId)).toBe(0);
    expect(workspace.audit.list({ action: 'costs.import_discarded', limit: 5 })).toMatchObject([
      { entityId: held.runId, details: { reason: 'user' } },
    ]);
    expect(() => acceptHeldImport(deps, held.runId)).toThrow(/it was discarded/);
  });

  it('a newer import of the same snapshot discards a held one (audited), so nothing waits forever', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const full = fullMonth();
    await importCostFiles(deps, request(writeFocusCsv(files, 'june.csv', full).file));
    const held = await importCostFiles(deps, request(writeFocusCsv(files, 'part.csv', full.slice(0, 8)).file));
    expect(held.status).toBe('held');
    const restated = full.map((row, i) => (i === 0 ? { ...row, billed: '2' } : row));
    const newer = await importCostFiles(deps, request(writeFocusCsv(files, 'june-2.csv', restated).file));
    expect(newer.status).toBe('published');
    expect(runStatus(sqlite, held.runId)).toBe('discarded');
    expect(workspace.audit.list({ action: 'costs.import_discarded', limit: 5 })).toMatchObject([
      { entityId: held.runId, details: { reason: 'superseded', supersededBy: newer.runId } },
    ]);
    expect(() => acceptHeldImport(deps, held.runId)).toThrow(/not waiting for confirmation/);
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sum(restated));
  });

  it('a held run whose snapshot another import replaced meanwhile cannot be accepted', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const full = fullMonth();
    await importCostFiles(deps, request(writeFocusCsv(files, 'june.csv', full).file));
    const held = await importCostFiles(deps, request(writeFocusCsv(files, 'part.csv', full.slice(0, 8)).file));
    // Put it back to held as if the newer import had not found it (another process, an older version).
    const restated = full.map((row, i) => (i === 0 ? { ...row, billed: '2' } : row));
    await importCostFiles(deps, request(writeFocusCsv(files, 'june-2.csv', restated).file));
    sqlite.prepare("UPDATE import_run SET status = 'held' WHERE id = ?").run(held.runId);
    expect(() => acceptHeldImport(deps, held.runId)).toThrow(/another import replaced this snapshot meanwhile/);
    expect(soleTotal(allCosts(sqlite)).billed).toBe(sum(restated));
    expect(workspace.audit.list({ action: 'costs.import_accepted', limit: 5 })).toEqual([]);
  });
});
