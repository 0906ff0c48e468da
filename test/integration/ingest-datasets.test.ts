/**
 * The public sample exports (../shared/datasets, see SOURCES.md) imported into fresh workspaces: the
 * import's totals and queryCosts' answers equal decimal sums computed here from the raw cells; header
 * variants land in the right fields; broken samples fail at the right line and column.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { importCostFiles, type ImportRequest, type ImportResult } from '../../electron/core/ingest/import';
import type { Sqlite } from '../../electron/core/store/database';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { decimalSum } from '../support/decimal';
import { DATASETS_SKIP_REASON, dataset, datasetsPresent, rawCsvRows } from '../support/ingest';
import {
  amountText,
  azureAmounts,
  azureDay,
  azureTags,
  curEffective,
  gcpCreditAmounts,
  sum,
  sumBy,
} from '../support/ingest-expected';
import {
  allCosts,
  count,
  disposeWorkspace,
  emptyWorkspace,
  request,
  snapshots,
  visibleLines,
} from '../support/ingest-store';
import { soleTotal } from '../support/costs';

const opened: Workspace[] = [];
afterAll(() => opened.forEach(disposeWorkspace));

/** Imports into a fresh workspace. */
async function importSample(
  paths: string | string[],
  overrides: Partial<ImportRequest> = {},
): Promise<{ result: ImportResult; sqlite: Sqlite; workspace: Workspace }> {
  const { workspace, deps } = emptyWorkspace();
  opened.push(workspace);
  const list = (Array.isArray(paths) ? paths : [paths]).map(dataset);
  const result = await importCostFiles(deps, request(list, overrides));
  return { result, sqlite: workspace.store.sqlite, workspace };
}

/** Expects an import into a fresh workspace to fail; returns the error. */
async function importFailure(
  paths: string | string[],
  overrides: Partial<ImportRequest> = {},
): Promise<{
  code: string;
  message: string;
  details: { file?: string; line?: number | null; column?: string | null };
}> {
  const { workspace, deps } = emptyWorkspace();
  opened.push(workspace);
  const list = (Array.isArray(paths) ? paths : [paths]).map(dataset);
  const error = await importCostFiles(deps, request(list, overrides)).then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error, 'the import should have failed').not.toBeNull();
  // Nothing of a failed import is visible.
  expect(count(workspace.store.sqlite, 'SELECT COUNT(*) FROM cost_snapshot')).toBe(0);
  return error as Awaited<ReturnType<typeof importFailure>>;
}

/** The import's totals and queryCosts' total both equal the expected sums, in one currency. */
function expectTotals(
  result: ImportResult,
  sqlite: Sqlite,
  expected: { billed: string; effective: string; currency: string },
) {
  expect(result.totals).toEqual([expected]);
  expect(soleTotal(allCosts(sqlite))).toEqual(expected);
}

const files = (dir: string, pattern: RegExp) =>
  fs
    .readdirSync(dataset(dir))
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => path.join(dir, name));

/** The 1-based physical lines of a text file that match. */
function linesMatching(file: string, pattern: RegExp): number[] {
  return fs
    .readFileSync(dataset(file), 'utf8')
    .split('\n')
    .flatMap((text, i) => (pattern.test(text) ? [i + 1] : []));
}

