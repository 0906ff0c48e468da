/**
 * The Cost explorer, Overview and Restatements screens as a controller reads them: every visible chart
 * label names the bar above it, amounts are rounded to the currency's minor unit with the exact figure
 * on hover, in the drill-down and in the export, totals stay per currency, finality is said in one
 * sentence, and restatements are ranked by impact, paged and coloured by the direction of cost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { formatExact, parseExact } from '../../shared/exact';
import { importAll, REPO_ROOT, runCli, startServe, stop } from '../support/cli';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { tempDir } from '../support/workspace';

const AS_OF = '2026-11-21';
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');
const SOURCE = 'e2e-screens';

let server: ChildProcessWithoutNullStreams;
let url: string;
let workspace: string;

const day = (d: number) => `2026-10-${String(d).padStart(2, '0')}`;
const REGULAR = Array.from({ length: 36 }, (_, k) => `4100${String(k * 7919).padStart(8, '0')}`);

/** 36 ordinary accounts and the awkward ones the issue names, in three currencies. */
function firstImport(): FocusRow[] {
  const rows: FocusRow[] = [];
  REGULAR.forEach((account, k) => {
    for (let d = 1; d <= 20; d++) {
      rows.push({
        account,
        day: day(d),
        billed: `${(k * 37) % 97}.${String(k * d + 11).padStart(4, '0')}`,
        resource: `r-${k}-${d}`,
      });
    }
  });
  for (let d = 1; d <= 20; d++)
    rows.push({ account: 'ACCT-BIG', day: day(d), billed: '159000.0123456789', resource: `big-${d}` });
  rows.push({ account: 'ACCT-SMALL', day: day(3), billed: '0.54', resource: 'small' });
  rows.push({ account: 'ACCT-CREDIT', day: day(4), billed: '-0.15', category: 'Credit', resource: 'credit' });
  rows.push({ account: 'ACCT-PRECISE', day: day(5), billed: '5505845.47806672899', resource: 'precise' });
  rows.push({ account: 'ACCT-TINY', day: day(6), billed: '0.0001907906', resource: 'tiny' });
  for (let d = 1; d <= 20; d++)
    rows.push({ account: 'ACCT-EUR', day: day(d), billed: '10.005', currency: 'EUR', resource: `eur-${d}` });
  rows.push({ account: 'ACCT-JPY', day: day(7), billed: '1234.5', currency: 'JPY', resource: 'jpy' });
  return rows.map((row) => ({ service: row.account?.startsWith('ACCT-') ? 'Storage' : 'Compute', ...row }));
}

/** The same export later: the ordinary accounts' lines restated up, down to a cent, or removed. */
function secondImport(first: readonly FocusRow[]): FocusRow[] {
  return first.flatMap((row, i) => {
    if (row.account?.startsWith('ACCT-')) return [row];
    if (i % 17 === 5) return [];
    if (i % 3 === 0) return [{ ...row, billed: formatExact(parseExact(row.billed) * 2n) }];
    if (i % 3 === 1) return [{ ...row, billed: '0.01' }];
    return [row];
  });
}

let first: FocusRow[];
let second: FocusRow[];

test.beforeAll(async () => {
  workspace = tempDir('valdrix-e2e-screens-');
  const files = tempDir('valdrix-e2e-screens-files-');
  const demo = runCli(['--workspace', workspace, 'demo', '--json'], { VALDRIX_NOW: AS_OF });
  expect(demo.status, demo.stderr).toBe(0);
  first = firstImport();
  second = secondImport(first);
  // The second export restates most lines: confirmed, or the replacement guard would hold it.
  importAll(
    workspace,
    [writeFocusCsv(files, 'v1.csv', first).file, writeFocusCsv(files, 'v2.csv', second).file],
    { VALDRIX_NOW: AS_OF },
    ['--source', SOURCE],
  );
  const started = await startServe(['--workspace', workspace], { VALDRIX_NOW: AS_OF });
  server = started.child;
  url = started.info.url;
});

test.afterAll(async () => {
  if (server) await stop(server);
});

/** The core's answer through the CLI: billed per value of one dimension, in USD. */
function usdBilledBy(dimension: string): Map<string, string> {
  const run = runCli(['--workspace', workspace, 'costs', '--by', dimension, '--json'], { VALDRIX_NOW: AS_OF });
  expect(run.status, run.stderr).toBe(0);
  const answer = JSON.parse(run.stdout) as { rows: Record<string, string>[] };
  return new Map(answer.rows.filter((r) => r.currency === 'USD').map((r) => [r[dimension]!, r.billed!]));
}

