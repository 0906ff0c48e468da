import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { REPO_ROOT, runCli, startServe, stop } from '../support/cli';
import { tempDir } from '../support/workspace';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

let server: ChildProcessWithoutNullStreams;
let url: string;
let dir: string;

test.beforeAll(async () => {
  dir = tempDir('valdrix-e2e-audit-');
  expect(runCli(['--workspace', dir, 'demo'], { VALDRIX_NOW: '2026-11-21' }).status).toBe(0);
  const started = await startServe(['--workspace', dir], { VALDRIX_NOW: '2026-11-21' });
  server = started.child;
  url = started.info.url;
});

test.afterAll(async () => {
  if (server) await stop(server);
});

test('the audit log filters, shows a before/after diff, exports a verifiable file, and Settings shows the key', async ({
  page,
}) => {
  await page.goto(url);
  await page.getByTestId('nav-audit').click();

  const status = page.getByTestId('audit-chain-status');
  await expect(status).toHaveAttribute('data-ok', 'true');
  const count = Number(await status.getAttribute('data-count'));
  expect(count).toBeGreaterThanOrEqual(3);
  await expect(page.locator('[data-testid="audit-row"][data-action="costs.demo_loaded"]')).toHaveCount(1);

  await page.getByTestId('audit-filter-action').selectOption('setting.changed');
  await expect(page.getByTestId('audit-row')).toHaveCount(1);
  await page.getByTestId('audit-row').first().click();
  const detail = page.getByTestId('audit-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('audit-diff')).toBeVisible();
  await expect(detail.getByTestId('audit-diff')).toContainText('USD');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'audit-detail.png'), fullPage: true });
  await page.keyboard.press('Escape');

  await page.getByTestId('audit-export-open').click();
  await page.getByTestId('audit-export-format-jsonl').click();
  await page.getByTestId('audit-export-submit').click();
  const result = page.getByTestId('audit-export-result');
  await expect(result).toBeVisible({ timeout: 15_000 });
  const file = await result.getAttribute('data-file');
  expect(file && fs.existsSync(file)).toBeTruthy();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'audit-export.png'), fullPage: true });

  const verify = runCli(['audit', 'verify', file!, '--json']);
  expect(verify.status, verify.stdout).toBe(0);
  const report = JSON.parse(verify.stdout) as { ok: boolean; count: number; publicKeyFingerprint: string };
  expect(report.ok).toBe(true);
  expect(report.count).toBe(count);

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-fingerprint')).toHaveAttribute(
    'data-fingerprint',
    report.publicKeyFingerprint,
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, 'settings.png'), fullPage: true });

  // The import alert thresholds are edited here, validated, and each change lands in the audit trail.
  const threshold = page.getByTestId('settings-alert-threshold');
  await expect(threshold).toHaveValue('2');
  await threshold.fill('-3');
  await expect(page.getByTestId('settings-import-alerts')).toContainText('A number of 0 or more');
  await expect(page.getByTestId('settings-import-alerts-save')).toBeDisabled();
  await threshold.fill('7.5');
  await page.getByTestId('settings-import-alerts-save').click();
  await expect(page.getByTestId('settings-import-alerts-save')).toBeDisabled();
  const shown = runCli(['--workspace', dir, 'settings', '--json']);
  expect(JSON.parse(shown.stdout)).toEqual({
    importAlerts: { alertThresholdPct: '7.5', alertMinAmount: '1.00', replaceGuardPct: '10' },
    importLimits: { maxRecordBytes: 8 * 1024 * 1024, maxFieldBytes: 1024 * 1024 },
  });

  // The import size limits too: the core refuses a cell limit above the row limit, in plain words.
  const cellLimit = page.getByTestId('settings-limit-field');
  await expect(cellLimit).toHaveValue('1');
  await cellLimit.fill('16');
  await page.getByTestId('settings-import-limits-save').click();
  await expect(page.getByTestId('settings-import-limits')).toContainText(
    'The longest cell (16 MiB) cannot be larger than the longest row (8 MiB)',
  );
  await page
    .getByTestId('settings-import-limits')
    .screenshot({ path: path.join(SCREENSHOTS, 'settings-limits-error.png') });
  await cellLimit.fill('0.5');
  await page.getByTestId('settings-import-limits-save').click();
  await expect(page.getByTestId('settings-import-limits-save')).toBeDisabled();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-limits.png'), fullPage: true });
  const limits = runCli(['--workspace', dir, 'settings', '--json']);
  expect(JSON.parse(limits.stdout)).toMatchObject({ importLimits: { maxFieldBytes: 512 * 1024 } });
  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-alert-threshold')).toHaveValue('7.5');
  const audited = runCli(['--workspace', dir, 'audit', 'list', '--action', 'setting.changed', '--json']);
  const changes = (JSON.parse(audited.stdout) as { events: { entityId: string }[] }).events;
  expect(changes.map((event) => event.entityId).slice(0, 2)).toEqual([
    'import.maxFieldBytes',
    'import.alertThresholdPct',
  ]);
  expect(changes[0]).toMatchObject({ before: 1024 * 1024, after: 512 * 1024 });
  expect(changes[1]).toMatchObject({ before: '2', after: '7.5' });
});
