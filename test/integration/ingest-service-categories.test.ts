/**
 * Service categories and Azure EA subscriptions as the import stores them: every line of the native
 * sample exports (../shared/datasets) gets a FOCUS service category, and Azure EA lines are keyed by the
 * subscription GUID. The EA usage-details layout has no public sample, so a constructed one goes through
 * the whole import too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCostFiles, type ImportRequest } from '../../electron/core/ingest/import';
import { SERVICE_CATEGORIES } from '../../electron/core/ingest/service-categories';
import type { Sqlite } from '../../electron/core/store/database';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { DATASETS_SKIP_REASON, dataset, datasetsPresent, rawCsvRows } from '../support/ingest';
import { disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import { tempDir } from '../support/workspace';

const opened: Workspace[] = [];
const scratch: string[] = [];
afterAll(() => {
  opened.forEach(disposeWorkspace);
  scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

async function importInto(paths: string[], overrides: Partial<ImportRequest> = {}): Promise<Sqlite> {
  const { workspace, deps } = emptyWorkspace();
  opened.push(workspace);
  await importCostFiles(deps, request(paths, overrides));
  return workspace.store.sqlite;
}

interface CategoryCount {
  provider: string;
  category: string | null;
  /** COUNT(*): the store reads integers as bigint. */
  lines: bigint;
}

function categories(sqlite: Sqlite): CategoryCount[] {
  return sqlite
    .prepare(
      `SELECT provider, service_category AS category, COUNT(*) AS lines FROM cost_line
       GROUP BY provider, service_category ORDER BY provider, service_category`,
    )
    .all() as CategoryCount[];
}

