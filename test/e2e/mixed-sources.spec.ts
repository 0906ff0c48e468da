/**
 * The demo workspace with a FOCUS export imported beside it, as a finance user who adds their own
 * data to the demo sees it: the two sources spell providers differently ("aws" against "AWS",
 * "Amazon Web Services", "Microsoft") yet the Overview shows each provider once with the exact sum of
 * both; long account names stay readable under the explorer's bars; alert severities read as words, and a run alert sums its cells in the minor unit.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { formatNanos, parseDecimalToNanos } from '../../shared/money';
import { importAll, REPO_ROOT, runCli, startServe, stop } from '../support/cli';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { readLinesIndependently, sumWhere, tempDir, type IndependentLine } from '../support/workspace';

const AS_OF = '2026-11-21';
const WINDOW_START = '2026-10-01';
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

let server: ChildProcessWithoutNullStreams;
let url: string;
let demoLines: IndependentLine[];
let imported: FocusRow[];

const day = (d: number) => `2026-10-${String(d).padStart(2, '0')}`;

/**
 * 40 accounts, the first on the explorer's axis with a long name.
 * Providers as FOCUS exports write them, none as the demo's keys. Amounts carry nine decimals so a
 * floating-point sum of demo and imported spend would show in the last digits.
 */
function focusRows(): FocusRow[] {
  const rows: FocusRow[] = [];
  const providers = ['AWS', 'Amazon Web Services', 'Microsoft'];
  for (let k = 0; k < 40; k++) {
    // First on the axis (ids sort before names) and cut to the longest label the axis shows.
    const account =
      k === 0 ? '012345678901 Acme Production Payer' : `acct-${String(k).padStart(2, '0')}-finance-shared`;
    for (let d = 1; d <= 10; d++) {
      rows.push({
        account,
        day: day(d),
        provider: providers[(k + d) % providers.length]!,
        service: k % 2 === 0 ? 'Amazon EC2' : 'Virtual Machines',
        resource: `r-${k}-${d}`,
        billed: `${(k * 37) % 97}.${String(k * d + 11).padStart(9, '1')}`,
      });
    }
  }
  return rows;
}

test.beforeAll(async () => {
  const workspace = tempDir('valdrix-e2e-mixed-');
  const files = tempDir('valdrix-e2e-mixed-files-');
  const demo = runCli(['--workspace', workspace, 'demo', '--json'], { VALDRIX_NOW: AS_OF });
  expect(demo.status, demo.stderr).toBe(0);
  demoLines = readLinesIndependently(workspace);

  const first = focusRows();
  // A later copy of the export doubles one cell: a restatement past the threshold raises an alert.
  imported = first.map((row, i) => (i === 11 ? { ...row, billed: '500.000000001' } : row));
  importAll(
    workspace,
    [writeFocusCsv(files, 'focus-v1.csv', first).file, writeFocusCsv(files, 'focus-v2.csv', imported).file],
    { VALDRIX_NOW: AS_OF },
  );
  const started = await startServe(['--workspace', workspace], { VALDRIX_NOW: AS_OF });
  server = started.child;
  url = started.info.url;
});

test.afterAll(async () => {
  if (server) await stop(server);
});

/** Demo and imported billed spend of one provider over the Overview's window, added as integers. */
function expectedTotal(demoKey: string, writtenNames: readonly string[]): string {
  const demo = sumWhere(demoLines, (l) => l.provider === demoKey && l.currency === 'USD' && l.day >= WINDOW_START);
  const fromImport = imported
    .filter((r) => writtenNames.includes(r.provider!))
    .reduce((total, r) => total + parseDecimalToNanos(r.billed), 0n);
  return formatNanos(demo + fromImport);
}

test('the Overview shows each provider once, whatever its sources call it, with the exact sum', async ({ page }) => {
  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  const chart = page.getByTestId('daily-chart');
  await expect(chart).toHaveAttribute('data-group-by', 'provider');

  const legend = page.getByTestId('series-total');
  await expect(chart).toHaveAttribute('data-series-count', '3');
  const labels = await legend.locator('.legend-label').allTextContents();
  expect(labels.sort()).toEqual(['AWS', 'Azure', 'Google Cloud']);
  await expect(page.locator('[data-testid="series-total"][data-series-key="aws"]')).toHaveAttribute(
    'data-amount',
    expectedTotal('aws', ['AWS', 'Amazon Web Services']),
  );
  await expect(page.locator('[data-testid="series-total"][data-series-key="azure"]')).toHaveAttribute(
    'data-amount',
    expectedTotal('azure', ['Microsoft']),
  );

  // Top services name the imported AWS lines' provider as AWS too, not "Other".
  await expect(page.getByTestId('top-services').locator('.provider-other')).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'mixed-overview.png'), fullPage: true });
});

test('the explorer by account shows its first and last axis labels whole', async ({ page }) => {
  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await page.getByTestId('nav-explorer').click();
  await page.getByTestId('explorer-group-by').selectOption('billing_account');
  const chart = page.getByTestId('cost-chart');
  await expect(chart).toHaveAttribute('data-x', 'billing_account');
  await expect(chart.getByTestId('cost-chart-bar').first()).toHaveAttribute(
    'data-x',
    '012345678901 Acme Production Payer',
  );

  const svg = (await chart.locator('svg.recharts-surface').first().boundingBox())!;
  const plot = (await chart.locator('.recharts-cartesian-grid').boundingBox())!;
  const labels = chart.locator('.recharts-cartesian-axis-tick-value');
  const xLabels: { text: string; x: number; right: number }[] = [];
  for (let i = 0; i < (await labels.count()); i++) {
    const box = (await labels.nth(i).boundingBox())!;
    if (box.y < plot.y + plot.height - 1) continue; // a y-axis label
    xLabels.push({ text: (await labels.nth(i).textContent()) ?? '', x: box.x, right: box.x + box.width });
  }
  xLabels.sort((a, b) => a.x - b.x);
  expect(xLabels.length).toBeGreaterThan(2);
  const first = xLabels[0]!;
  const last = xLabels[xLabels.length - 1]!;
  expect(first.text).toBe('012345678901 Acme Pro…');
  expect(first.x, `"${first.text}" starts inside the chart`).toBeGreaterThanOrEqual(svg.x);
  expect(last.right, `"${last.text}" ends inside the chart`).toBeLessThanOrEqual(svg.x + svg.width);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'mixed-explorer-by-account.png'), fullPage: true });
});

test('alert severities read as words, and the run alert sums in the minor unit', async ({ page }) => {
  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await page.getByTestId('nav-restatements').click();
  await page.getByTestId('restatements-tab-alerts').click();
  const alert = page.getByTestId('restatement-alert').first();
  await expect(alert).toBeVisible();
  await expect(alert.locator('.alert-item-heading .badge')).toHaveText('Warning');
  // The summary is a card: its amounts in the minor unit, the exact figure kept for hover.
  const net = alert.getByTestId('run-alert-net').locator('.num');
  await expect(net).toHaveText('+$462.89');
  await expect(net).toHaveAttribute('title', /^462\.888888888 USD/);
  await expect(alert.getByTestId('run-alert')).toContainText('(gross $462.89)');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'mixed-restatement-alerts.png'), fullPage: true });
});
