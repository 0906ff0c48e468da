import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { formatExact, parseExact } from '../../shared/exact';
import { REPO_ROOT, runCli } from '../support/cli';
import { chooseImportFile, serveNewWorkspace, stopServe } from '../support/e2e';
import { tempDir } from '../support/workspace';

const AS_OF = '2026-11-21';
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

let server: ChildProcessWithoutNullStreams;
let url: string;
let filesDir: string;
let workspaceDir: string;

interface FocusRow {
  account: string;
  day: string;
  service: string;
  resource: string;
  billed: string;
  effective: string;
}

const HEADER = [
  'BillingAccountId',
  'BillingPeriodStart',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'BillingCurrency',
  'ServiceName',
  'ServiceProviderName',
  'RegionId',
  'ResourceId',
  'BilledCost',
  'EffectiveCost',
];

/** Amounts finer than nano-units on purpose: the UI must show them to the last digit. */
const ROWS: FocusRow[] = [
  {
    account: 'acct-e2e',
    day: '2026-10-05',
    service: 'Compute',
    resource: 'i-0a1',
    billed: '12.345678901234567891',
    effective: '10.1',
  },
  { account: 'acct-e2e', day: '2026-10-05', service: 'Storage', resource: 'vol-1', billed: '3.5', effective: '3.5' },
  {
    account: 'acct-e2e',
    day: '2026-10-06',
    service: 'Compute',
    resource: 'i-0a1',
    billed: '0.000000000000000001',
    effective: '0',
  },
  { account: 'acct-e2e', day: '2026-10-06', service: 'Database', resource: 'db-1', billed: '7.25', effective: '7' },
];