async function showExplorer(page: Page, groupBy: string) {
  await page.getByTestId('nav-explorer').click();
  await page.getByTestId('explorer-group-by').selectOption(groupBy);
  await page.getByTestId('explorer-chart-currency').selectOption('USD');
  await expect(page.getByTestId('cost-chart')).toHaveAttribute('data-x', groupBy);
  await expect(page.getByTestId('cost-chart')).toHaveAttribute('data-currency', 'USD');
}

/**
 * The chart's axis labels with their boxes. Recharts 3 draws tick labels in a layer of their own, outside
 * the axis group, so an axis's labels are told apart by where they stand: below the plot (x) or left of it (y).
 */
async function axisLabels(page: Page, axis: 'x' | 'y') {
  const chart = page.getByTestId('cost-chart');
  const plot = (await chart.locator('.recharts-cartesian-grid').boundingBox())!;
  const labels = chart.locator('.recharts-cartesian-axis-tick-value');
  const found: { text: string; box: { x: number; y: number; width: number; height: number } }[] = [];
  for (let i = 0; i < (await labels.count()); i++) {
    const box = (await labels.nth(i).boundingBox())!;
    const below = box.y >= plot.y + plot.height - 1;
    if (below === (axis === 'x')) found.push({ text: ((await labels.nth(i).textContent()) ?? '').trim(), box });
  }
  return found;
}

/**
 * Reads every visible x-axis label, points at the bar above it and checks the label against what the
 * chart says that bar is (its tooltip) and the bar's amount against the core's answer for that name.
 */
async function checkEveryLabel(page: Page, expected: Map<string, string>) {
  const chart = page.getByTestId('cost-chart');
  const plot = (await chart.locator('.recharts-cartesian-grid').boundingBox())!;
  const labels = await axisLabels(page, 'x');
  const shown = labels.length;
  // Crowded enough that Recharts thins the labels: where labelling by tick index went wrong.
  expect(shown).toBeGreaterThan(2);
  expect(shown).toBeLessThan(expected.size);
  for (let i = 0; i < shown; i++) {
    const { text, box } = labels[i]!;
    await page.mouse.move(box.x + box.width / 2, plot.y + plot.height * 0.6);
    const tooltip = chart.locator('.chart-tooltip');
    await expect(tooltip).toBeVisible();
    const title = ((await tooltip.locator('.chart-tooltip-title').textContent()) ?? '').trim();
    const named = text.endsWith('…') ? title.startsWith(text.slice(0, -1)) : title === text;
    expect(named, `the label "${text}" stands under the bar of "${title}"`).toBe(true);
    await expect(tooltip.getByTestId('cost-tooltip-amount')).toHaveAttribute('data-amount', expected.get(title)!);
  }
  await page.mouse.move(0, 0);
}

test('every visible label of the Cost explorer names the bar above it', async ({ page }) => {
  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();

  await showExplorer(page, 'service');
  await checkEveryLabel(page, usdBilledBy('service'));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'screens-explorer-by-service.png'), fullPage: true });

  await showExplorer(page, 'billing_account');
  await checkEveryLabel(page, usdBilledBy('billing_account'));
});

test('amounts show the minor unit, exact on hover, in the drill-down and the export; totals per currency', async ({
  page,
}) => {
  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await showExplorer(page, 'billing_account');

  const row = (account: string) => page.locator(`[data-testid="cost-row"][data-label="${account}"]`);
  const precise = row('ACCT-PRECISE').getByTestId('cost-row-billed');
  await expect(precise).toHaveText('$5,505,845.48');
  await expect(precise).toHaveAttribute('title', /^5505845\.47806672899 USD/);
  await expect(row('ACCT-TINY').getByTestId('cost-row-billed')).toHaveText('$0.00');
  await expect(row('ACCT-CREDIT').getByTestId('cost-row-billed')).toHaveText('-$0.15');
  await expect(row('ACCT-EUR').getByTestId('cost-row-billed')).toHaveText('€200.10');
  // Half to even: ¥1,234.5 is ¥1,234.
  await expect(row('ACCT-JPY').getByTestId('cost-row-billed')).toHaveText('¥1,234');

  // Largest first within each currency, with a share of that currency's total.
  const usd = await page
    .locator('[data-testid="cost-row"][data-currency="USD"] [data-testid="cost-row-billed"]')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-amount')!));
  expect(usd.length).toBeGreaterThan(30);
  for (let i = 1; i < usd.length; i++) expect(parseExact(usd[i - 1]!) >= parseExact(usd[i]!)).toBe(true);
  await expect(row('ACCT-JPY').getByTestId('cost-row-share')).toHaveAttribute('data-share', '100.0');

  // One total per currency and none across them.
  await expect(page.getByTestId('explorer-total')).toHaveCount(3);
  await expect(page.getByTestId('cost-total')).toHaveCount(3);
  expect(
    await page.getByTestId('explorer-total').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-currency'))),
  ).toEqual(['EUR', 'JPY', 'USD']);

  // A −$0.15 credit beside millions does not run the axis below zero.
  const yTicks = (await axisLabels(page, 'y')).map((label) => label.text);
  expect(yTicks.length).toBeGreaterThan(2);
  for (const tick of yTicks) expect(tick, `y-axis tick ${tick}`).not.toMatch(/[-−]/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'screens-explorer-by-account.png'), fullPage: true });

  // The drill-down and the export keep every digit.
  await row('ACCT-PRECISE').getByTestId('cost-row-open').click();
  const drawer = page.getByTestId('cost-lines-drawer');
  await expect(drawer.getByTestId('drill-billed')).toHaveText('$5,505,845.47806672899');
  await expect(drawer.getByTestId('cost-line-billed')).toHaveText('$5,505,845.47806672899');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'screens-explorer-drill.png') });
  await page.keyboard.press('Escape');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('explorer-export').click();
  const csv = fs.readFileSync(await (await downloading).path(), 'utf8');
  expect(csv).toContain('ACCT-PRECISE,USD,5505845.47806672899,');
  expect(csv).toContain('ACCT-TINY,USD,0.0001907906,');

  // Finality in the same words on the explorer and the Overview.
  const explorerFinality = await page.getByTestId('finality').textContent();
  expect(explorerFinality).toContain('Final through Oct 31, 2026');
  await page.getByTestId('nav-overview').click();
  await expect(page.getByTestId('overview-finality').getByTestId('finality')).toHaveText(explorerFinality!);
  await expect(page.getByTestId('freshness')).not.toContainText('arrives with connectors');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'screens-overview.png'), fullPage: true });
});

