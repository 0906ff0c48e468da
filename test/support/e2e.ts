/** Steps the end-to-end specs share: a served workspace, and choosing a file on the Import screen. */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { runCli, startServe, stop } from './cli';

/** `valdrix init` then `valdrix serve` on a new workspace. */
export async function serveNewWorkspace(
  workspaceDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ server: ChildProcessWithoutNullStreams; url: string }> {
  const init = runCli(['--workspace', workspaceDir, 'init'], env);
  expect(init.status, init.stderr).toBe(0);
  const started = await startServe(['--workspace', workspaceDir], env);
  return { server: started.child, url: started.info.url };
}

/** Stops serve with SIGTERM, killing it if it is still running after `graceMs`; its exit code. */
export async function stopServe(server: ChildProcessWithoutNullStreams, graceMs = 20_000): Promise<number | null> {
  const timer = setTimeout(() => server.kill('SIGKILL'), graceMs);
  try {
    return await stop(server);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the Import screen with only `file` chosen, once it is detected as FOCUS. */
export async function chooseImportFile(page: Page, file: string): Promise<void> {
  await page.getByTestId('nav-import').click();
  const clear = page.getByRole('button', { name: 'Clear all' });
  if (await clear.isVisible()) await clear.click();
  await page.getByTestId('import-file-input').setInputFiles(file);
  await expect(page.getByTestId('import-detected-row')).toHaveAttribute('data-format', 'focus');
}