/**
 * A subscription GUID, not the numeric legacy id. Loose: the focus-converters sample anonymised the last
 * groups ("f908573f-1142-4b3c-999999999999", "e87307c5-37f9-4b2a-9407999999999999").
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f-]{12,}$/i;

// A skipped describe still runs its body to collect its tests: without the datasets there is nothing to list.
const within = (dir: string, pattern: RegExp) =>
  (datasetsPresent ? fs.readdirSync(dataset(dir)) : [])
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => dataset(path.join(dir, name)));

describe.skipIf(!datasetsPresent)(datasetsPresent ? 'service categories of the samples' : DATASETS_SKIP_REASON, () => {
  // Broken rows (koku's garbage CUR row, the "MC" currency) are skipped: they are other tests' business.
  const options: Partial<ImportRequest> = { skipBadRows: true, currency: 'USD' };
  const NATIVE = {
    AWS: [
      'focus-converters/aws/sample-anonymous-aws-export-dataset.csv',
      ...within('koku/aws', /\.csv$/).map((file) => path.relative(dataset(''), file)),
      'koku/aws/local_bucket_20180801-20180901/koku-local-1.csv.gz',
      'keboola-cur-mock/cur_1_0/sample_billing_data.csv',
      'keboola-cur-mock/cur_2_0/MockTestReportV2-00001.csv.gz',
    ],
    Microsoft: [
      ...['EA_ActualCost_Small.csv', 'EA_AmortizedCost_Small.csv'].map((name) => `finops-toolkit/azure-ea/${name}`),
      'focus-converters/azure/sample-anonymous-ea-export-dataset.csv',
      ...within('koku/azure', /\.csv$/).map((file) => path.relative(dataset(''), file)),
      ...within('opencost/azure-billingexports/headersets', /\.csv$/).map((file) => path.relative(dataset(''), file)),
      ...['VirtualMachine.csv', 'MissingBrackets.csv'].map((name) => `opencost/azure-billingexports/values/${name}`),
    ],
    'Google Cloud': [
      ...within('koku/gcp', /\.csv$/).map((file) => path.relative(dataset(''), file)),
      'gcp-legacy-billing-export/exports',
    ],
  };

  it.each(Object.entries(NATIVE))('%s: no line without a category, all FOCUS values', async (provider, files) => {
    const sqlite = await importInto(files.map(dataset), options);
    const counts = categories(sqlite);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((count) => count.provider === provider)).toBe(true);
    expect(counts.filter((count) => count.category === null)).toEqual([]);
    for (const count of counts) expect(SERVICE_CATEGORIES).toContain(count.category);
    // The samples' main services are known: "Other" is the exception, not the rule.
    const lines = counts.reduce((sum, count) => sum + Number(count.lines), 0);
    const other = Number(counts.find((count) => count.category === 'Other')?.lines ?? 0);
    expect(other / lines).toBeLessThan(0.1);
  });

  it('Azure EA samples: every sub account is the subscription GUID the file names', async () => {
    const EA = [
      'finops-toolkit/azure-ea/EA_ActualCost_Small.csv',
      'finops-toolkit/azure-ea/EA_AmortizedCost_Small.csv',
      'focus-converters/azure/sample-anonymous-ea-export-dataset.csv',
    ].map(dataset);
    const sqlite = await importInto(EA);
    const written = new Set(EA.flatMap((file) => rawCsvRows(file).map((row) => row.SubscriptionId)));
    const subAccounts = (
      sqlite.prepare('SELECT DISTINCT sub_account_id FROM cost_line').all() as {
        sub_account_id: string | null;
      }[]
    ).map((row) => row.sub_account_id);
    expect(new Set(subAccounts)).toEqual(written);
    for (const id of subAccounts) expect(id).toMatch(GUID);
  });
});

describe('Azure EA usage details through the import (constructed file)', () => {
  const dir = tempDir('valdrix-ea-usage-');
  scratch.push(dir);
  const file = path.join(dir, 'ea-usage-details.csv');
  const GUIDS = ['1caaa5a3-2b66-438e-8ab4-bce37d518c5d', '64e355d7-997c-491d-b0c1-8414dccfcf42'];
  fs.writeFileSync(
    file,
    [
      'AccountId,AccountName,AccountOwnerEmail,DepartmentName,SubscriptionId,SubscriptionGuid,SubscriptionName,' +
        'Date,Product,MeterId,MeterCategory,MeterName,ConsumedQuantity,Cost,ResourceLocation,ConsumedService,' +
        'InstanceId,Tags,UnitOfMeasure,ResourceGroup',
      `123456,Contoso IT,it@contoso.example,IT,0,${GUIDS[0]},Prod,2023-09-04,VM D2,m1,Virtual Machines,D2,24,` +
        '2.4,EastUS,Microsoft.Compute,/subscriptions/x/vm1,,1 Hour,rg',
      `123456,Contoso IT,it@contoso.example,IT,0,${GUIDS[1]},Dev,2023-09-04,LRS,m2,Storage,LRS,10,` +
        '0.5,EastUS,Microsoft.Storage,/subscriptions/y/sa1,,1 GB/Month,rg',
    ].join('\n') + '\n',
  );

  it('without --currency, the import fails naming the layout and --currency', async () => {
    const { workspace, deps } = emptyWorkspace();
    opened.push(workspace);
    const failure = (await importCostFiles(deps, request(file)).then(
      () => null,
      (error: unknown) => error,
    )) as { code: string; message: string; details: { file?: string; line?: number | null } } | null;
    expect(failure).not.toBeNull();
    expect(failure!.code).toBe('IMPORT_FORMAT');
    expect(failure!.message).toMatch(/EA usage details have no currency column.*--currency/);
    // Refused at the header, before any row is read.
    expect(failure!.details).toMatchObject({ file, line: 1 });
  });

  it('with --currency: sub accounts are the GUIDs, the billing account is the enrollment account', async () => {
    const sqlite = await importInto([file], { currency: 'USD' });
    const rows = sqlite
      .prepare(
        `SELECT billing_account_id, billing_account_name, sub_account_id, service_category, currency
         FROM cost_line ORDER BY line_number`,
      )
      .all();
    expect(rows).toEqual([
      {
        billing_account_id: '123456',
        billing_account_name: 'Contoso IT',
        sub_account_id: GUIDS[0],
        service_category: 'Compute',
        currency: 'USD',
      },
      {
        billing_account_id: '123456',
        billing_account_name: 'Contoso IT',
        sub_account_id: GUIDS[1],
        service_category: 'Storage',
        currency: 'USD',
      },
    ]);
  });
});
