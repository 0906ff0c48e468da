import { afterEach, describe, expect, it } from 'vitest';
import { listRestatements } from '../../electron/core/ingest/history';
import { importCostFiles } from '../../electron/core/ingest/import';
import { restatementPage } from '../../electron/core/restatements';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { formatExact, parseExact } from '../../shared/exact';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import { tempDir } from '../support/workspace';

let open: Workspace | null = null;
afterEach(() => {
  if (open) disposeWorkspace(open);
  open = null;
});

const day = (i: number) => `2026-10-${String((i % 28) + 1).padStart(2, '0')}`;

describe('restatementPage', () => {
  it('ranks by absolute impact across pages, sums per currency exactly and never across currencies', async () => {
    const before: FocusRow[] = Array.from({ length: 60 }, (_, i) => ({
      billed: `${i + 1}.000000000000000000001`,
      day: day(i),
      resource: `r-${i}`,
      currency: i % 4 === 0 ? 'EUR' : 'USD',
      account: i % 4 === 0 ? 'acct-eur' : 'acct-usd',
    }));
    // Up, down, removed (−100 %) and untouched lines, plus one added line.
    const after: FocusRow[] = before
      .filter((_, i) => i % 10 !== 3)
      .map((row, i) =>
        i % 3 === 0
          ? { ...row, billed: formatExact(parseExact(row.billed) * 2n) }
          : i % 3 === 1
            ? { ...row, billed: '0.5' }
            : row,
      )
      .concat([{ billed: '1000.25', day: day(1), resource: 'r-new', currency: 'USD', account: 'acct-usd' }]);

    const { workspace, deps } = emptyWorkspace();
    open = workspace;
    const dir = tempDir('valdrix-restatement-page-');
    await importCostFiles(deps, request(writeFocusCsv(dir, 'v1.csv', before).file, { source: 's' }));
    // It removes a tenth of the lines: confirmed, or the replacement guard would hold it.
    await importCostFiles(
      deps,
      request(writeFocusCsv(dir, 'v2.csv', after).file, { source: 's', confirmReplace: true }),
    );
    const store = workspace.store;

    const every = listRestatements(store, { limit: 5000 });
    expect(every.length).toBeGreaterThan(20);
    const impactOf = (r: { oldBilled: string | null; newBilled: string | null }) =>
      (r.newBilled ? parseExact(r.newBilled) : 0n) - (r.oldBilled ? parseExact(r.oldBilled) : 0n);

    const pages = [0, 7, 14, 21, 28, 35, 42, 49].map((offset) => restatementPage(store, { offset, limit: 7 }));
    const seen = pages.flatMap((p) => p.rows);
    expect(pages[0]!.total).toBe(every.length);
    expect(new Set(seen.map((r) => r.id)).size).toBe(Math.min(every.length, 56));
    const magnitudes = seen.map((r) => {
      const impact = parseExact(r.impact);
      expect(impact).toBe(impactOf(r));
      expect(r.direction).toBe(impact > 0n ? 'up' : impact < 0n ? 'down' : 'none');
      return impact < 0n ? -impact : impact;
    });
    for (let i = 1; i < magnitudes.length; i++) expect(magnitudes[i - 1]! >= magnitudes[i]!).toBe(true);
    expect(seen[0]).toMatchObject({ kind: 'added', impact: '1000.25', direction: 'up' });

    const expected = ['EUR', 'USD'].map((currency) => {
      const impacts = every.filter((r) => r.currency === currency).map(impactOf);
      const increase = impacts.filter((v) => v > 0n).reduce((a, b) => a + b, 0n);
      const decrease = impacts.filter((v) => v < 0n).reduce((a, b) => a + b, 0n);
      return {
        currency,
        count: impacts.length,
        increase: formatExact(increase),
        decrease: formatExact(decrease),
        net: formatExact(increase + decrease),
        direction: increase + decrease > 0n ? 'up' : increase + decrease < 0n ? 'down' : 'none',
      };
    });
    expect(pages[0]!.summary).toEqual(expected);

    const runId = every[0]!.runId;
    expect(restatementPage(store, { runId, offset: 0, limit: 500 }).total).toBe(every.length);
    expect(restatementPage(store, { runId: 'no-such-run', offset: 0, limit: 10 })).toEqual({
      rows: [],
      total: 0,
      offset: 0,
      summary: [],
    });
  });
});