describe.skipIf(!datasetsPresent)(datasetsPresent ? 'sample datasets' : DATASETS_SKIP_REASON, () => {
  describe('FOCUS', () => {
    const FILE = 'focus-sample-data/FOCUS-1.0/focus_sample.csv';

    it('the FOCUS 1.0 sample: totals, per provider, per billing account and period', async () => {
      const rows = rawCsvRows(dataset(FILE));
      const { result, sqlite } = await importSample(FILE);
      expect(result.files).toMatchObject([{ format: 'focus', variant: 'FOCUS 1.0', rows: rows.length }]);
      expect(result).toMatchObject({ rowsRead: 1000, inserted: 1000, skippedCount: 0 });
      expectTotals(result, sqlite, {
        billed: sum(rows.map((r) => r.BilledCost)),
        effective: sum(rows.map((r) => r.EffectiveCost)),
        currency: 'USD',
      });

      // `valdrix costs --by provider`
      const billed = sumBy(
        rows,
        (r) => r.ProviderName!,
        (r) => r.BilledCost,
      );
      const effective = sumBy(
        rows,
        (r) => r.ProviderName!,
        (r) => r.EffectiveCost,
      );
      expect(allCosts(sqlite, ['provider']).rows).toEqual(
        Object.keys(billed).map((provider) => ({
          provider,
          billed: billed[provider],
          effective: effective[provider],
          currency: 'USD',
        })),
      );
      expect(Object.keys(billed)).toEqual(['AWS', 'Microsoft', 'Oracle']);

      // One snapshot per billing account and period, the Oracle row of October included.
      const scopes = sumBy(
        rows,
        (r) => `${r.BillingAccountId} ${r.BillingPeriodStart!.slice(0, 7)}`,
        (r) => r.BilledCost,
      );
      expect(
        Object.fromEntries(snapshots(sqlite).map((s) => [`${s.billingAccountId} ${s.billingPeriod}`, s.billed])),
      ).toEqual(scopes);
      expect(Object.keys(scopes)).toContain('20209880 2024-10');

      // Tags: JSON objects on 711 rows, NULL on the rest.
      const lines = visibleLines(sqlite);
      const tagged = rows.filter((r) => r.Tags !== 'NULL' && r.Tags !== '');
      expect(lines.filter((l) => Object.keys(l.tags).length > 0)).toHaveLength(tagged.length);
      expect(tagged).toHaveLength(711);
    });

    it('FOCUS spec commitment examples, with the currency given for files that have none', async () => {
      const flexibility = 'focus-spec/commitment_discount_flexibility';
      const failure = await importFailure(flexibility);
      expect(failure).toMatchObject({ code: 'IMPORT_FORMAT', details: { line: 1 } });
      expect(failure.message).toMatch(/BillingCurrency.*--currency/);

      const rows = files(flexibility, /\.csv$/).flatMap((file) => rawCsvRows(dataset(file)));
      const { result, sqlite } = await importSample(flexibility, { currency: 'USD' });
      expect(result.files).toHaveLength(4);
      expect(result.rowsRead).toBe(rows.length);
      expectTotals(result, sqlite, {
        billed: sum(rows.map((r) => r.BilledCost)),
        effective: sum(rows.map((r) => r.EffectiveCost)),
        currency: 'USD',
      });

      // The scenario folder has two rows with a 30 o'clock end time; skipping them imports the rest.
      const scenarios = 'focus-spec/commitment_discount_scenarios';
      const scenarioFiles = files(scenarios, /\.csv$/);
      const bad = scenarioFiles.flatMap((file) => linesMatching(file, /T30:00:00Z/).map((line) => ({ file, line })));
      expect(bad).toHaveLength(2);
      const good = scenarioFiles.flatMap((file) =>
        rawCsvRows(dataset(file)).filter((r) => !/T30:00:00Z/.test(r.ChargePeriodEnd!)),
      );
      const skipped = await importSample(scenarios, { currency: 'USD', skipBadRows: true });
      expect(skipped.result.skipped.map((s) => [s.file, s.line, s.column])).toEqual(
        bad.map(({ file, line }) => [dataset(file), line, 'ChargePeriodEnd']),
      );
      expectTotals(skipped.result, skipped.sqlite, {
        billed: sum(good.map((r) => r.BilledCost)),
        effective: sum(good.map((r) => r.EffectiveCost)),
        currency: 'USD',
      });
    });

    it('purchase scenario 3 fails at its invalid timestamp, and imports without it when skipping bad rows', async () => {
      const FILE3 = 'focus-spec/commitment_discount_scenarios/commitment_discount_purchase_scenario_3.csv';
      const [line, ...more] = linesMatching(FILE3, /T30:00:00Z/);
      expect(more).toEqual([]);
      const failure = await importFailure(FILE3, { currency: 'USD' });
      expect(failure).toMatchObject({
        code: 'IMPORT_FORMAT',
        details: { file: dataset(FILE3), line, column: 'ChargePeriodEnd' },
      });
      expect(failure.message).toContain(`${dataset(FILE3)}:${line} (column "ChargePeriodEnd")`);
      expect(failure.message).toContain('2023-02-01T30:00:00Z');

      const rows = rawCsvRows(dataset(FILE3)).filter((r) => !r.ChargePeriodEnd!.includes('T30:'));
      const { result, sqlite } = await importSample(FILE3, { currency: 'USD', skipBadRows: true });
      expect(result.skipped.map((s) => s.line)).toEqual([line]);
      expect(result.inserted).toBe(rows.length);
      expectTotals(result, sqlite, { billed: sum(rows.map((r) => r.BilledCost)), effective: '0', currency: 'USD' });
    });

    it('FOCUS spec corrections: totals per billing period, and the restated allocation of scenario 1', async () => {
      const folder = 'focus-spec/correction-handling-examples/closed-billing-period';
      const all = files(folder, /\.csv$/).flatMap((file) => rawCsvRows(dataset(file)));
      const { result, sqlite } = await importSample(folder, { currency: 'USD' });
      expect(result.files.map((f) => [f.format, f.variant])).toEqual(Array(5).fill(['focus', 'FOCUS 1.2']));
      expectTotals(result, sqlite, {
        billed: sum(all.map((r) => r.BilledCost)),
        effective: sum(all.map((r) => r.EffectiveCost)),
        currency: 'USD',
      });
      const perPeriod = sumBy(
        all,
        (r) => r.BillingPeriodStart!.slice(0, 7),
        (r) => r.BilledCost,
      );
      expect(Object.fromEntries(snapshots(sqlite).map((s) => [s.billingPeriod, s.billed]))).toEqual(perPeriod);

      // Original May charge plus the June ledger: R-111 = 1200, R-222 = 300, 1500 in all (SOURCES.md).
      const scenario = [
        `${folder}/scenario_1_partial_reallocation_original.csv`,
        `${folder}/scenario_1_partial_reallocation_ledger.csv`,
      ];
      const rows = scenario.flatMap((file) => rawCsvRows(dataset(file)));
      const ledger = await importSample(scenario, { currency: 'USD' });
      const byResource = sumBy(
        rows,
        (r) => r.ResourceId!,
        (r) => r.BilledCost,
      );
      expect(byResource).toEqual({ 'R-111': '1200', 'R-222': '300' });
      expect(allCosts(ledger.sqlite, ['resource']).rows.map((r) => [r.resource, r.billed])).toEqual(
        Object.entries(byResource),
      );
      expect(soleTotal(allCosts(ledger.sqlite)).billed).toBe('1500');
    });
  });

  describe('AWS CUR', () => {
    const curColumns = (row: Record<string, string>) => {
      const pick = (legacy: string, snake: string) => (row[legacy] ?? row[snake] ?? '').trim();
      return {
        unblended: pick('lineItem/UnblendedCost', 'line_item_unblended_cost'),
        type: pick('lineItem/LineItemType', 'line_item_line_item_type'),
        period: pick('bill/BillingPeriodStartDate', 'bill_billing_period_start_date').slice(0, 7),
        payer: pick('bill/PayerAccountId', 'bill_payer_account_id'),
        currency: pick('lineItem/CurrencyCode', 'line_item_currency_code') || 'USD',
        start: pick('lineItem/UsageStartDate', 'line_item_usage_start_date'),
      };
    };

    it('focus-converters CUR: UnblendedCost total, one snapshot', async () => {
      const FILE = 'focus-converters/aws/sample-anonymous-aws-export-dataset.csv';
      const rows = rawCsvRows(dataset(FILE));
      const { result, sqlite } = await importSample(FILE);
      expect(result.files).toMatchObject([{ format: 'cur', variant: 'AWS CUR (legacy)', rows: 1281 }]);
      const billed = sum(rows.map((r) => r['lineItem/UnblendedCost']));
      expectTotals(result, sqlite, { billed, effective: billed, currency: 'USD' });
      expect(allCosts(sqlite, ['charge_category']).rows.map((r) => [r.charge_category, r.billed])).toEqual(
        Object.entries(
          sumBy(
            rows,
            (r) => (r['lineItem/LineItemType'] === 'Tax' ? 'Tax' : 'Usage'),
            (r) => r['lineItem/UnblendedCost'],
          ),
        ),
      );
    });

    it('koku CUR files: per currency, per snapshot, and koku-local’s three billing periods', async () => {
      const csvs = files('koku/aws', /\.csv$/);
      const local = 'koku/aws/local_bucket_20180801-20180901';
      const paths = [...csvs, local];
      const localFile = `${local}/koku-local-1.csv.gz`;
      const rows = [...csvs, localFile]
        .flatMap((file) => rawCsvRows(dataset(file)).map((row) => ({ file, row, ...curColumns(row) })))
        // The one garbage row of November-2023-None.csv (no usage start) is skipped and named.
        .filter((r) => r.start !== '');
      const { result, sqlite } = await importSample(paths, { skipBadRows: true });
      expect(result.files.map((f) => path.basename(f.path)).sort()).toEqual(
        [...csvs, localFile].map((f) => path.basename(f)).sort(),
      );
      expect(result.files.every((f) => f.format === 'cur')).toBe(true);
      expect(result.skipped.map((s) => [path.basename(s.file), s.line, s.column])).toEqual([
        ['November-2023-None.csv', 7, 'lineItem/UsageStartDate'],
      ]);
      expect(result.inserted).toBe(rows.length);

      const effective = (r: (typeof rows)[number]) => curEffective(r.row, r.unblended, r.type);
      const billedByCurrency = sumBy(
        rows,
        (r) => r.currency,
        (r) => r.unblended,
      );
      const effectiveByCurrency = sumBy(rows, (r) => r.currency, effective);
      expect(Object.keys(billedByCurrency)).toEqual(['NOK', 'USD']);
      const expectedByCurrency = Object.keys(billedByCurrency).map((currency) => ({
        currency,
        billed: billedByCurrency[currency],
        effective: effectiveByCurrency[currency],
      }));
      expect(result.totals).toEqual(expectedByCurrency);
      expect(allCosts(sqlite).totals).toEqual(expectedByCurrency);

      const scopes = sumBy(
        rows,
        (r) => `${r.payer} ${r.period}`,
        (r) => r.unblended,
      );
      expect(
        Object.fromEntries(snapshots(sqlite).map((s) => [`${s.billingAccountId} ${s.billingPeriod}`, s.billed])),
      ).toEqual(scopes);

      // koku-local-1.csv.gz: 3,300 + 9,304 + 776 lines in 2018-06, -07 and -08, each with its raw total.
      const localRows = rows.filter((r) => r.file === localFile);
      const localSnapshots = snapshots(sqlite).filter((s) => s.billingAccountId === localRows[0]!.payer);
      expect(localSnapshots.map((s) => [s.billingPeriod, s.lineCount, s.billed])).toEqual(
        Object.entries(
          sumBy(
            localRows,
            (r) => r.period,
            (r) => r.unblended,
          ),
        ).map(([period, billed]) => [period, localRows.filter((r) => r.period === period).length, billed]),
      );
      expect(localSnapshots.map((s) => s.lineCount)).toEqual([3300, 9304, 776]);
      const byMonth = allCosts(sqlite, ['billing_account', 'month'], {
        filters: { billing_account: [localRows[0]!.payer] },
      });
      expect(byMonth.rows.map((r) => [r.month, r.billed])).toEqual(
        Object.entries(
          sumBy(
            localRows,
            (r) => r.start.slice(0, 7),
            (r) => r.unblended,
          ),
        ),
      );
    });

    it('keboola CUR 1.0 and 2.0 folders: the manifest is read, not imported, and its data file is', async () => {
      for (const [folder, format] of [
        ['keboola-cur-mock/cur_1_0', 'cur'],
        ['keboola-cur-mock/cur_2_0', 'cur2'],
      ] as const) {
        const data = files(folder, /\.csv(\.gz)?$/);
        expect(data).toHaveLength(1);
        const rows = rawCsvRows(dataset(data[0]!)).map(curColumns);
        const { result, sqlite } = await importSample(folder);
        expect(result.files.map((f) => [f.path, f.format, f.rows])).toEqual([[dataset(data[0]!), format, rows.length]]);
        const billed = sum(rows.map((r) => r.unblended));
        expectTotals(result, sqlite, { billed, effective: billed, currency: 'USD' });
        expect(snapshots(sqlite).map((s) => s.billingPeriod)).toEqual([...new Set(rows.map((r) => r.period))]);
      }
    });

    // A manifest chooses only among the files of its own folder: the koku-local manifest in a subfolder
    // must not hide the five CSV exports beside that subfolder.
    it('importing the koku/aws folder reads all six exports, not only the one its subfolder’s manifest names', async () => {
      const { result } = await importSample('koku/aws', { skipBadRows: true });
      expect(result.files.map((f) => path.basename(f.path)).sort()).toEqual([
        '2022-07-01-alt-columns.csv',
        '2023-06-01.csv',
        'November-2023-None.csv',
        'October-2019-local_bucket.csv',
        'koku-local-1.csv.gz',
        'test_cur.csv',
      ]);
    });
  });

  describe('Azure', () => {
    it('focus-converters EA export in CAD', async () => {
      const FILE = 'focus-converters/azure/sample-anonymous-ea-export-dataset.csv';
      const rows = rawCsvRows(dataset(FILE));
      const { result, sqlite } = await importSample(FILE);
      const amounts = rows.map((r) =>
        azureAmounts(r, { cost: 'CostInBillingCurrency', chargeType: 'ChargeType', pricingModel: 'PricingModel' }),
      );
      expectTotals(result, sqlite, {
        billed: decimalSum(amounts.map((a) => a.billed)),
        effective: decimalSum(amounts.map((a) => a.effective)),
        currency: 'CAD',
      });
      expect(soleTotal(result).billed).toBe(sum(rows.map((r) => r.CostInBillingCurrency)));
    });

    it('finops-toolkit EA actual and amortized cost: commitment rows follow the billed/effective rule', async () => {
      const columns = { cost: 'Cost', chargeType: 'ChargeType', pricingModel: 'PricingModel' };
      for (const FILE of [
        'finops-toolkit/azure-ea/EA_ActualCost_Small.csv',
        'finops-toolkit/azure-ea/EA_AmortizedCost_Small.csv',
      ]) {
        const rows = rawCsvRows(dataset(FILE));
        const amounts = rows.map((r) => azureAmounts(r, columns));
        const { result, sqlite } = await importSample(FILE);
        expect(result.rowsRead).toBe(rows.length);
        expectTotals(result, sqlite, {
          billed: decimalSum(amounts.map((a) => a.billed)),
          effective: decimalSum(amounts.map((a) => a.effective)),
          currency: 'USD',
        });
        // The rule matters in both files: covered usage (amortized) or the purchase (actual) moves an amount.
        expect(soleTotal(result).billed).not.toBe(soleTotal(result).effective);
        const committed = rows.filter((r) => /^(Reservation|SavingsPlan)$/.test(r.PricingModel!));
        expect(committed.length).toBeGreaterThan(0);
        expect(result.files[0]!.variant).toMatch(/^Azure EA cost details/);
      }
      // The upstream oracle: 11 + 28 rows.
      expect(rawCsvRows(dataset('finops-toolkit/azure-ea/EA_ActualCost_Small.csv'))).toHaveLength(11);
      expect(rawCsvRows(dataset('finops-toolkit/azure-ea/EA_AmortizedCost_Small.csv'))).toHaveLength(28);

      const empty = await importSample('finops-toolkit/azure-ea/EA_NoRows.csv');
      expect(empty.result).toMatchObject({ rowsRead: 0, inserted: 0, snapshots: [] });
      expect(allCosts(empty.sqlite).rows).toEqual([]);
    });

    // The Azure mapper learns the view ("…, actual cost" / "…, amortized cost") from the rows, so the import
    // reports the variant after reading the file, not the one detection saw.
    it('the import names which Azure view (actual or amortized cost) each EA file is', async () => {
      const actual = await importSample('finops-toolkit/azure-ea/EA_ActualCost_Small.csv');
      expect(actual.result.files[0]!.variant).toBe('Azure EA cost details, actual cost');
      const amortized = await importSample('finops-toolkit/azure-ea/EA_AmortizedCost_Small.csv');
      expect(amortized.result.files[0]!.variant).toBe('Azure EA cost details, amortized cost');
    });

    it('koku Azure exports (MCA camelCase, legacy pay-as-you-go with and without BOM)', async () => {
      const samples = [
        { file: 'koku/azure/camel_azure_version_2.csv', cost: 'costInBillingCurrency', chargeType: 'chargeType' },
        { file: 'koku/azure/azure_camelCased.csv', cost: 'preTaxCost' },
        { file: 'koku/azure/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv', cost: 'PreTaxCost' },
      ];
      const amounts = samples.flatMap((s) => rawCsvRows(dataset(s.file)).map((r) => azureAmounts(r, s)));
      const { result, sqlite } = await importSample(
        samples.map((s) => s.file),
        { currency: 'USD' },
      );
      expect(result.rowsRead).toBe(amounts.length);
      expectTotals(result, sqlite, {
        billed: decimalSum(amounts.map((a) => a.billed)),
        effective: decimalSum(amounts.map((a) => a.effective)),
        currency: 'USD',
      });
    });

    it('opencost values need a currency; their cost, list cost and tags land where the upstream oracle says', async () => {
      const folder = 'opencost/azure-billingexports/values';
      const failure = await importFailure(folder);
      expect(failure).toMatchObject({ code: 'IMPORT_FORMAT', details: { line: 1 } });
      expect(failure.message).toMatch(/--currency/);

      const rows = files(folder, /\.csv$/).flatMap((file) => rawCsvRows(dataset(file)));
      const { result, sqlite } = await importSample(folder, { currency: 'USD' });
      const billed = sum(rows.map((r) => r.costinbillingcurrency));
      expectTotals(result, sqlite, { billed, effective: billed, currency: 'USD' });

      const lines = visibleLines(sqlite);
      for (const file of ['VirtualMachine.csv', 'MissingBrackets.csv']) {
        const [line, ...rest] = lines.filter((l) => l.fileName === file);
        expect(rest).toEqual([]);
        // storagebillingparser_test.go: Cost 5 (payg), NetCost 4, 2021-02-01, three tag keys.
        expect(line).toMatchObject({ billed: '4', effective: '4', list: '5', chargeDay: '2021-02-01' });
        expect(Object.keys(line!.tags).sort()).toEqual(['aksEngineVersion', 'creationSource', 'resourceNameSuffix']);
      }
      const template = rawCsvRows(dataset(`${folder}/Template.csv`));
      const templateLines = lines.filter((l) => l.fileName === 'Template.csv');
      expect(templateLines.filter((l) => Object.keys(l.tags).length > 0)).toHaveLength(
        template.filter((r) => r.Tags!.trim() !== '').length,
      );
      expect(sum(templateLines.map((l) => l.list))).toBe(sum(template.map((r) => r.paygcostinbillingcurrency)));
    });

    it('opencost header sets (German, BOM, YA, Enterprise, EnterpriseCamel, PayAsYouGo) map the right columns', async () => {
      // 0-based positions from opencost's billingexportparser_test.go.
      const PAYG = { subscription: 0, date: 3, meterCategory: 4, cost: 11, instance: 14, tags: 15 };
      const layouts: Record<string, typeof PAYG> = {
        'PayAsYouGo.csv': PAYG,
        'German.csv': PAYG,
        'BOM.csv': PAYG,
        'YA.csv': PAYG,
        'Enterprise.csv': { subscription: 3, date: 7, meterCategory: 9, cost: 17, instance: 20, tags: 21 },
        'EnterpriseCamel.csv': { subscription: 23, date: 11, meterCategory: 18, cost: 38, instance: 29, tags: 45 },
      };
      for (const [name, at] of Object.entries(layouts)) {
        const file = `opencost/azure-billingexports/headersets/${name}`;
        const [header, ...records] = parseCsv(fs.readFileSync(dataset(file)), {
          bom: true,
          relax_column_count: true,
        }) as string[][];
        expect(records, name).toHaveLength(1);
        const raw = records[0]!;
        const cell = (position: number) => (raw[position] ?? '').trim();
        const currencyColumn = header!.findIndex((h) => /^(BillingCurrency(Code)?|Currency)$/i.test(h.trim()));
        const { result, sqlite } = await importSample(file, { currency: 'USD' });
        expect(result.files[0]!.format, name).toBe('azure');
        const [line, ...rest] = visibleLines(sqlite);
        expect(rest).toEqual([]);
        expect(line, name).toMatchObject({
          subAccountId: cell(at.subscription) || null,
          serviceName: cell(at.meterCategory) || '(unspecified)',
          resourceId: cell(at.instance) || null,
          chargeDay: azureDay(cell(at.date)),
          billed: amountText(cell(at.cost)),
          currency: cell(currencyColumn) || 'USD',
          tags: azureTags(cell(at.tags)),
        });
      }
      // The files themselves: localised headers are recognised as such, and the Enterprise tags are brace-less.
      const german = await importSample('opencost/azure-billingexports/headersets/German.csv');
      expect(german.result.files[0]!.variant).toMatch(/German headers/);
      expect(visibleLines(german.sqlite)[0]!.subAccountId).toBe('11111111-12ab-34dc-56ef-123456abcdef');
      const enterprise = await importSample('opencost/azure-billingexports/headersets/Enterprise.csv');
      expect(visibleLines(enterprise.sqlite)[0]!.tags).toMatchObject({
        poolName: 'defaultpool',
        orchestrator: 'Kubernetes:1.19.9',
      });
      expect(soleTotal(enterprise.result).currency).toBe('CAD');
    });
  });

  describe('Google Cloud', () => {
    it('koku BigQuery CSVs: billed = cost + credits, per invoice month', async () => {
      const csvs = files('koku/gcp', /\.csv$/);
      const rows = csvs.flatMap((file) => rawCsvRows(dataset(file)));
      const rowTotal = (r: Record<string, string>) => [amountText(r.cost), ...gcpCreditAmounts(r.credits)];
      const { result, sqlite } = await importSample('koku/gcp');
      expect(result.files.map((f) => [path.basename(f.path), f.format])).toEqual(
        csvs.map((file) => [path.basename(file), 'gcp']),
      );
      const billed = decimalSum(rows.flatMap(rowTotal));
      expectTotals(result, sqlite, { billed, effective: billed, currency: 'USD' });
      const credits = rows.flatMap((r) => gcpCreditAmounts(r.credits));
      expect(credits.length).toBeGreaterThan(0);
      // Credits are their own lines: the Credit category holds exactly the raw credits.
      expect(allCosts(sqlite, ['charge_category']).rows.map((r) => [r.charge_category, r.billed])).toEqual([
        ['Credit', decimalSum(credits)],
        ['Usage', sum(rows.map((r) => r.cost))],
      ]);
      const scopes: Record<string, string[]> = {};
      for (const r of rows) {
        const key = `${r.billing_account_id} ${r['invoice.month']!.slice(0, 4)}-${r['invoice.month']!.slice(4)}`;
        (scopes[key] ??= []).push(...rowTotal(r));
      }
      expect(
        Object.fromEntries(snapshots(sqlite).map((s) => [`${s.billingAccountId} ${s.billingPeriod}`, s.billed])),
      ).toEqual(
        Object.fromEntries(
          Object.keys(scopes)
            .sort()
            .map((key) => [key, decimalSum(scopes[key]!)]),
        ),
      );
      // 2024-03-01_5.csv spans two invoice months.
      expect(Object.keys(scopes).filter((key) => key.endsWith('2024-02') || key.endsWith('2024-03'))).toHaveLength(2);
    });

    // docs/cli.md: rows and rowsRead count source records; inserted… count normalized lines (a011650 counted
    // lines in both).
    it('rowsRead and files[].rows count the rows of the files, not the credit lines made from them', async () => {
      const rows = files('koku/gcp', /\.csv$/).flatMap((file) => rawCsvRows(dataset(file)));
      const credits = rows.flatMap((r) => gcpCreditAmounts(r.credits));
      const { result } = await importSample('koku/gcp');
      expect(result.inserted).toBe(rows.length + credits.length);
      expect(result.rowsRead).toBe(rows.length);
      expect(result.files.map((f) => f.rows)).toEqual(
        files('koku/gcp', /\.csv$/).map((file) => rawCsvRows(dataset(file)).length),
      );
    });

    it('the legacy JSON file export folder: 105 files (two empty), per month, and the upstream oracle', async () => {
      const folder = 'gcp-legacy-billing-export/exports';
      const names = files(folder, /\.json$/);
      expect(names).toHaveLength(105);
      type Item = {
        startTime: string;
        projectNumber?: string;
        lineItemId: string;
        cost: { amount: string; currency: string };
      };
      const items = names.flatMap((file) =>
        (JSON.parse(fs.readFileSync(dataset(file), 'utf8')) as Item[]).map((item) => ({ file, item })),
      );
      const emptyFiles = names.filter((file) => !items.some((i) => i.file === file));
      expect(emptyFiles.map((f) => path.basename(f))).toEqual([
        'analytics-bigquery-demo-2014-01-06.json',
        'analytics-bigquery-demo-2014-01-07.json',
      ]);

      const { result, sqlite } = await importSample(folder);
      expect(result.files).toHaveLength(105);
      expect(
        result.files
          .filter((f) => f.rows === 0)
          .map((f) => f.path)
          .sort(),
      ).toEqual(emptyFiles.map(dataset));
      expect(result.rowsRead).toBe(items.length);
      expect(items).toHaveLength(1973);
      const billed = decimalSum(items.map((i) => i.item.cost.amount));
      expectTotals(result, sqlite, { billed, effective: billed, currency: 'USD' });
      expect(allCosts(sqlite, ['month']).rows.map((r) => [r.month, r.billed])).toEqual(
        Object.entries(
          sumBy(
            items,
            (i) => i.item.startTime.slice(0, 7),
            (i) => i.item.cost.amount,
          ),
        ),
      );

      // test.py's oracle: Compute Engine in google-platform-demo-2014-02-03.json (usage 2014-02-02).
      const file = `${folder}/google-platform-demo-2014-02-03.json`;
      const fileItems = items.filter((i) => i.file === file);
      const compute = fileItems.filter((i) => i.item.lineItemId.includes('/compute-engine/'));
      expect(decimalSum(compute.map((i) => i.item.cost.amount))).toBe('167.330166');
      const answer = allCosts(sqlite, ['service'], {
        from: '2014-02-02',
        to: '2014-02-02',
        filters: { service: ['Compute Engine'], sub_account: [fileItems[0]!.item.projectNumber!] },
      });
      expect(soleTotal(answer).billed).toBe('167.330166');
    });
  });

  describe('broken samples', () => {
    it('koku November-2023-None.csv fails at line 7; skipping imports the other 25 rows', async () => {
      const FILE = 'koku/aws/November-2023-None.csv';
      const failure = await importFailure(FILE);
      expect(failure).toMatchObject({
        code: 'IMPORT_FORMAT',
        details: { file: dataset(FILE), line: 7, column: 'lineItem/UsageStartDate' },
      });
      expect(failure.message).toContain(`${dataset(FILE)}:7 (column "lineItem/UsageStartDate")`);

      const rows = rawCsvRows(dataset(FILE)).filter((r) => r['lineItem/UsageStartDate'] !== '');
      const { result, sqlite } = await importSample(FILE, { skipBadRows: true });
      expect(result.skipped).toEqual([
        {
          file: dataset(FILE),
          line: 7,
          column: 'lineItem/UsageStartDate',
          message: expect.stringContaining('empty') as string,
        },
      ]);
      expect(result).toMatchObject({ rowsRead: 26, inserted: 25, skippedCount: 1 });
      expectTotals(result, sqlite, {
        billed: sum(rows.map((r) => r['lineItem/UnblendedCost'])),
        effective: decimalSum(
          rows.map((r) => curEffective(r, r['lineItem/UnblendedCost']!, r['lineItem/LineItemType']!)),
        ),
        currency: 'USD',
      });
      expect(visibleLines(sqlite).map((l) => l.lineNumber)).not.toContain(7);
    });

    it('koku azure_version_2.csv fails at line 2 on its currency "MC", with or without a default currency', async () => {
      const FILE = 'koku/azure/azure_version_2.csv';
      for (const overrides of [{}, { currency: 'USD' }]) {
        const failure = await importFailure(FILE, overrides);
        expect(failure).toMatchObject({
          code: 'IMPORT_FORMAT',
          details: { file: dataset(FILE), line: 2, column: 'BillingCurrencyCode' },
        });
        expect(failure.message).toMatch(/not a currency code: "MC"/);
      }
      // The whole koku/azure folder is all or nothing.
      const folder = await importFailure('koku/azure');
      expect(folder.details).toMatchObject({ file: dataset(FILE), line: 2 });
    });

    it('focus-validator samples are refused as not FOCUS (or not any format) at their header', async () => {
      const samples = files('focus-validator/tests-samples', /\.(csv|parquet)$/);
      expect(samples).toHaveLength(9);
      for (const file of samples) {
        const failure = await importFailure(file);
        expect(failure, file).toMatchObject({ code: 'IMPORT_FORMAT', details: { file: dataset(file), line: 1 } });
        if (file.endsWith('all_pass_0.5.csv')) {
          // FOCUS 0.5 called it ChargeType: detected as FOCUS, refused for the 1.x column it lacks.
          expect(failure.message).toMatch(/missing required column "ChargeCategory"/);
        } else {
          // Fragments of a header (ChargeType, InvoiceIssuer, x_foo, F:ChargeType…): no format is claimed.
          expect(failure.message, file).toMatch(/unknown format/);
        }
        // Forcing FOCUS names the first FOCUS column the file lacks instead.
        const forced = await importFailure(file, { format: 'focus' });
        expect(forced.message, file).toMatch(/missing required column "(BilledCost|ChargePeriodStart|ChargeCategory)"/);
      }
    });
  });
});
