import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { formatExact, parseExact } from '../../shared/exact';
import { chooseImportFile, serveNewWorkspace, stopServe } from '../support/e2e';
import { tempDir } from '../support/workspace';

/**
 * One file, one source on the Import screen: the same export under a second source name fails with the
 * source it is already in; "Move it to this source" moves it, and the month is counted once.
 */
const AS_OF = '2026-11-21';

let server: ChildProcessWithoutNullStreams;
let url: string;
let file: string;

const HEADER =
  'BillingAccountId,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BillingCurrency,ServiceName,ResourceId,BilledCost,EffectiveCost';
const AMOUNTS = ['10.015', '20.2', '0.333333333'];
const TOTAL = formatExact(AMOUNTS.reduce((sum, amount) => sum + parseExact(amount), 0n));

test.beforeAll(async () => {
  const workspaceDir = tempDir('valdrix-e2e-dup-');
  const filesDir = tempDir('valdrix-e2e-dup-files-');
  file = path.join(filesDir, 'october.csv');
  const rows = AMOUNTS.map((amount, i) =>
    [
      'acct-dup',
      '2026-10-01T00:00:00Z',
      '2026-10-05T00:00:00Z',
      '2026-10-05T01:00:00Z',
      'Usage',
      'USD',
      'Compute',
      `r-${i}`,
      amount,
      amount,
    ].join(','),
  );
  fs.writeFileSync(file, `${[HEADER, ...rows].join('\n')}\n`);
  ({ server, url } = await serveNewWorkspace(workspaceDir, { VALDRIX_NOW: AS_OF }));
});

test.afterAll(async () => {
  if (server) await stopServe(server);
});

async function importAs(page: Page, source: string, move = false) {
  await chooseImportFile(page, file);
  await page.getByTestId('import-source-name').fill(source);
  const box = page.getByTestId('import-replace-source');
  if ((await box.isChecked()) !== move) await box.click();
  await page.getByTestId('import-start').click();
}

test('the same file under a second source is refused, then moved on request', async ({ page }) => {
  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await importAs(page, 'aws-cur');
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });

  await importAs(page, 'other');
  const error = page.getByTestId('import-error');
  await expect(error).toHaveAttribute('data-code', 'CONFLICT', { timeout: 30_000 });
  await expect(page.getByTestId('import-error-summary')).toContainText(
    // The screen starts the sentence with a capital, file name or not.
    /october\.csv is already imported as source "aws-cur"/i,
  );
  await expect(page.getByTestId('import-error-advice')).toContainText('Move it to this source');

  await importAs(page, 'other', true);
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('nav-explorer').click();
  await expect(page.getByTestId('explorer-total')).toHaveAttribute('data-amount', TOTAL);
});
