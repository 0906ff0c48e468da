import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startServe, stop } from '../support/cli';
import { readLinesIndependently, tempDir } from '../support/workspace';
import { formatNanos } from '../../shared/money';
import { EXIT } from '../../electron/cli/exit-codes';

describe('valdrix CLI', () => {
  it('init creates a workspace and is idempotent', () => {
    const dir = path.join(tempDir(), 'ws');
    const first = runCli(['--workspace', dir, 'init', '--json']);
    expect(first.status, first.stderr).toBe(0);
    const created = JSON.parse(first.stdout) as {
      created: boolean;
      id: string;
      database: string;
      schemaVersion: number;
    };
    expect(created.created).toBe(true);
    expect(created.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(fs.existsSync(created.database)).toBe(true);

    const again = JSON.parse(runCli(['--workspace', dir, 'init', '--json']).stdout) as { created: boolean; id: string };
    expect(again).toMatchObject({ created: false, id: created.id });
  });

  it('demo --json reports totals equal to an independent sum of the stored lines, and is deterministic', () => {
    const dir = tempDir();
    const run = runCli(['--workspace', dir, 'demo', '--json'], { VALDRIX_NOW: '2026-11-21' });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      rows: number;
      from: string;
      to: string;
      totals: { billed: string; effective: string };
    };
    expect(result).toMatchObject({ from: '2025-11-01', to: '2026-11-20' });
    const lines = readLinesIndependently(dir);
    expect(lines).toHaveLength(result.rows);
    expect(result.totals.billed).toBe(formatNanos(lines.reduce((s, l) => s + l.billed, 0n)));
    expect(result.totals.effective).toBe(formatNanos(lines.reduce((s, l) => s + l.effective, 0n)));

    const again = JSON.parse(
      runCli(['--workspace', dir, '--as-of', '2026-11-21', 'demo', '--json']).stdout,
    ) as typeof result & {
      replacedRows: number;
    };
    expect(again.totals).toEqual(result.totals);
    expect(again.replacedRows).toBe(result.rows);
    expect(readLinesIndependently(dir)).toHaveLength(result.rows);
  });

  it('VALDRIX_WORKSPACE replaces --workspace', () => {
    const dir = path.join(tempDir(), 'from-env');
    const run = runCli(['init', '--json'], { VALDRIX_WORKSPACE: dir });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ workspace: dir, created: true });
  });

  it('fails clearly without a workspace, with a bad clock, and on an unknown command', () => {
    const none = runCli(['demo']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no workspace given: pass --workspace DIR or set VALDRIX_WORKSPACE \[VALIDATION\]/);

    const missing = runCli(['--workspace', path.join(tempDir(), 'nothing'), 'serve', '--json']);
    expect(missing.status).toBe(EXIT.workspace);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'WORKSPACE_INVALID' } });

    const clock = runCli(['--workspace', tempDir(), '--as-of', '21/11/2026', 'demo']);
    expect(clock.status).toBe(2);
    expect(clock.stderr).toMatch(/--as-of: expected YYYY-MM-DD/);

    const unknown = runCli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);

    const port = runCli(['--workspace', tempDir(), 'serve', '--port', 'abc']);
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/--port: expected 0-65535/);
  });

  it('has --help for every command', () => {
    for (const command of ['init', 'demo', 'serve', 'start']) {
      const run = runCli([command, '--help']);
      expect(run.status, command).toBe(0);
      expect(run.stdout).toContain(`Usage: valdrix ${command}`);
      expect(run.stdout).toMatch(/--workspace <dir>/);
      expect(run.stdout).toMatch(/--json/);
    }
  });

  it('serve prints its URL with a token and serves the contract', async () => {
    const dir = tempDir();
    expect(runCli(['--workspace', dir, 'demo'], { VALDRIX_NOW: '2026-11-21' }).status).toBe(0);
    const { child, info } = await startServe(['--workspace', dir], { VALDRIX_NOW: '2026-11-21' });
    try {
      expect(info.url).toBe(`${info.origin}/#token=${info.token}`);
      const ok = await fetch(`${info.origin}/api/invoke/overview.get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${info.token}` },
        body: '{}',
      });
      const body = (await ok.json()) as { ok: boolean; value: { asOf: string } };
      expect(body).toMatchObject({ ok: true, value: { asOf: '2026-11-21' } });
      const denied = await fetch(`${info.origin}/api/invoke/overview.get`, { method: 'POST', body: '{}' });
      expect(denied.status).toBe(401);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });
});
