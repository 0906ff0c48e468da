import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { formatExact, parseExact } from '../../shared/exact';
import { REPO_ROOT } from '../support/cli';
import { chooseImportFile, serveNewWorkspace, stopServe } from '../support/e2e';
import { tempDir } from '../support/workspace';

/**
 * The replacement guard on the Import screen: a partial export read with "skip rows that cannot be
 * read" is held with its preview in money; Accept publishes it.
 */
const AS_OF = '2026-11-21';
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

let server: ChildProcessWithoutNullStreams;
let url: string;
let filesDir: string;

const HEADER =
  'BillingAccountId,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BillingCurrency,ServiceName,ResourceId,BilledCost,EffectiveCost';

interface Row {
  day: string;
  service: string;
  resource: string;
  billed: string;
}

/** October: 3 days × 2 services × 3 resources, amounts to the cent and beyond. */
const FULL: Row[] = ['2026-10-05', '2026-10-06', '2026-10-07'].flatMap((day, d) =>
  ['Compute', 'Storage'].flatMap((service, s) =>
    [1, 2, 3].map((r) => ({ day, service, resource: `${service[0]}-${r}`, billed: `${d + 1}${s}${r}.25` })),
  ),
);

function csv(rows: readonly (Row | string)[]): string {
  const lines = rows.map((row) =>
    typeof row === 'string'
      ? row
      : [
          'acct-guard',
          '2026-10-01T00:00:00Z',
          `${row.day}T00:00:00Z`,
          `${row.day}T01:00:00Z`,
          'Usage',
          'USD',
          row.service,
          row.resource,
          row.billed,
          row.billed,
        ].join(','),
  );
  return `${[HEADER, ...lines].join('\n')}\n`;
}

const total = (rows: readonly Row[]) => formatExact(rows.reduce((sum, row) => sum + parseExact(row.billed), 0n));

function writeFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(filesDir, 'batch-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test.beforeAll(async () => {
  const workspaceDir = tempDir('valdrix-e2e-guard-');
  filesDir = tempDir('valdrix-e2e-guard-files-');
  ({ server, url } = await serveNewWorkspace(workspaceDir, { VALDRIX_NOW: AS_OF }));
});

test.afterAll(async () => {
  if (server) await stopServe(server);
});

async function importFile(page: Page, file: string, skipBadRows = false) {
  await chooseImportFile(page, file);
  const skip = page.getByTestId('import-skip-bad-rows');
  if ((await skip.isChecked()) !== skipBadRows) await skip.click();
  await page.getByTestId('import-start').click();
}

test('a partial export is held with its preview in money, and Accept publishes it', async ({ page }) => {
  await page.goto(url);
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await importFile(page, writeFile('october.csv', csv(FULL)));
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });

  // The first day's Compute lines and an unreadable row: 3 lines would replace 18.
  const kept = FULL.slice(0, 3);
  const removed = FULL.slice(3);
  const partial = writeFile(
    'october-partial.csv',
    csv([
      ...kept,
      'acct-guard,2026-10-01T00:00:00Z,2026-10-05T00:00:00Z,2026-10-05T01:00:00Z,Usage,USD,Compute,C-9,n/a,n/a',
    ]),
  );
  await importFile(page, partial, true);

  const panel = page.getByTestId('import-job');
  await expect(panel).toContainText('Import held: confirm the replacement', { timeout: 30_000 });
  await expect(panel.getByTestId('import-held-badge')).toHaveText('Held');
  const held = panel.getByTestId('held-import');
  await expect(held).toBeVisible();
  await expect(held.getByTestId('held-reasons').locator('li')).toHaveText([
    'acct-guard October 2026: 15 of its 18 lines would be removed (83.3333 %, more than 10 %)',
    'acct-guard October 2026: the removed lines carry $3,423.75 of its $3,730.50 billed (91.7772 %)',
    'acct-guard October 2026: 2 days the snapshot has would have no cost at all (2026-10-06, 2026-10-07)',
    '1 row of the file could not be read and was skipped, so the snapshot it replaces would lose it',
  ]);
  await expect(held.getByTestId('held-billed-before')).toHaveAttribute('data-amount', total(FULL));
  await expect(held.getByTestId('held-billed-after')).toHaveAttribute('data-amount', total(kept));
  const totals = held.getByTestId('held-totals-row');
  await expect(totals).toHaveCount(1);
  await expect(totals.locator('td').last()).toHaveAttribute('data-amount', `-${total(removed)}`);
  await expect(held.getByTestId('held-by-day-row')).toHaveCount(3);
  // Nothing is published yet: the run is held and the Overview still counts the whole month.
  await expect(page.locator('[data-testid="import-run"][data-status="held"]')).toHaveCount(1);
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: path.join(SCREENSHOTS, 'import-held-preview.png') });

  await held.getByTestId('held-accept').click();
  await expect(panel.getByTestId('held-accepted')).toContainText('15 lines were removed');
  await expect(page.locator('[data-testid="import-run"][data-status="held"]')).toHaveCount(0);

  await page.getByTestId('nav-explorer').click();
  await expect(page.getByTestId('explorer-total')).toHaveAttribute('data-amount', total(kept));
});
