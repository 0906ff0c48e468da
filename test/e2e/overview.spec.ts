import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { formatNanos } from '../../shared/money';
import { REPO_ROOT, runCli, startServe, stop } from '../support/cli';
import { readLinesIndependently, sumWhere, tempDir, type IndependentLine } from '../support/workspace';

const AS_OF = '2026-11-21';
const MONTH_START = '2026-11-01';
const WINDOW_START = '2026-10-01';
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

let server: ChildProcessWithoutNullStreams;
let url: string;
let origin: string;
let lines: IndependentLine[];

test.beforeAll(async () => {
  const dir = tempDir('valdrix-e2e-');
  const demo = runCli(['--workspace', dir, 'demo', '--json'], { VALDRIX_NOW: AS_OF });
  expect(demo.status, demo.stderr).toBe(0);
  lines = readLinesIndependently(dir);
  const started = await startServe(['--workspace', dir], { VALDRIX_NOW: AS_OF });
  server = started.child;
  url = started.info.url;
  origin = started.info.origin;
});

test.afterAll(async () => {
  if (server) await stop(server);
});

const inWindow = (l: IndependentLine) => l.day >= WINDOW_START && l.day <= AS_OF;

test('Overview shows the demo workspace with totals equal to the store', async ({ page }) => {
  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();

  // The token leaves the address bar once the app has it.
  await expect.poll(() => page.evaluate('window.location.hash')).toBe('');

  const mtd = page.getByTestId('overview-mtd-total');
  await expect(mtd).toBeVisible();
  const expectedMtd = formatNanos(sumWhere(lines, (l) => l.day >= MONTH_START && l.day <= AS_OF));
  await expect(mtd).toHaveAttribute('data-amount', expectedMtd);
  await expect(mtd).toHaveAttribute('data-currency', 'USD');
  const [whole] = expectedMtd.split('.');
  await expect(mtd).toContainText(Number(whole).toLocaleString('en-US'));

  // Stacked by provider: one bar series per provider, each total equal to the independent sum.
  const chart = page.getByTestId('daily-chart');
  await expect(chart).toHaveAttribute('data-group-by', 'provider');
  await expect(chart).toHaveAttribute('data-series-count', '3');
  await expect(chart.locator('.recharts-bar')).toHaveCount(3);
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  const seriesTotals = page.getByTestId('series-total');
  await expect(seriesTotals).toHaveCount(3);
  for (const provider of ['aws', 'azure', 'gcp']) {
    const expected = formatNanos(sumWhere(lines, (l) => l.provider === provider && inWindow(l)));
    await expect(page.locator(`[data-testid="series-total"][data-series-key="${provider}"]`)).toHaveAttribute(
      'data-amount',
      expected,
    );
  }
  await expect(page.getByTestId('top-services')).toBeVisible();
  await expect(page.getByTestId('freshness')).toContainText('2026');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'overview-provider.png'), fullPage: true });

  // Toggle to services: eight series (seven largest plus "Other"), still exact.
  await page.getByTestId('group-by-service').click();
  await expect(chart).toHaveAttribute('data-group-by', 'service');
  await expect(chart).toHaveAttribute('data-series-count', '8');
  await expect(chart.locator('.recharts-bar')).toHaveCount(8);
  const keys = await page
    .getByTestId('series-total')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-series-key')));
  const named = keys.filter((k): k is string => !!k && k !== '__other__');
  expect(named).toHaveLength(7);
  for (const service of named) {
    const expected = formatNanos(sumWhere(lines, (l) => l.service === service && inWindow(l)));
    await expect(page.locator(`[data-testid="series-total"][data-series-key="${service}"]`)).toHaveAttribute(
      'data-amount',
      expected,
    );
  }
  const other = formatNanos(sumWhere(lines, (l) => !named.includes(l.service) && inWindow(l)));
  await expect(page.locator('[data-testid="series-total"][data-series-key="__other__"]')).toHaveAttribute(
    'data-amount',
    other,
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'overview-service.png'), fullPage: true });

  // A reload keeps working: the token lives in the tab's session storage.
  await page.reload();
  await expect(page.getByTestId('overview-mtd-total')).toHaveAttribute('data-amount', expectedMtd);
});

test('Opening the app without the launch token shows the fatal screen, not data', async ({ page }) => {
  await page.goto(origin);
  await expect(page.getByTestId('fatal-screen')).toBeVisible();
  await expect(page.getByTestId('overview-mtd-total')).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'fatal-no-token.png') });
});
