import { afterEach, describe, expect, it } from 'vitest';
import { finalityOn } from '../../electron/core/costs/finality';
import { queryLines } from '../../electron/core/costs/lines';
import { computeOverview } from '../../electron/core/costs/overview';
import { queryCosts } from '../../electron/core/costs/query';
import { importCostFiles } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { eachDay } from '../../shared/dates';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import { tempDir } from '../support/workspace';

describe('finalityOn', () => {
  it('is final through the end of the last billing month closed 72 h ago, never into an open month', () => {
    // December is open on Dec 5: "final through Dec 3" would contradict the Preliminary filter.
    expect(finalityOn('2026-12-05').finalThrough).toBe('2026-11-30');
    expect(finalityOn('2026-12-04').finalThrough).toBe('2026-11-30');
    // November ended 48 h before Dec 3: not yet 72 h.
    expect(finalityOn('2026-12-03').finalThrough).toBe('2026-10-31');
    expect(finalityOn('2026-11-21').finalThrough).toBe('2026-10-31');
    expect(finalityOn('2027-01-04').finalThrough).toBe('2026-12-31');
    expect(finalityOn('2026-03-03').finalThrough).toBe('2026-01-31');
  });
});

let open: Workspace | null = null;
afterEach(() => {
  if (open) disposeWorkspace(open);
  open = null;
});

describe('one finality everywhere', () => {
  it('the Final and Preliminary filters, the drill-down and the Overview split at the day the answer names', async () => {
    const asOf = '2026-12-05';
    const days = eachDay('2026-11-25', '2026-12-04');
    const rows: FocusRow[] = days.map((day, i) => ({ billed: `${i + 1}.5`, day, resource: `r-${i}` }));
    const { workspace, deps } = emptyWorkspace();
    open = workspace;
    const { file } = writeFocusCsv(tempDir('valdrix-finality-'), 'finality.csv', rows);
    await importCostFiles(deps, request(file));
    const sqlite = workspace.store.sqlite;

    const all = queryCosts(sqlite, { by: ['day'], status: 'all', asOf });
    const { finalThrough, rule } = all.finality;
    expect(finalThrough).toBe('2026-11-30');
    const final = queryCosts(sqlite, { by: ['day'], status: 'final', asOf }).rows.map((r) => r.day);
    const preliminary = queryCosts(sqlite, { by: ['day'], status: 'preliminary', asOf }).rows.map((r) => r.day);
    expect(final.sort()).toEqual(days.filter((d) => d <= finalThrough));
    expect(preliminary.sort()).toEqual(days.filter((d) => d > finalThrough));

    const lines = queryLines(sqlite, { status: 'preliminary', asOf, limit: 100, offset: 0 });
    expect(lines.lines.map((l) => l.chargeDay).sort()).toEqual(days.filter((d) => d > finalThrough));

    const overview = computeOverview(sqlite, { asOf, currency: 'USD', groupBy: 'service', metric: 'billed' });
    expect(overview.freshness.finality).toEqual({ finalThrough, rule });
  });
});
