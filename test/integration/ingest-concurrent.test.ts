/**
 * Two imports at once. Of the same account and period: the second is refused at once, naming the
 * first, and the first completes. Of different data: both complete. Neither fails on SQLite's lock.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/exit-codes';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { importCostFiles, type ImportResult } from '../../electron/core/ingest/import';
import { silentLogger } from '../../electron/core/log/logger';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/workspace';
import { CLI, REPO_ROOT, runCli } from '../support/cli';
import { writeFocusCsv, writeLargeFocusCsv } from '../support/ingest-fixtures';
import { count, disposeWorkspace, emptyWorkspace, INGEST_AS_OF, openReadOnly, request } from '../support/ingest-store';
import { soleTotal } from '../support/costs';

const open: Workspace[] = [];
afterEach(() => {
  for (const workspace of open.splice(0).reverse()) {
    if (workspace.store.sqlite.open) disposeWorkspace(workspace);
  }
});

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('concurrent imports', () => {
  it('imports of different accounts run side by side', async () => {
    const { workspace, dir, deps } = emptyWorkspace();
    open.push(workspace);
    const other = openWorkspace(dir, { clock: fixedClock(parseAsOf(INGEST_AS_OF)), logger: silentLogger() });
    open.push(other);
    const files = path.dirname(dir);
    const a = await writeLargeFocusCsv(path.join(files, 'a.csv'), 30_000, { account: 'acct-a' });
    const b = await writeLargeFocusCsv(path.join(files, 'b.csv'), 30_000, { account: 'acct-b' });
    const [first, second] = await Promise.all([
      importCostFiles(deps, request(a.file), { batchSize: 1000 }),
      importCostFiles(
        { store: other.store, audit: other.audit, now: () => other.clock.now(), logger: silentLogger() },
        request(b.file),
        {
          batchSize: 1000,
        },
      ),
    ]);
    expect([soleTotal(first).billed, soleTotal(second).billed]).toEqual([a.billed, b.billed]);
  });

  it('a claim left by a process that no longer exists is taken over', async () => {
    const { workspace, deps, dir } = emptyWorkspace();
    open.push(workspace);
    const { sqlite } = workspace.store;
    const source = 'src-dead';
    sqlite
      .prepare(
        `INSERT INTO cost_source (id, version, updated_at, name, kind, created_at) VALUES (?, 1, '', 'focus', 'import', '')`,
      )
      .run(source);
    sqlite
      .prepare(
        `INSERT INTO import_run (id, seq, source_id, kind, status, started_at, rows_read, summary)
         VALUES ('01DEADRUN0000000000000000', 999, ?, 'import', 'running', '2026-01-01T00:00:00Z', 0, ?)`,
      )
      .run(source, JSON.stringify({ pid: 2 ** 22 + 17, host: os.hostname(), files: [] }));
    sqlite
      .prepare(
        `INSERT INTO import_claim (source_id, billing_account_id, billing_period, import_run_id, claimed_at)
         VALUES (?, 'acct-1', '2024-03', '01DEADRUN0000000000000000', '2026-01-01T00:00:00Z')`,
      )
      .run(source);
    const { file } = writeFocusCsv(path.dirname(dir), 'c.csv', [{ billed: '1.5', resource: 'r' }]);
    expect(soleTotal(await importCostFiles(deps, request(file))).billed).toBe('1.5');
    expect(count(sqlite, 'SELECT COUNT(*) FROM import_claim')).toBe(0);
  });

  it('from the command line: the second import exits with the busy status and says who holds the data', async () => {
    const { workspace, dir, deps } = emptyWorkspace();
    const files = path.dirname(dir);
    await importCostFiles(deps, request(writeFocusCsv(files, 'seed.csv', [{ billed: '1', resource: 's' }]).file));
    workspace.close();
    const large = await writeLargeFocusCsv(path.join(files, 'large.csv'), 150_000, {
      account: 'acct-1',
      period: '2024-09',
    });
    const copy = path.join(files, 'copy.csv');
    fs.copyFileSync(large.file, copy);
    const db = openReadOnly(dir);
    const child = spawn(process.execPath, [CLI, '--workspace', dir, 'import', large.file, '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, VALDRIX_WORKSPACE: '', VALDRIX_NOW: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await until(() => count(db, 'SELECT COUNT(*) FROM import_claim') > 0, 'the first import to claim');
      const started = Date.now();
      const second = runCli(['--workspace', dir, 'import', copy]);
      expect(second.status, second.stderr).toBe(EXIT.busy);
      // Its last words (a slow machine may first print hashing progress on a terminal-less stderr).
      expect(second.stderr).toMatch(
        /(^|\n)valdrix: another import of account acct-1, 2024-09 is running since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(run \w+, process \d+ on .+\); try again when it finishes \[CONFLICT\]\n$/,
      );
      // Refused up front, not after waiting on the lock (before: 13–19 s, then "database is locked").
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(child.exitCode).toBeNull();
      expect(await exited).toBe(0);
      expect(soleTotal(JSON.parse(stdout) as ImportResult).billed).toBe(large.billed);
      // Claims end with their runs; the refused run is failed and audited.
      expect(count(db, 'SELECT COUNT(*) FROM import_claim')).toBe(0);
      const failed = db
        .prepare(`SELECT details FROM audit_event WHERE action = 'costs.import_failed' ORDER BY seq DESC LIMIT 1`)
        .get() as { details: string };
      expect(JSON.parse(failed.details)).toMatchObject({ error: { code: 'CONFLICT' } });
      // Once the first has finished, the same import goes through: the data was the same, nothing changes.
      const again = runCli(['--workspace', dir, 'import', copy, '--json']);
      expect(again.status, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as ImportResult).snapshots).toEqual([
        { billingAccountId: 'acct-1', billingPeriod: '2024-09', status: 'unchanged', lines: large.rows },
      ]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      db.close();
      fs.rmSync(files, { recursive: true, force: true });
    }
  });
});