test('restatements are ranked by impact, paged, summed per currency and coloured by the direction of cost', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const listed = runCli(['--workspace', workspace, 'restatements', '--limit', '5000', '--json'], {
    VALDRIX_NOW: AS_OF,
  });
  expect(listed.status, listed.stderr).toBe(0);
  const restatements = (
    JSON.parse(listed.stdout) as { restatements: { oldBilled: string | null; newBilled: string | null }[] }
  ).restatements;
  expect(restatements.length).toBeGreaterThan(100);
  const sum = (rows: readonly FocusRow[]) =>
    rows.filter((r) => !r.account?.startsWith('ACCT-')).reduce((total, r) => total + parseExact(r.billed), 0n);
  const net = formatExact(sum(second) - sum(first));

  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await page.getByTestId('nav-restatements').click();

  const summary = page.getByTestId('restatement-summary');
  await expect(summary.getByTestId('restatement-net')).toHaveAttribute('data-amount', net);
  await expect(summary.getByTestId('restatement-net')).toHaveAttribute(
    'data-direction',
    net.startsWith('-') ? 'down' : 'up',
  );

  const rows = page.getByTestId('restatement-row');
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId('restatements-range')).toHaveText(
    `1–50 of ${restatements.length.toLocaleString('en-US')}`,
  );
  const impacts = async () =>
    (await rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-impact')!))).map((v) => {
      const amount = parseExact(v);
      return amount < 0n ? -amount : amount;
    });
  const firstPage = await impacts();

  // Cost up is red; cost down (a −100 % removal too) is not dressed as good news.
  const up = rows.locator('[data-testid="restatement-impact"][data-direction="up"]').first();
  await expect(up).toHaveCSS('color', 'rgb(180, 35, 24)');
  await expect(up).toHaveText(/^\+\$/);
  const down = rows.locator('[data-testid="restatement-impact"][data-direction="down"]').first();
  await expect(down).toHaveCSS('color', 'rgb(91, 100, 116)');

  // Nothing spills sideways at 1280 px.
  const spill = Number(
    await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
  );
  expect(spill).toBeLessThanOrEqual(0);
  const table = page.getByTestId('restatement-table');
  const tableBox = (await table.boundingBox())!;
  expect(tableBox.x + tableBox.width).toBeLessThanOrEqual(1280);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'screens-restatements.png'), fullPage: true });

  await page.getByTestId('restatements-next').click();
  await expect(page.getByTestId('restatements-range')).toHaveText(
    `51–100 of ${restatements.length.toLocaleString('en-US')}`,
  );
  const secondPage = await impacts();
  const ranked = [...firstPage, ...secondPage];
  for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]! >= ranked[i]!).toBe(true);

  // A removal in the alerts (−100 %) is not green either.
  await page.getByTestId('restatements-tab-alerts').click();
  await expect(page.getByTestId('restatement-alert').first()).toBeVisible();
  await expect(page.locator('[data-testid="alert-percent"] .delta-positive')).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'screens-restatement-alerts.png'), fullPage: true });
});
