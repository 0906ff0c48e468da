/**
 * One file, one source (duplicate-source.ts): a byte-identical export already current under another
 * source is refused (CONFLICT, exit 5) instead of doubling its month, or moved with --replace-source
 * in one transaction. Expected amounts come from the independent decimal adder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/exit-codes';
import { importCostFiles } from '../../electron/core/ingest/import';
import { AppError } from '../../shared/api/errors';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { runCli } from '../support/cli';
import { soleTotal } from '../support/costs';
import { decimalSum } from '../support/decimal';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { allCosts, disposeWorkspace, emptyWorkspace, request, snapshots, visibleLines } from '../support/ingest-store';
import { tempDir } from '../support/workspace';

let open: Workspace[] = [];
const folders: string[] = [];
afterEach(() => {
  for (const workspace of open) disposeWorkspace(workspace);
  open = [];
});
afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

const september: FocusRow[] = ['2024-09-01', '2024-09-02', '2024-09-03'].flatMap((day, d) =>
  [0, 1, 2].map((r) => ({ day, resource: `i-${r}`, billed: `${d + 1}${r}.1234567890123` })),
);
const sum = (rows: readonly FocusRow[]) => decimalSum(rows.map((row) => row.billed));

function setup() {
  const ws = emptyWorkspace();
  open.push(ws.workspace);
  const files = tempDir('valdrix-dup-');
  folders.push(files);
  return { ...ws, files, sqlite: ws.workspace.store.sqlite };
}

/** The month's billed total as the cube, the monthly rollup and the lines each answer it. */
function monthTotals(sqlite: Parameters<typeof allCosts>[0]) {
  return {
    cube: soleTotal(allCosts(sqlite, ['month'])).billed,
    rollup: soleTotal(allCosts(sqlite, ['billing_account'])).billed,
    lines: soleTotal(allCosts(sqlite, ['resource'])).billed,
  };
}

describe('a file already imported under another source', () => {
  it('is refused with CONFLICT naming the source and --replace-source; nothing changes', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const file = writeFocusCsv(files, 'focus.csv', september).file;
    const first = await importCostFiles(deps, request(file, { source: 'aws-cur' }));
    const before = monthTotals(sqlite);
    expect(before).toEqual({ cube: sum(september), rollup: sum(september), lines: sum(september) });

    const refused = await importCostFiles(deps, request(file, { source: 'other' })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('CONFLICT');
    expect((refused as AppError).message).toBe(
      `focus.csv is already imported as source "aws-cur" (run ${first.runId}, 2024-09); importing it again as "other" ` +
        `would count it twice. Import it as --source aws-cur to update that source, or add --replace-source to move it to "other"`,
    );
    expect(monthTotals(sqlite)).toEqual(before);
    expect(snapshots(sqlite).map((s) => s.source)).toEqual(['aws-cur']);
    expect(workspace.audit.list({ action: 'costs.import_failed', limit: 1 })[0]).toMatchObject({
      details: { source: 'other', error: { code: 'CONFLICT' } },
    });

    // A large import hashes alongside its scan unless a file of the same size is imported elsewhere.
    const large = await importCostFiles(deps, request(file, { source: 'other' }), {
      minWorkerBytes: 1,
      scanWorkerEntry: null,
    }).catch((error: unknown) => error);
    expect((large as AppError).code).toBe('CONFLICT');
    expect(monthTotals(sqlite)).toEqual(before);

    // The same source keeps the unchanged shortcut.
    const again = await importCostFiles(deps, request(file, { source: 'aws-cur' }));
    expect(again).toMatchObject({ inserted: 0, updated: 0, removed: 0 });
    expect(monthTotals(sqlite)).toEqual(before);
  });

  it('moves with replaceSource: the month is the file once, the first source shows nothing, audited', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const file = writeFocusCsv(files, 'focus.csv', september).file;
    const first = await importCostFiles(deps, request(file, { source: 'aws-cur' }));

    const moved = await importCostFiles(deps, request(file, { source: 'other', replaceSource: true }));
    expect(moved.status).toBe('published');
    expect(monthTotals(sqlite)).toEqual({ cube: sum(september), rollup: sum(september), lines: sum(september) });
    expect(snapshots(sqlite).map((s) => [s.source, s.billingPeriod, s.billed])).toEqual([
      ['other', '2024-09', sum(september)],
    ]);
    const lines = visibleLines(sqlite);
    expect(lines).toHaveLength(september.length);
    expect(lines.every((line) => line.source === 'other')).toBe(true);
    expect(workspace.audit.list({ action: 'costs.source_moved', limit: 5 })).toMatchObject([
      {
        runId: moved.runId,
        details: {
          from: { source: 'aws-cur' },
          to: { source: 'other' },
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
          retracted: [{ runId: first.runId, billingAccountId: 'acct-1', billingPeriod: '2024-09' }],
        },
      },
    ]);

    // Back under its first name: refused again, since it is now current under "other".
    const back = await importCostFiles(deps, request(file, { source: 'aws-cur' })).catch((error: unknown) => error);
    expect((back as AppError).code).toBe('CONFLICT');
    expect((back as AppError).message).toContain('already imported as source "other"');
  });

  it('is not refused once other content replaced it there, nor when only overlapping', async () => {
    const { deps, files, sqlite } = setup();
    const file = writeFocusCsv(files, 'focus.csv', september).file;
    await importCostFiles(deps, request(file, { source: 'aws-cur' }));
    // Different bytes for the same month under another source: the user's call, not a duplicate.
    const restated = september.map((row, i) => (i === 0 ? { ...row, billed: '99.5' } : row));
    const overlapping = writeFocusCsv(files, 'focus-restated.csv', restated).file;
    await importCostFiles(deps, request(overlapping, { source: 'other' }));
    expect(snapshots(sqlite).map((s) => s.source)).toEqual(['aws-cur', 'other']);

    // The restated export moved over the first source's snapshot: the original bytes are current nowhere now.
    await importCostFiles(deps, request(overlapping, { source: 'aws-cur', replaceSource: true, confirmReplace: true }));
    const third = await importCostFiles(deps, request(file, { source: 'third' }));
    expect(third.status).toBe('published');
  });
});

describe('valdrix import of a file under a second source', () => {
  it('exits 5 with the message; --replace-source moves it', () => {
    const dir = path.join(tempDir('valdrix-dup-cli-'), 'ws');
    const files = tempDir('valdrix-dup-cli-files-');
    folders.push(path.dirname(dir), files);
    const cli = (args: string[]) => runCli(['--workspace', dir, ...args]);
    expect(cli(['init']).status).toBe(0);
    const file = writeFocusCsv(files, 'focus.csv', september).file;
    expect(cli(['import', file, '--source', 'aws-cur', '--quiet']).status).toBe(0);
    const billed = () =>
      soleTotal(JSON.parse(cli(['costs', '--json']).stdout) as { totals: { currency: string; billed: string }[] })
        .billed;

    const refused = cli(['import', file, '--source', 'other', '--quiet']);
    expect(refused.status).toBe(EXIT.busy);
    expect(refused.stderr).toContain('focus.csv is already imported as source "aws-cur"');
    expect(refused.stderr).toContain('add --replace-source to move it to "other"');
    expect(billed()).toBe(sum(september));

    expect(cli(['import', file, '--source', 'other', '--replace-source', '--quiet']).status).toBe(0);
    expect(billed()).toBe(sum(september));
  });
});
