/**
 * A file imported by a build that mapped it differently (here: before service categories) is mapped again
 * when imported again, rather than answered from the earlier import: the changed lines become
 * restatements. The older build is played by switching the categorizer off and by writing the run's
 * fingerprint the way that build computed it (without MAPPING_REVISION).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { importCostFiles } from '../../electron/core/ingest/import';
import type * as Categories from '../../electron/core/ingest/service-categories';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import { tempDir } from '../support/workspace';
import { soleTotal } from '../support/costs';

const older = vi.hoisted(() => ({ build: false }));

vi.mock('../../electron/core/ingest/service-categories', async (importOriginal) => {
  const actual = await importOriginal<typeof Categories>();
  return {
    ...actual,
    serviceCategorizer: (provider: Categories.CategoryProvider) => {
      const categorize = actual.serviceCategorizer(provider);
      return ((...names: (string | null)[]) =>
        older.build ? null : categorize(...(names as [string | null]))) as Categories.ServiceCategorizer;
    },
  };
});

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const opened: Workspace[] = [];
const dir = tempDir('valdrix-mapping-revision-');
afterAll(() => {
  opened.forEach(disposeWorkspace);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a re-import after a mapping change', () => {
  it('maps the file again: lines imported without a category get one, as restatements', async () => {
    const file = path.join(dir, 'cur.csv');
    fs.writeFileSync(
      file,
      [
        'identity/LineItemId,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/LineItemType,' +
          'lineItem/UnblendedCost,lineItem/CurrencyCode,bill/BillingPeriodStartDate,bill/PayerAccountId,' +
          'lineItem/UsageAccountId,lineItem/ProductCode,product/ProductName',
        'a,2024-03-01T00:00:00Z,2024-03-01T01:00:00Z,Usage,1.25,USD,2024-03-01T00:00:00Z,111,222,AmazonEC2,' +
          'Amazon Elastic Compute Cloud',
        'b,2024-03-01T00:00:00Z,2024-03-01T01:00:00Z,Usage,0.5,USD,2024-03-01T00:00:00Z,111,222,AmazonS3,' +
          'Amazon Simple Storage Service',
      ].join('\n') + '\n',
    );
    const { workspace, deps } = emptyWorkspace();
    opened.push(workspace);
    const sqlite = workspace.store.sqlite;
    const stored = () =>
      (
        sqlite.prepare('SELECT service_category FROM cost_line ORDER BY line_number').all() as {
          service_category: string | null;
        }[]
      ).map((row) => row.service_category);

    older.build = true;
    const first = await importCostFiles(deps, request(file));
    older.build = false;
    expect(stored()).toEqual([null, null]);
    // The fingerprint as the older build wrote it.
    const oldFingerprint = sha256(
      JSON.stringify({
        files: [sha256(fs.readFileSync(file))],
        format: 'auto',
        currency: null,
        billingAccountId: null,
        skipBadRows: false,
      }),
    );
    sqlite
      .prepare(`UPDATE import_run SET summary = json_set(summary, '$.fingerprint', ?) WHERE id = ?`)
      .run(oldFingerprint, first.runId);

    const again = await importCostFiles(deps, request(file));
    expect(again.runId).not.toBe(first.runId);
    expect(again.snapshots.map((snapshot) => snapshot.status)).toEqual(['replaced']);
    expect(soleTotal(again).billed).toBe(soleTotal(first).billed);
    const visible = sqlite
      .prepare(
        `SELECT l.service_category FROM cost_line l JOIN import_run r ON r.seq = l.run_seq WHERE r.id = ?
         ORDER BY l.line_number`,
      )
      .all(again.runId) as { service_category: string | null }[];
    expect(visible.map((row) => row.service_category)).toEqual(['Compute', 'Storage']);
  });
});
