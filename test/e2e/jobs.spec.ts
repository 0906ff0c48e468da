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
  dir = tempDir('valdrix-e2e-jobs-');
  expect(runCli(['--workspace', dir, 'init']).status).toBe(0);
  const started = await startServe(['--workspace', dir]);
  server = started.child;
  url = started.info.url;
});

test.afterAll(async () => {
  if (server) await stop(server);
});

test('a long demo job started from the UI shows moving progress and can be cancelled', async ({ page }) => {
  await page.goto(url);
  await page.getByTestId('nav-jobs').click();
  await page.getByTestId('start-demo-job').click();

  // Progress in context, next to the button that started it.
  const inline = page.getByTestId('inline-job-progress');
  await expect(inline).toHaveAttribute('data-status', 'running');
  await expect(inline).toHaveAttribute('aria-valuemax', '40');
  await expect
    .poll(async () => Number(await inline.getAttribute('aria-valuenow')), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(2);
  const first = Number(await inline.getAttribute('aria-valuenow'));

  // The same job in the Active list, still moving.
  const row = page.locator('[data-testid="job-row"][data-job-type="demo.long"][data-status="running"]');
  await expect(row).toHaveCount(1);
  const jobId = await row.getAttribute('data-job-id');
  const bar = row.getByTestId('job-progress');
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 15_000 })
    .toBeGreaterThan(first);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'jobs-running.png'), fullPage: true });

  await row.getByTestId('job-cancel').click();
  await expect(page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`)).toHaveAttribute(
    'data-status',
    'cancelled',
    {
      timeout: 10_000,
    },
  );
  await expect(inline).toHaveAttribute('data-status', 'cancelled');
  const stoppedAt = Number(await inline.getAttribute('aria-valuenow'));
  expect(stoppedAt).toBeLessThan(40);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'jobs-cancelled.png'), fullPage: true });

  // The store agrees: cancelled, not finished.
  const shown = runCli(['--workspace', dir, 'jobs', 'show', jobId!, '--json']);
  const { job, attempts } = JSON.parse(shown.stdout) as {
    job: { status: string; progress: { done: number } };
    attempts: { outcome: string }[];
  };
  expect(job.status).toBe('cancelled');
  expect(job.progress.done).toBeLessThan(40);
  expect(attempts.map((a) => a.outcome)).toEqual(['cancelled']);

  // Diagnostics shows the job in the metrics.
  await page.getByTestId('nav-diagnostics').click();
  await expect(page.getByTestId('metrics-raw')).toContainText('valdrix_jobs{type="demo.long",status="cancelled"} 1');
  await expect(page.getByTestId('metrics-table')).toBeVisible();
});
