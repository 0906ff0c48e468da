/**
 * Restatement alerts without the flood: the minimum amount defaults to 1.00, and an import run raises
 * one alert (and one audit event) that counts its cells, sums their impact and names the largest. The
 * FOCUS sample, its restatements and the demo workspace are counted too; on the sample the replacement
 * guard holds the 8-row partial re-import the issue describes.
 */
import { soleTotal } from '../support/costs';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { listAlerts } from '../../electron/core/alerts/alerts';
import { importSettings } from '../../electron/core/ingest/history';
import { importCostFiles } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { decimalSum } from '../support/decimal';
import { DATASETS_SKIP_REASON, dataset, datasetsPresent } from '../support/ingest';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { allCosts, disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import { demoWorkspace, tempDir } from '../support/workspace';

let open: Workspace[] = [];
afterEach(() => {
  for (const workspace of open) disposeWorkspace(workspace);
  open = [];
});

function setup() {
  const ws = emptyWorkspace();
  open.push(ws.workspace);
  const settings = importSettings(ws.workspace.store);
  // What the Import screen and the CLI pass: the workspace settings.
  const thresholds = { alertThresholdPct: settings.alertThresholdPct, alertMinAmount: settings.alertMinAmount };
  return { ...ws, files: tempDir('valdrix-alerts-'), thresholds };
}

/** 200 cells: one line per service on one day. */
const cells = (amount: (i: number) => string): FocusRow[] =>
  Array.from({ length: 200 }, (_, i) => ({ service: `Service ${i}`, resource: `r-${i}`, billed: amount(i) }));

const alertEvents = (workspace: Workspace) => workspace.audit.list({ action: 'alert.raised', limit: 1000 });

describe('restatement alerts', () => {
  it('200 changes of $0.000005 → $0.00 raise no alert and no audit event with the default minimum', async () => {
    const { deps, files, workspace, thresholds } = setup();
    expect(thresholds.alertMinAmount).toBe('1.00');
    await importCostFiles(
      deps,
      request(
        writeFocusCsv(
          files,
          'v1.csv',
          cells(() => '0.000005'),
        ).file,
        thresholds,
      ),
    );
    const restated = await importCostFiles(
      deps,
      request(
        writeFocusCsv(
          files,
          'v2.csv',
          cells(() => '0.00'),
        ).file,
        thresholds,
      ),
    );
    // Every change is still recorded as a restatement; none is worth an alert.
    expect(restated).toMatchObject({ status: 'published', updated: 200, restated: 200, alertCount: 0, alertId: null });
    expect(listAlerts(workspace.store)).toEqual([]);
    expect(alertEvents(workspace)).toEqual([]);
  });

  it('200 large changes raise exactly one alert and one audit event per import run, with the exact impact', async () => {
    const { deps, files, workspace, thresholds } = setup();
    const v1 = cells(() => '100');
    // Service i moves by i + 1.000000000000000001: all but Service 0 (+1.000…01 %) pass 2 % and 1.00.
    const v2 = cells((i) => decimalSum(['100', `${i}`, '1.000000000000000001']));
    await importCostFiles(deps, request(writeFocusCsv(files, 'v1.csv', v1).file, thresholds));
    const first = await importCostFiles(deps, request(writeFocusCsv(files, 'v2.csv', v2).file, thresholds));
    const moved = v2.filter((_, i) => i >= 1); // +2.000…01 and more: past 2 % of 100
    expect(first.alertCount).toBe(moved.length);
    const alerts = listAlerts(workspace.store);
    expect(alerts).toHaveLength(1);
    expect(alertEvents(workspace)).toHaveLength(1);
    expect(alertEvents(workspace)[0]).toMatchObject({ entityType: 'import_run', entityId: first.runId });
    const details = alerts[0]!.details as {
      cellCount: number;
      impact: { currency: string; net: string; gross: string }[];
      topCells: { serviceName: string; change: string }[];
    };
    const impact = decimalSum(moved.map((row) => decimalSum([row.billed, '-100'])));
    expect(details.cellCount).toBe(moved.length);
    expect(details.impact).toEqual([{ currency: 'USD', net: impact, gross: impact }]);
    expect(details.topCells.map((c) => c.serviceName)).toEqual(
      Array.from({ length: 10 }, (_, k) => `Service ${199 - k}`),
    );
    expect(details.topCells[0]!.change).toBe('200.000000000000000001');

    // A second restating run: one more alert and one more event, not 199.
    const second = await importCostFiles(deps, request(writeFocusCsv(files, 'v3.csv', v1).file, thresholds));
    // Back from 102.000…01 to 100 is −1.96 %, under the threshold: one cell fewer.
    expect(second.alertCount).toBe(moved.length - 1);
    expect(listAlerts(workspace.store)).toHaveLength(2);
    expect(alertEvents(workspace)).toHaveLength(2);
  });
});

describe('counts on real data', () => {
  it('the demo workspace raises no alert and records 3 audit events', () => {
    const { workspace } = demoWorkspace();
    try {
      expect(listAlerts(workspace.store)).toEqual([]);
      expect(workspace.audit.list({ limit: 100 }).map((e) => e.action)).toEqual([
        'costs.demo_loaded',
        'setting.changed',
        'workspace.created',
      ]);
    } finally {
      workspace.close();
    }
  });

  const FILE = 'focus-sample-data/FOCUS-1.0/focus_sample.csv';
  // Without the shared datasets the test is skipped, and its name says why.
  const itWithSample = (name: string, fn: () => Promise<void>) =>
    it.skipIf(!datasetsPresent)(datasetsPresent ? name : `${name}: ${DATASETS_SKIP_REASON}`, fn);

  /** The sample with every BilledCost changed by `change`, written beside the other test files. */
  function rewritten(dir: string, name: string, change: (billed: string, row: string[]) => string): string {
    const rows = parse(fs.readFileSync(dataset(FILE)), { relaxQuotes: true }) as string[][];
    const column = rows[0]!.indexOf('BilledCost');
    const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const text = rows
      .map((row, i) => (i === 0 ? row : row.map((v, c) => (c === column ? change(v, row) : v))).map(quote).join(','))
      .join('\n');
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${text}\n`);
    return file;
  }

  itWithSample(`the FOCUS sample: 0 alerts on import, 0 for a rounding restatement, 1 for a real one`, async () => {
    const { deps, files, workspace, thresholds } = setup();
    const events = () => workspace.audit.count();
    const start = events();
    const first = await importCostFiles(deps, request(dataset(FILE), thresholds));
    expect(first.alertCount).toBe(0);
    expect(listAlerts(workspace.store)).toHaveLength(0);
    expect(events() - start).toBe(1); // costs.imported

    // Every amount moves by a millionth: restated, not alerted.
    const rounding = rewritten(files, 'rounding.csv', (billed) => decimalSum([billed, '0.000001']));
    const second = await importCostFiles(deps, request(rounding, thresholds));
    expect(second.status).toBe('published');
    expect(second.restated).toBeGreaterThan(900);
    expect(second.alertCount).toBe(0);
    expect(listAlerts(workspace.store)).toHaveLength(0);
    expect(events() - start).toBe(2);

    // Every AWS amount rises by 5: one alert for the run, one audit event for it.
    const rises = rewritten(files, 'rises.csv', (billed, row) =>
      row.includes('AWS') ? decimalSum([billed, '5']) : billed,
    );
    const third = await importCostFiles(deps, request(rises, thresholds));
    expect(third.alertCount).toBeGreaterThan(10);
    expect(listAlerts(workspace.store)).toHaveLength(1);
    expect(alertEvents(workspace)).toHaveLength(1);
    expect(events() - start).toBe(4); // + alert.raised, costs.imported
  });

  itWithSample(
    `an 8-row re-import of the sample's AWS account read with skipped rows is held, the sample unchanged`,
    async () => {
      const { deps, files, workspace, thresholds } = setup();
      const first = await importCostFiles(deps, request(dataset(FILE), thresholds));
      const total = soleTotal(allCosts(workspace.store.sqlite)).billed;
      const [header, ...rows] = parse(fs.readFileSync(dataset(FILE)), { relaxQuotes: true }) as string[][];
      const aws = rows.filter((row) => row[header!.indexOf('ProviderName')] === 'AWS').slice(0, 8);
      const account = aws[0]![header!.indexOf('BillingAccountId')]!;
      const snapshot = first.snapshots.find((s) => s.billingAccountId === account)!;
      // 8 rows, the last unreadable: 7 lines would replace the whole AWS snapshot.
      aws[7]![header!.indexOf('BilledCost')] = 'not a number';
      const partial = path.join(files, 'partial.csv');
      fs.writeFileSync(partial, `${[header!, ...aws].map(csvLine).join('\n')}\n`);
      const held = await importCostFiles(deps, request(partial, { ...thresholds, skipBadRows: true }));
      expect(held.status).toBe('held');
      expect(held.skippedCount).toBe(1);
      expect(snapshot.lines).toBe(942);
      expect(held.removed).toBe(935);
      expect(held.held!.reasons.map((r) => r.code)).toEqual([
        'lines_removed',
        'cost_removed',
        'days_dropped',
        'rows_skipped',
      ]);
      expect(held.held!.preview.snapshots[0]).toMatchObject({ linesBefore: 942, linesAfter: 7 });
      expect(soleTotal(allCosts(workspace.store.sqlite)).billed).toBe(total);
    },
  );
});

const csvLine = (row: string[]) =>
  row.map((value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(',');
