/**
 * `valdrix import / costs / restatements / alerts` through the real command in child processes: JSON
 * shapes, failures with file:line, and a SIGKILL in the middle of a large import that nobody can see.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCostFiles } from '../../electron/core/ingest/import';
import { EXIT } from '../../electron/cli/exit-codes';
import { CLI, REPO_ROOT, runCli } from '../support/cli';
import { decimalSum } from '../support/decimal';
import { writeFocusCsv, writeLargeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { count, emptyWorkspace, INGEST_AS_OF, openReadOnly, request, visibleState } from '../support/ingest-store';
import { tempDir } from '../support/workspace';
import { soleTotal } from '../support/costs';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const money = /^-?\d+(\.\d+)?$/;

function cli(dir: string, args: string[]) {
  return runCli(['--workspace', dir, ...args], { VALDRIX_NOW: INGEST_AS_OF });
}

function json<T>(run: { status: number | null; stdout: string; stderr: string }): T {
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

describe('valdrix import and the cost commands', () => {
  let dir: string;
  let files: string;
  const day = '2024-03-05';
  const v1: FocusRow[] = [
    { day, service: 'Amazon EC2', resource: 'i-1', billed: '100', tags: { env: 'prod' } },
    {
      day: '2024-03-06',
      service: 'Amazon EC2',
      resource: 'i-2',
      billed: '0.000000000000000000000001',
      tags: { env: 'dev' },
    },
    { day, service: 'Amazon S3', resource: 'b-1', billed: '40.5' },
    { day: '2024-04-02', service: 'Amazon S3', resource: 'b-1', billed: '1.2E-7' },
  ];

  beforeAll(() => {
    files = tempDir('valdrix-ingest-cli-');
    dir = path.join(files, 'ws');
    expect(runCli(['--workspace', dir, 'init', '--json']).status).toBe(0);
  });
  afterAll(() => fs.rmSync(files, { recursive: true, force: true }));

  it('import --json prints the run, files, counts, skipped rows, alerts and exact totals', () => {
    const { file } = writeFocusCsv(files, 'v1.csv', v1);
    const run = cli(dir, ['import', file, '--json']);
    expect(run.stderr).toBe('');
    const result = json<Record<string, unknown>>(run);
    expect(result).toEqual({
      runId: expect.stringMatching(ULID) as string,
      source: 'focus',
      files: [{ path: file, format: 'focus', variant: 'FOCUS 1.0', container: 'csv', rows: 4 }],
      rowsRead: 4,
      inserted: 4,
      updated: 0,
      unchanged: 0,
      removed: 0,
      restated: 0,
      snapshots: [
        { billingAccountId: 'acct-1', billingPeriod: '2024-03', status: 'new', lines: 3 },
        { billingAccountId: 'acct-1', billingPeriod: '2024-04', status: 'new', lines: 1 },
      ],
      skipped: [],
      skippedCount: 0,
      alerts: [],
      alertCount: 0,
      alertId: null,
      status: 'published',
      totals: [
        {
          currency: 'USD',
          billed: decimalSum(v1.map((r) => r.billed)),
          effective: decimalSum(v1.map((r) => r.billed)),
        },
      ],
    });
  });

  it('costs --by service,month --json: rows per group with exact money, total, finality; tag values or null', () => {
    const answer = json<{
      rows: Record<string, string | null>[];
      totals: { currency: string; billed: string; effective: string }[];
      finality: { finalThrough: string; rule: string };
    }>(cli(dir, ['costs', '--by', 'service,month', '--json']));
    const group = (service: string, month: string) =>
      decimalSum(v1.filter((r) => r.service === service && (r.day ?? '').startsWith(month)).map((r) => r.billed));
    expect(answer.rows).toEqual([
      {
        service: 'Amazon EC2',
        month: '2024-03',
        billed: group('Amazon EC2', '2024-03'),
        effective: group('Amazon EC2', '2024-03'),
        currency: 'USD',
      },
      {
        service: 'Amazon S3',
        month: '2024-03',
        billed: group('Amazon S3', '2024-03'),
        effective: group('Amazon S3', '2024-03'),
        currency: 'USD',
      },
      { service: 'Amazon S3', month: '2024-04', billed: '0.00000012', effective: '0.00000012', currency: 'USD' },
    ]);
    expect(answer.rows[0]!.billed).toBe('100.000000000000000000000001');
    const total = decimalSum(v1.map((r) => r.billed));
    expect(soleTotal(answer)).toEqual({ billed: total, effective: total, currency: 'USD' });
    expect(answer.totals).toEqual([{ currency: 'USD', billed: total, effective: total }]);
    expect(answer.finality).toEqual({ finalThrough: '2026-10-31', rule: expect.any(String) as string });

    const tags = json<{ rows: Record<string, string | null>[] }>(cli(dir, ['costs', '--by', 'tag:env', '--json']));
    expect(tags.rows).toEqual([
      // Untagged rows group under null (JSON null, not "null" or "").
      {
        'tag:env': null,
        billed: decimalSum(['40.5', '1.2E-7']),
        effective: decimalSum(['40.5', '1.2E-7']),
        currency: 'USD',
      },
      {
        'tag:env': 'dev',
        billed: '0.000000000000000000000001',
        effective: '0.000000000000000000000001',
        currency: 'USD',
      },
      { 'tag:env': 'prod', billed: '100', effective: '100', currency: 'USD' },
    ]);
    for (const row of [...answer.rows, ...tags.rows]) expect(row.billed).toMatch(money);
  });

  it('a restating import is listed by restatements --json and raises alerts listed by alerts --json', () => {
    const v2: FocusRow[] = [
      { ...v1[0]!, billed: '103' }, // +3 %: alert
      { ...v1[1]! },
      // b-1 in March is gone: removed, alert (−100 %)
      { ...v1[3]! },
    ];
    const { file } = writeFocusCsv(files, 'v2.csv', v2);
    const result = json<{ runId: string; updated: number; removed: number; restated: number; alerts: unknown[] }>(
      // A third of March's lines go: the replacement guard would hold it (exit 10) unless confirmed.
      cli(dir, ['import', file, '--confirm-replace', '--json']),
    );
    expect(result).toMatchObject({ updated: 1, removed: 1, restated: 2 });

    const { restatements } = json<{ restatements: Record<string, unknown>[] }>(cli(dir, ['restatements', '--json']));
    const base = {
      runId: result.runId,
      previousRunId: expect.stringMatching(ULID) as string,
      source: 'focus',
      billingAccountId: 'acct-1',
      billingPeriod: '2024-03',
      chargeDay: day,
      chargeCategory: 'Usage',
      currency: 'USD',
      createdAt: expect.any(String) as string,
      id: expect.any(Number) as number,
    };
    expect([...restatements].sort((a, b) => String(a.kind).localeCompare(String(b.kind)))).toEqual([
      {
        ...base,
        kind: 'changed',
        serviceName: 'Amazon EC2',
        resourceId: 'i-1',
        oldBilled: '100',
        newBilled: '103',
        oldEffective: '100',
        newEffective: '103',
        oldLineId: expect.any(Number) as number,
        newLineId: expect.any(Number) as number,
      },
      {
        ...base,
        kind: 'removed',
        serviceName: 'Amazon S3',
        resourceId: 'b-1',
        oldBilled: '40.5',
        newBilled: null,
        oldEffective: '40.5',
        newEffective: null,
        oldLineId: expect.any(Number) as number,
        newLineId: null,
      },
    ]);

    const { alerts } = json<{ alerts: Record<string, unknown>[] }>(cli(dir, ['alerts', '--json']));
    const restated = alerts.filter((a) => a.kind === 'costs.restated');
    // One alert for the run, summing its two cells.
    expect(restated.map((a) => [a.title, a.message])).toEqual([
      [
        'Import into "focus" restated 2 cells past the alert threshold',
        `2 day × account × service cells moved; net -$37.50 (gross $43.50). Largest: Amazon S3 on ${day} $40.50 → $0.00.`,
      ],
    ]);
    expect(restated[0]).toMatchObject({
      id: expect.stringMatching(ULID) as string,
      severity: 'warning',
      entityType: 'import_run',
      entityId: result.runId,
      details: { runId: result.runId, cellCount: 2, impact: [{ currency: 'USD', net: '-37.5', gross: '43.5' }] },
    });
    expect(result.alerts).toHaveLength(2);
  });

  it('a bad row fails with a non-zero exit and file:line (column), as JSON or as one line on stderr', () => {
    const rows: FocusRow[] = [
      { resource: 'x-1', billed: '1' },
      { resource: 'x-2', billed: '1..5' },
    ];
    const { file, lines } = writeFocusCsv(files, 'bad.csv', rows);
    const db = openReadOnly(dir);
    const before = visibleState(db);

    const asJson = cli(dir, ['import', file, '--json']);
    expect(asJson.status).not.toBe(0);
    const { error } = JSON.parse(asJson.stdout) as {
      error: { code: string; message: string; details: { file: string; line: number; column: string } };
    };
    expect(error).toMatchObject({ code: 'IMPORT_FORMAT', details: { file, line: lines[1], column: 'BilledCost' } });
    expect(error.message).toContain(`${file}:${lines[1]} (column "BilledCost")`);

    const asText = cli(dir, ['import', file]);
    expect(asText.status).not.toBe(0);
    expect(asText.stdout).toBe('');
    expect(asText.stderr).toMatch(
      new RegExp(`^valdrix: ${escape(file)}:${lines[1]} \\(column "BilledCost"\\): .*\\[IMPORT_FORMAT\\]\\n$`),
    );

    const unknown = path.join(files, 'unknown.csv');
    fs.writeFileSync(unknown, 'foo,bar\n1,2\n');
    const format = cli(dir, ['import', unknown, '--json']);
    expect(format.status).toBe(EXIT['bad input']);
    expect(JSON.parse(format.stdout)).toMatchObject({
      error: { code: 'IMPORT_FORMAT', details: { file: unknown, line: 1 } },
    });

    // None of it changed what anyone sees.
    expect(visibleState(db)).toEqual(before);
    db.close();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('valdrix import killed mid-write', () => {
  it('SIGKILL while writing leaves the visible store as it was; the next import fails the orphaned run and collects its lines', async () => {
    const { workspace, dir, deps } = emptyWorkspace();
    const files = path.dirname(dir);
    const base = writeFocusCsv(files, 'base.csv', [
      { day: '2024-06-01', resource: 'i-1', billed: '10.25' },
      { day: '2024-07-01', resource: 'i-2', billed: '3' },
    ]);
    await importCostFiles(deps, request(base.file));
    workspace.close();
    // A period the store does not have yet: its lines are written from the first batch on.
    const large = await writeLargeFocusCsv(path.join(files, 'large.csv'), 300_000, {
      account: 'acct-1',
      period: '2024-09',
    });

    const db = openReadOnly(dir);
    let child: ReturnType<typeof spawn> | null = null;
    try {
      const before = visibleState(db);
      child = spawn(process.execPath, [CLI, '--workspace', dir, 'import', large.file, '--json'], {
        cwd: REPO_ROOT,
        env: { ...process.env, VALDRIX_WORKSPACE: '', VALDRIX_NOW: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child!.once('exit', (code, signal) => resolve({ code, signal })),
      );

      // Wait until the child has a running import with lines written, then kill it without warning.
      let orphan: { id: string; lines: number } | null = null;
      const deadline = Date.now() + 45_000;
      while (!orphan && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const running = db.prepare(`SELECT id FROM import_run WHERE status = 'running'`).get() as
          { id: string } | undefined;
        if (!running) continue;
        const lines = count(
          db,
          'SELECT COUNT(*) FROM cost_line WHERE run_seq = (SELECT seq FROM import_run WHERE id = ?)',
          running.id,
        );
        if (lines > 0) orphan = { id: running.id, lines };
      }
      expect(orphan, `the import never started writing: ${stderr}`).not.toBeNull();
      child.kill('SIGKILL');
      expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });

      // What anyone sees is exactly what was there before; the run is left 'running' with invisible lines.
      expect(visibleState(db)).toEqual(before);
      expect(db.prepare('SELECT status FROM import_run WHERE id = ?').get(orphan!.id)).toEqual({ status: 'running' });
      expect(
        count(
          db,
          'SELECT COUNT(*) FROM cost_line WHERE run_seq = (SELECT seq FROM import_run WHERE id = ?)',
          orphan!.id,
        ),
      ).toBeGreaterThanOrEqual(orphan!.lines);
      expect(large.rows).toBeGreaterThan(orphan!.lines);

      // The next import succeeds, marks the orphan failed and deletes its lines.
      const next = writeFocusCsv(files, 'next.csv', [{ day: '2024-08-01', resource: 'i-3', billed: '0.5' }]);
      const run = cli(dir, ['import', next.file, '--json']);
      expect(run.status, run.stderr).toBe(0);
      const orphanRun = db.prepare('SELECT status, summary FROM import_run WHERE id = ?').get(orphan!.id) as {
        status: string;
        summary: string;
      };
      expect(orphanRun.status).toBe('failed');
      expect(JSON.parse(orphanRun.summary)).toMatchObject({
        error: { message: expect.stringMatching(/stopped/) as string },
      });
      // The abandonment is in the audit trail: which run, its files, and when it was found.
      const abandoned = db
        .prepare(`SELECT entity_id AS runId, details FROM audit_event WHERE action = 'costs.import_abandoned'`)
        .all() as { runId: string; details: string }[];
      expect(abandoned.map((event) => event.runId)).toEqual([orphan!.id]);
      expect(JSON.parse(abandoned[0]!.details)).toMatchObject({
        files: [large.file],
        process: { pid: child.pid, host: os.hostname() },
        foundAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as string,
        startedAt: expect.any(String) as string,
      });
      expect(
        count(
          db,
          'SELECT COUNT(*) FROM cost_line WHERE run_seq = (SELECT seq FROM import_run WHERE id = ?)',
          orphan!.id,
        ),
      ).toBe(0);
      expect(count(db, 'SELECT COUNT(*) FROM cost_line')).toBe(3);
      const after = visibleState(db);
      expect(soleTotal(after.costs).billed).toBe(decimalSum(['10.25', '3', '0.5']));
      expect(after.restatements).toEqual(before.restatements);
      expect(after.snapshots.filter((s) => s.billingPeriod !== '2024-08')).toEqual(before.snapshots);
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      db.close();
      fs.rmSync(files, { recursive: true, force: true });
    }
  });
});