function focusCsv(rows: readonly FocusRow[]): string {
  const lines = rows.map((r) => {
    const next = new Date(`${r.day}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return [
      r.account,
      `${r.day.slice(0, 7)}-01T00:00:00Z`,
      `${r.day}T00:00:00Z`,
      next.toISOString().replace('.000Z', 'Z'),
      'Usage',
      'USD',
      r.service,
      'aws',
      'us-east-1',
      r.resource,
      r.billed,
      r.effective,
    ].join(',');
  });
  return `${[HEADER.join(','), ...lines].join('\n')}\n`;
}

/** The expected total, computed here with exact integer arithmetic (independent of the app). */
function billedTotal(rows: readonly FocusRow[], predicate: (row: FocusRow) => boolean = () => true): string {
  return formatExact(rows.filter(predicate).reduce((sum, row) => sum + parseExact(row.billed), 0n));
}

function writeFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(filesDir, 'batch-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test.beforeAll(async () => {
  workspaceDir = tempDir('valdrix-e2e-import-');
  filesDir = tempDir('valdrix-e2e-import-files-');
  ({ server, url } = await serveNewWorkspace(workspaceDir, { VALDRIX_NOW: AS_OF }));
});

/** serve must exit on SIGTERM after running import jobs (each runs in a worker thread); it is killed if not. */
const STOP_GRACE_MS = 20_000;

test.afterAll(async () => {
  if (!server) return;
  const code = await stopServe(server, STOP_GRACE_MS);
  expect(code, `valdrix serve did not exit within ${STOP_GRACE_MS / 1000} s of SIGTERM after an import`).toBe(0);
});

/** Chooses one file on the Import screen, waits for its detected format and imports it; returns the result. */
async function importFile(page: Page, file: string) {
  await chooseImportFile(page, file);
  const detected = page.getByTestId('import-detected-row');
  await expect(detected).toHaveCount(1);
  await expect(detected.getByTestId('import-detected-format')).toHaveText('FOCUS');
  await page.getByTestId('import-start').click();
}

test('a FOCUS file imported from the UI shows exact totals, lineage, restatements and alerts', async ({ page }) => {
  const total = billedTotal(ROWS);
  const computeTotal = billedTotal(ROWS, (r) => r.service === 'Compute');
  const first = writeFile('focus.csv', focusCsv(ROWS));

  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();

  // Import: the empty workspace lists no runs yet.
  await page.getByTestId('nav-import').click();
  await expect(page.getByTestId('import-runs')).toContainText('Nothing imported yet');
  await importFile(page, first);

  const result = page.getByTestId('import-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  const firstRunId = await result.getAttribute('data-run-id');
  await expect(page.getByTestId('import-total-billed')).toHaveAttribute('data-amount', total);
  // Shown to the cent (half-even), exact in data-amount and on hover.
  await expect(page.getByTestId('import-total-billed')).toHaveText('$23.10');
  await expect(page.getByTestId('import-stat-rows-read')).toHaveAttribute('data-value', '4');
  await expect(page.getByTestId('import-stat-inserted')).toHaveAttribute('data-value', '4');
  await expect(page.getByTestId('import-stat-restated')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('import-snapshot')).toHaveAttribute('data-status', 'new');
  await expect(page.locator(`[data-testid="import-run"][data-run-id="${firstRunId}"]`)).toHaveAttribute(
    'data-status',
    'succeeded',
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-result.png'), fullPage: true });

  // Cost explorer, grouped by service: the core's total, exact to the 18th decimal.
  await page.getByTestId('nav-explorer').click();
  await expect(page.getByTestId('explorer-group-by')).toHaveValue('service');
  await expect(page.getByTestId('explorer-total')).toHaveAttribute('data-amount', total);
  // Tables and totals show the cent (half to even); the exact figure is the attribute and the tooltip.
  await expect(page.getByTestId('explorer-total')).toHaveText('$23.10');
  await expect(page.getByTestId('cost-total-billed')).toHaveAttribute('data-amount', total);
  await expect(page.getByTestId('cost-row')).toHaveCount(3);
  const compute = page.locator('[data-testid="cost-row"][data-label="Compute"]');
  await expect(compute.getByTestId('cost-row-billed')).toHaveAttribute('data-amount', computeTotal);
  await expect(page.getByTestId('cost-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'explorer-by-service.png'), fullPage: true });

  // Drill into Compute: its two lines, each traced to its file and line.
  await compute.getByTestId('cost-row-open').click();
  const drawer = page.getByTestId('cost-lines-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId('drill-billed')).toHaveAttribute('data-amount', computeTotal);
  const lines = drawer.getByTestId('cost-line');
  await expect(lines).toHaveCount(2);
  await expect(drawer.getByTestId('cost-line-location')).toHaveText(['focus.csv:2', 'focus.csv:4']);
  await expect(lines.first()).toHaveAttribute('data-current', 'true');
  await expect(lines.first().getByTestId('cost-line-billed')).toHaveAttribute('data-amount', ROWS[0]!.billed);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'explorer-lines.png') });
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);

  // A click on a bar filters to it; clearing the filter brings the whole answer back.
  await page.getByTestId('cost-chart').locator('.recharts-bar-rectangle').first().click();
  await expect(page.getByTestId('explorer-filter')).toHaveCount(1);
  await expect(page.getByTestId('cost-row')).toHaveCount(1);
  await page.getByTestId('explorer-filters-clear').click();
  await expect(page.getByTestId('cost-row')).toHaveCount(3);

  // CSV export: a download with the exact amounts.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('explorer-export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^valdrix-costs-.*\.csv$/);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('service,currency,billed,effective');
  expect(csv).toContain(`Compute,USD,${computeTotal},`);

  // Import a later copy in which one amount changed by more than the alert minimum (1.00): a restatement
  // and the run's alert.
  const restatedRows = ROWS.map((r) => (r.service === 'Storage' ? { ...r, billed: '5.25' } : r));
  const restatedTotal = billedTotal(restatedRows);
  const second = writeFile('focus-restated.csv', focusCsv(restatedRows));
  await importFile(page, second);
  const restatedResult = page.locator('[data-testid="import-result"]');
  await expect(restatedResult).toBeVisible({ timeout: 30_000 });
  await expect(restatedResult).not.toHaveAttribute('data-run-id', firstRunId!);
  await expect(page.getByTestId('import-total-billed')).toHaveAttribute('data-amount', restatedTotal);
  await expect(page.getByTestId('import-stat-restated')).toHaveAttribute('data-value', '1');
  await expect(page.getByTestId('import-stat-updated')).toHaveAttribute('data-value', '1');
  await expect(page.getByTestId('import-snapshot')).toHaveAttribute('data-status', 'replaced');
  await expect(page.getByTestId('import-restated')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-restated.png'), fullPage: true });

  // The restatement, old → new exact, with both lines behind it.
  await page.getByTestId('import-view-restatements').click();
  const row = page.getByTestId('restatement-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-kind', 'changed');
  await expect(row.getByTestId('restatement-kind')).toHaveText('Changed');
  await expect(row.getByTestId('restatement-billed')).toHaveAttribute('data-old', '3.5');
  await expect(row.getByTestId('restatement-billed')).toHaveAttribute('data-new', '5.25');
  await expect(row.getByTestId('restatement-billed')).toContainText('$3.50');
  await expect(row.getByTestId('restatement-billed')).toContainText('$5.25');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'restatements.png'), fullPage: true });
  await row.getByTestId('restatement-lines').click();
  const restatedDrawer = page.getByTestId('cost-lines-drawer');
  await expect(restatedDrawer.getByTestId('cost-line')).toHaveCount(2);
  await expect(restatedDrawer.locator('[data-testid="cost-line"][data-current="false"]')).toHaveAttribute(
    'data-file',
    'focus.csv',
  );
  await expect(restatedDrawer.locator('[data-testid="cost-line"][data-current="true"]')).toHaveAttribute(
    'data-file',
    'focus-restated.csv',
  );
  await expect(restatedDrawer.getByTestId('cost-line-location')).toHaveText(['focus.csv:3', 'focus-restated.csv:3']);
  await page.keyboard.press('Escape');

  // One alert for the run: its cell count, net change and largest cells (old, new, percent), each
  // linking to the explorer narrowed to that cell.
  await page.getByTestId('restatements-tab-alerts').click();
  const alert = page.getByTestId('restatement-alert');
  await expect(alert).toHaveCount(1);
  await expect(alert.getByTestId('run-alert')).toHaveAttribute('data-cells', '1');
  await expect(alert.getByTestId('run-alert-net')).toHaveAttribute('data-amount', '1.75');
  const cell = alert.getByTestId('restatement-alert-cell');
  await expect(cell).toHaveAttribute('data-service', 'Storage');
  await expect(cell).toHaveAttribute('data-day', '2026-10-05');
  await expect(cell.getByTestId('alert-amounts')).toHaveAttribute('data-old', '3.5');
  await expect(cell.getByTestId('alert-amounts')).toHaveAttribute('data-new', '5.25');
  await expect(cell.getByTestId('alert-percent')).toHaveAttribute('data-percent', '50');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'restatement-alerts.png'), fullPage: true });
  await alert.getByTestId('alert-open-explorer').click();
  await expect(page.getByTestId('explorer-filter')).toHaveCount(2);
  await expect(page.getByTestId('explorer-from')).toHaveValue('2026-10-05');
  await expect(page.getByTestId('explorer-total')).toHaveAttribute('data-amount', '5.25');

  // Without the filters and dates, the explorer's total is the restated file's total.
  await page.getByTestId('explorer-filters-clear').click();
  await page.getByTestId('explorer-range-all').click();
  await expect(page.getByTestId('explorer-total')).toHaveAttribute('data-amount', restatedTotal);
});

test('a bad row stops the import at its file, line and column; skipping it imports the rest', async ({ page }) => {
  const rows: FocusRow[] = [
    { account: 'acct-bad', day: '2026-10-07', service: 'Queue', resource: 'q-1', billed: '1.1', effective: '1.1' },
    { account: 'acct-bad', day: '2026-10-07', service: 'Queue', resource: 'q-2', billed: 'abc', effective: '1' },
    { account: 'acct-bad', day: '2026-10-08', service: 'Queue', resource: 'q-1', billed: '2.2', effective: '2.2' },
  ];
  const file = writeFile('bad-rows.csv', focusCsv(rows));
  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();

  await importFile(page, file);
  const failed = page.getByTestId('import-error');
  await expect(failed).toBeVisible({ timeout: 30_000 });
  await expect(failed.getByTestId('import-error-file')).toHaveText('bad-rows.csv');
  await expect(failed.getByTestId('import-error-line')).toHaveText('3');
  await expect(failed.getByTestId('import-error-column')).toHaveText('BilledCost');
  await expect(failed.getByTestId('import-error-summary')).toHaveText(/^Failed: Line 3, column BilledCost: .+/);
  await expect(failed.getByTestId('import-error-advice')).toContainText('Fix the row in the file');
  // Finance screens say what happened in words: no codes, no internal upload folders, no "Dead".
  const panel = page.getByTestId('import-job');
  await expect(panel).not.toContainText('IMPORT_FORMAT');
  await expect(panel).not.toContainText('uploads');
  // Nor anywhere else on the screen: the chosen file and the detected row name it, not its upload folder.
  await expect(page.getByTestId('app-shell')).not.toContainText('/uploads/');
  await expect(panel.locator('.job-status')).toHaveText('Failed');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-error.png'), fullPage: true });

  await page.getByTestId('import-skip-bad-rows').check();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('import-total-billed')).toHaveAttribute('data-amount', '3.3');
  await expect(page.getByTestId('import-stat-skipped')).toHaveAttribute('data-value', '1');
  const skipped = page.getByTestId('import-skipped-row');
  await expect(skipped).toHaveCount(1);
  await expect(skipped).toHaveAttribute('data-line', '3');
  await expect(skipped).toContainText('bad-rows.csv');
  await expect(skipped).toContainText('BilledCost');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-skipped.png'), fullPage: true });
  // The Jobs screen names the file and offers no Retry that would read the same bad row again.
  await page.getByTestId('nav-jobs').click();
  const jobRow = page.locator('[data-testid="job-row"][data-job-type="costs.import"][data-status="dead"]').first();
  await expect(jobRow).toContainText('Import bad-rows.csv');
  await expect(jobRow).toContainText('Line 3, column BilledCost');
  await expect(jobRow.getByTestId('job-retry')).toHaveCount(0);
  await expect(jobRow).not.toContainText('Dead');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'jobs-import-failed.png'), fullPage: true });
});

test('a typed path is read only once the user confirms it', async ({ page }) => {
  const rows: FocusRow[] = [
    { account: 'acct-typed', day: '2026-10-10', service: 'Cache', resource: 'c-1', billed: '5.5', effective: '5.5' },
  ];
  const file = writeFile('typed.csv', focusCsv(rows));
  const neighbour = path.join(path.dirname(file), 'neighbour.csv');
  fs.writeFileSync(neighbour, focusCsv(rows));
  await page.goto(url);
  await page.getByTestId('nav-import').click();
  const input = page.getByTestId('import-path-input');
  const dialog = page.getByTestId('import-path-confirm');

  // Nothing there: the dialog asks first, then the field says so in words.
  await input.fill(path.join(path.dirname(file), 'missing.csv'));
  await page.getByTestId('import-path-add').click();
  await dialog.getByTestId('import-path-confirm-ok').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('import-path-error')).toHaveText(/^there is no file or folder at .*missing\.csv$/);

  // Cancelled: nothing is added.
  await input.fill(file);
  await page.getByTestId('import-path-add').click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Valdrix will read ${file} on this computer. Import it?`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-path-confirm.png'), animations: 'disabled' });
  await dialog.getByTestId('import-path-confirm-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('import-source')).toHaveCount(0);

  // Confirmed: added by its real path, detected and imported.
  await page.getByTestId('import-path-add').click();
  await dialog.getByTestId('import-path-confirm-ok').click();
  await expect(page.getByTestId('import-source')).toHaveAttribute('data-path', fs.realpathSync(file));
  await expect(page.getByTestId('import-detected-row')).toHaveAttribute('data-format', 'focus');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('import-total-billed')).toHaveAttribute('data-amount', '5.5');

  // The file beside it was never confirmed: even the page's own token cannot read it.
  const token = String(await page.evaluate("sessionStorage.getItem('valdrix.bridgeToken')"));
  const refused = await page.evaluate(
    async ({ other, token }) => {
      const response = await fetch('/api/invoke/imports.detect', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ paths: [other] }),
      });
      return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
    },
    { other: neighbour, token },
  );
  expect(refused.status).toBe(403);
  expect(refused.body.error?.code).toBe('FORBIDDEN');
});

test('an import from the CLI shows up on the open Import screen without reloading', async ({ page }) => {
  const rows: FocusRow[] = [
    { account: 'acct-cli', day: '2026-10-09', service: 'Queue', resource: 'q-9', billed: '4.4', effective: '4.4' },
  ];
  const file = writeFile('from-cli.csv', focusCsv(rows));
  await page.goto(url);
  await page.getByTestId('nav-import').click();
  await expect(page.getByTestId('import-runs')).toBeVisible();
  const runs = page.getByTestId('import-run');
  const before = await runs.count();

  const cli = runCli(['--workspace', workspaceDir, 'import', file, '--json'], { VALDRIX_NOW: AS_OF });
  expect(cli.status, cli.stderr).toBe(0);
  const { runId } = JSON.parse(cli.stdout) as { runId: string };
  // No reload and no navigation: the host notices the other process's commit and the list refetches.
  await expect(page.locator(`[data-testid="import-run"][data-run-id="${runId}"]`)).toBeVisible({ timeout: 10_000 });
  await expect(runs).toHaveCount(before + 1);
});
