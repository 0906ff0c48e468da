import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { EXIT } from '../../electron/cli/exit-codes';
import { REPO_ROOT, runCli, startServe, stop } from '../support/cli';
import { tempDir } from '../support/workspace';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

// A Linux session bus that does not exist: Valdrix keeps keys only in the Secret Service there, so the
// app runs as it would on a desktop without one.
const dir = tempDir('valdrix-e2e-keychain-');
const env = { VALDRIX_NOW: '2026-11-21', DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}` };

let server: ChildProcessWithoutNullStreams;
let url: string;

test.skip(process.platform !== 'linux', 'only Linux can be without an OS keychain');

test.beforeAll(async () => {
  expect(runCli(['--workspace', path.join(dir, 'ws'), 'demo'], env).status).toBe(0);
  const started = await startServe(['--workspace', path.join(dir, 'ws')], env);
  server = started.child;
  url = started.info.url;
});

test.afterAll(async () => {
  if (server) await stop(server);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('without a keychain, Settings says so and how to get one, and the audit log exports unsigned', async ({
  page,
}) => {
  await page.goto(url);
  await page.getByTestId('nav-settings').click();
  const notice = page.getByTestId('settings-no-keychain');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('No OS keychain is available');
  await expect(notice).toContainText('install and unlock gnome-keyring, KWallet or another Secret Service provider');
  await expect(notice).toContainText('macOS Keychain and Windows Credential Manager are always present');
  await notice.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-no-keychain.png'), fullPage: true });

  await page.getByTestId('nav-audit').click();
  await page.getByTestId('audit-export-open').click();
  await expect(page.getByTestId('audit-export-unsigned-hint')).toContainText('No OS keychain is available');
  // Signed, it fails with nothing written, and says what to do.
  await page.getByTestId('audit-export-submit').click();
  const error = page.getByTestId('audit-export-error');
  await expect(error).toBeVisible({ timeout: 15_000 });
  await expect(error).toContainText('Export unsigned');
  expect(fs.existsSync(path.join(dir, 'ws', 'exports')) ? fs.readdirSync(path.join(dir, 'ws', 'exports')) : []).toEqual(
    [],
  );

  await page.getByTestId('audit-export-unsigned').check();
  await page.getByTestId('audit-export-submit').click();
  const result = page.getByTestId('audit-export-result');
  await expect(result).toBeVisible({ timeout: 15_000 });
  await expect(result).toHaveAttribute('data-signed', 'false');
  await expect(page.getByTestId('audit-export-unsigned-label')).toContainText('Unsigned');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'audit-export-unsigned.png'), fullPage: true });

  const file = await result.getAttribute('data-file');
  const verify = runCli(['audit', 'verify', file!, '--json'], env);
  expect(verify.status, verify.stdout).toBe(EXIT.unsigned);
  expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, status: 'unsigned', signed: false });
});
