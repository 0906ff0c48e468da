import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/exit-codes';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { EventBus } from '../../electron/core/app/event-bus';
import { manifestPath } from '../../electron/core/audit/export';
import { verifyAuditExport } from '../../electron/core/audit/verify';
import { loadDemoData } from '../../electron/core/demo/demo';
import { detectStuckJobs } from '../../electron/core/jobs/stuck';
import { ensureSchedule } from '../../electron/core/jobs/scheduler';
import { createJobSystem, type JobSystem } from '../../electron/core/jobs/system';
import { createLogger, silentLogger } from '../../electron/core/log/logger';
import { keychainSecretStore } from '../../electron/core/secrets/secret-store';
import { createServices } from '../../electron/core/services';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/workspace';
import { GENESIS_HASH } from '../../shared/audit';
import { expectAudited, exportWorkspaceAudit } from '../support/audit';
import { runCli } from '../support/cli';
import { testServices } from '../support/services';
import { DEMO_AS_OF, tempDir } from '../support/workspace';

const clock = fixedClock(parseAsOf(DEMO_AS_OF));
const secrets = keychainSecretStore('Valdrix-tests');
const open: { close(): unknown }[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

function workspace(logFile?: string): Workspace {
  const ws = openWorkspace(tempDir(), {
    clock,
    create: true,
    logger: logFile ? createLogger({ file: logFile }) : silentLogger(),
  });
  open.push(ws);
  return ws;
}

async function exported(ws: Workspace, format: 'jsonl' | 'csv' = 'jsonl', extra: { from?: string; to?: string } = {}) {
  for (let i = 0; i < 6; i++)
    ws.audit.record({
      action: 'test.event',
      entityType: 'thing',
      entityId: `t${i}`,
      details: { i, note: 'x,"quoted"\nline' },
    });
  const out = path.join(tempDir(), `audit.${format}`);
  await exportWorkspaceAudit(ws, {
    secrets,
    out,
    format,
    ...extra,
  });
  return out;
}

function copyExport(
  file: string,
  mutate: (lines: string[]) => string[],
  mutateManifest?: (m: Record<string, unknown>) => void,
): string {
  const target = path.join(tempDir(), path.basename(file));
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  fs.writeFileSync(target, mutate(lines).join('\n'));
  const manifest = JSON.parse(fs.readFileSync(manifestPath(file), 'utf8')) as Record<string, unknown>;
  mutateManifest?.(manifest);
  fs.writeFileSync(manifestPath(target), JSON.stringify(manifest, null, 2));
  return target;
}

describe('audit export and offline verification', () => {
  it('an intact JSONL export verifies; the chain starts at the genesis hash', async () => {
    const file = await exported(workspace());
    const report = await verifyAuditExport(file);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, count: 8, firstSeq: 1, lastSeq: 8 });
    const first = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0]!) as { prevHash: string; action: string };
    expect(first).toMatchObject({ prevHash: GENESIS_HASH, action: 'workspace.created' });
  });

  it('an intact CSV export verifies, embedded commas, quotes and newlines included', async () => {
    const report = await verifyAuditExport(await exported(workspace(), 'csv'));
    expect(report.problems).toEqual([]);
    expect(report.count).toBe(8);
  });

  it('detects a one-byte change and names the event', async () => {
    const file = await exported(workspace());
    const bad = copyExport(file, (lines) => {
      lines[4] = lines[4]!.replace('"i":2', '"i":9');
      return lines;
    });
    const report = await verifyAuditExport(bad);
    expect(report.ok).toBe(false);
    expect(report.firstBadRecord).toMatchObject({ line: 5, seq: 5 });
    expect(report.firstBadRecord!.message).toMatch(
      /line 5, event 5 \(test\.event\): its hash does not match its content/,
    );
    expect(report.problems.some((p) => /SHA-256/.test(p.message))).toBe(true);
  });

  it('detects a one-byte change in a CSV export', async () => {
    const file = await exported(workspace(), 'csv');
    const bad = copyExport(file, (lines) => lines.map((l) => l.replace('t2', 't9')));
    const report = await verifyAuditExport(bad);
    expect(report.firstBadRecord?.message).toMatch(/event 5 \(test\.event\): its hash does not match/);
  });

  it('detects a deleted line', async () => {
    const file = await exported(workspace());
    const report = await verifyAuditExport(copyExport(file, (lines) => lines.filter((_, i) => i !== 3)));
    expect(report.ok).toBe(false);
    expect(report.firstBadRecord!.message).toMatch(/line 4, event 5 \(test\.event\): sequence 5 where 4 was expected/);
    expect(report.problems.some((p) => /holds 7 events; the manifest says 8/.test(p.message))).toBe(true);
  });

  it('detects two swapped lines', async () => {
    const file = await exported(workspace());
    const report = await verifyAuditExport(
      copyExport(file, (lines) => {
        [lines[2], lines[3]] = [lines[3]!, lines[2]!];
        return lines;
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.firstBadRecord!.message).toMatch(/line 3, event 4 .*sequence 4 where 3 was expected/);
  });

  it('detects a changed manifest', async () => {
    const file = await exported(workspace());
    const report = await verifyAuditExport(
      copyExport(
        file,
        (lines) => lines,
        (m) => (m.count = 7),
      ),
    );
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message)).toContain(
      'the manifest signature is invalid: the manifest was changed or signed with another key',
    );
  });

  it('detects a bad signature', async () => {
    const file = await exported(workspace());
    const report = await verifyAuditExport(
      copyExport(
        file,
        (lines) => lines,
        (m) => {
          const signature = Buffer.from(m.signature as string, 'base64');
          signature[10] = signature[10]! ^ 0xff;
          m.signature = signature.toString('base64');
        },
      ),
    );
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message)).toContain(
      'the manifest signature is invalid: the manifest was changed or signed with another key',
    );
    expect(report.firstBadRecord).toBeNull();
  });

  it('a date-range export verifies from its anchor, not the genesis', async () => {
    const ws = workspace();
    const file = await exported(ws, 'jsonl', { from: '2020-01-01', to: '2999-12-31' });
    expect((await verifyAuditExport(file)).ok).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(manifestPath(file), 'utf8')) as { firstPrevHash: string };
    expect(manifest.firstPrevHash).toBe(GENESIS_HASH);
    const none = await exported(ws, 'jsonl', { from: '2999-01-01' });
    expect(await verifyAuditExport(none)).toMatchObject({ ok: true, count: 0 });
  });

  it('keeps the signing key in the keychain and the public key in the workspace', async () => {
    const ws = workspace();
    const first = await exported(ws);
    const second = await exported(ws);
    const key = (f: string) =>
      (JSON.parse(fs.readFileSync(manifestPath(f), 'utf8')) as { publicKeyFingerprint: string }).publicKeyFingerprint;
    expect(key(first)).toBe(key(second));
    expect(await secrets.get(`audit-signing-key:${ws.meta.id}`)).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
  });
});

describe('the audit table', () => {
  it('rejects UPDATE and DELETE, even through a raw connection', () => {
    const ws = workspace();
    const raw = new Database(ws.store.file);
    try {
      expect(() => raw.prepare(`UPDATE audit_event SET action = 'x' WHERE seq = 1`).run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM audit_event').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    expect(ws.audit.verifyChain()).toMatchObject({ ok: true, count: 2 });
  });

  it('never stores or logs a secret', async () => {
    const dir = tempDir();
    const logFile = path.join(dir, 'test.log');
    const ws = workspace(logFile);
    const secretsSeen = [
      'hunter2-pass',
      'AKIAIOSFODNN7EXAMPLE',
      'wJalrXUtnFEMI-secret-key',
      'sess-token-123',
      'ext-id-998',
      'cs-abc-777',
      'sk-live-api-key',
    ];
    ws.audit.record({
      action: 'connection.added',
      entityType: 'connection',
      entityId: 'aws-prod',
      before: null,
      after: {
        name: 'AWS prod',
        password: secretsSeen[0],
        access_key: secretsSeen[1],
        secret_access_key: secretsSeen[2],
        session_token: secretsSeen[3],
        external_id: secretsSeen[4],
        nested: { client_secret: secretsSeen[5], list: [{ api_key: secretsSeen[6] }] },
      },
      details: { note: `Authorization: Bearer ${secretsSeen[3]}` },
    });
    ws.logger.info(
      { connection: { password: secretsSeen[0], secret_access_key: secretsSeen[2] } },
      `connecting with token=${secretsSeen[3]}`,
    );
    const [event] = ws.audit.list({ action: 'connection.added' });
    expect((event!.after as { name: string }).name).toBe('AWS prod');
    ws.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const files = [ws.store.file, `${ws.store.file}-wal`, logFile].filter((f) => fs.existsSync(f));
    for (const file of files) {
      const bytes = fs.readFileSync(file).toString('latin1');
      for (const secret of secretsSeen)
        expect(bytes.includes(secret), `${secret} in ${path.basename(file)}`).toBe(false);
    }
    expect(fs.readFileSync(logFile, 'utf8')).toContain('connecting with token=***');
  });
});

describe('every action records its audit events', () => {
  function services(ws: Workspace, jobs: JobSystem) {
    return createServices({
      workspace: ws,
      clock,
      logger: silentLogger(),
      events: new EventBus(),
      jobs,
      secrets,
      mode: 'browser',
    });
  }

  it('workspace creation records the workspace and its first setting', () => {
    const ws = workspace();
    expect(
      ws.audit
        .list()
        .reverse()
        .map((e) => [e.action, e.entityId, e.after]),
    ).toEqual([
      ['workspace.created', ws.meta.id, { name: path.basename(ws.paths.dir) }],
      ['setting.changed', 'reportingCurrency', 'USD'],
    ]);
  });

  it('loading the demo records the data change with counts and totals', async () => {
    const ws = workspace();
    const [event] = await expectAudited(ws.audit, [{ action: 'costs.demo_loaded', entityType: 'import_run' }], () =>
      loadDemoData(ws, clock),
    );
    expect(event!.details).toMatchObject({ rows: 20730, replacedRows: 0, billed: '5753730.164655', currency: 'USD' });
    expect(event!.runId).toBe(event!.entityId);
  });

  it('starting, cancelling and retrying jobs are recorded as user actions', async () => {
    const ws = workspace();
    const jobs = createJobSystem({ workspace: ws, logger: silentLogger() });
    const svc = services(ws, jobs);
    let id = '';
    await expectAudited(
      ws.audit,
      [{ action: 'job.started', entityType: 'job' }],
      async () => (id = (await svc.jobs.start('demo.long', { steps: 1 })).id),
    );
    await expectAudited(ws.audit, [{ action: 'job.cancelled', entityId: id }], () => svc.jobs.cancel(id));
    await expectAudited(ws.audit, [{ action: 'job.retried', entityId: id }], () => svc.jobs.retry(id));
  });

  it('schedule changes are recorded with before and after', async () => {
    const ws = workspace();
    const jobs = createJobSystem({ workspace: ws, logger: silentLogger() });
    await expectAudited(ws.audit, [{ action: 'schedule.created', entityId: 'nightly', before: null }], () =>
      ensureSchedule(jobs.queue, { name: 'nightly', type: 'workspace.maintenance', spec: { dailyAt: '02:00' } }),
    );
    await expectAudited(
      ws.audit,
      [
        {
          action: 'schedule.changed',
          before: { type: 'workspace.maintenance', spec: { dailyAt: '02:00' }, enabled: true },
          after: { type: 'workspace.maintenance', spec: { dailyAt: '04:00' }, enabled: true },
        },
      ],
      () => ensureSchedule(jobs.queue, { name: 'nightly', type: 'workspace.maintenance', spec: { dailyAt: '04:00' } }),
    );
  });

  it('alerts are recorded as system events', async () => {
    const ws = workspace();
    let now = Date.now();
    const jobs = createJobSystem({ workspace: ws, logger: silentLogger(), now: () => now });
    jobs.queue.enqueue('workspace.maintenance', {});
    now += 2 * 60 * 60 * 1000;
    await expectAudited(ws.audit, [{ action: 'alert.raised', entityType: 'job' }], () =>
      detectStuckJobs(jobs.queue, { freeSlots: 1 }),
    );
  });

  it('exports are recorded', async () => {
    const ws = workspace();
    const out = path.join(tempDir(), 'a.jsonl');
    const [event] = await expectAudited(ws.audit, [{ action: 'audit.exported', entityId: 'a.jsonl' }], () =>
      exportWorkspaceAudit(ws, { secrets, out }),
    );
    expect(event!.details).toMatchObject({ format: 'jsonl', count: 2 });
  });

  it('the integrity-check job records its result, and raises a critical alert on a broken chain', async () => {
    const ws = workspace();
    const jobs = createJobSystem({ workspace: ws, logger: silentLogger() });
    const run = async () => {
      const definition = jobs.registry.get('audit.verify-chain')!;
      return definition.run(
        {
          jobId: 'job-1',
          attempt: 1,
          logger: silentLogger(),
          now: Date.now,
          clock: ws.clock,
          progress: () => undefined,
          store: () => ws.store,
          commit: () => undefined as never,
        },
        {},
        new AbortController().signal,
      );
    };
    await expectAudited(ws.audit, [{ action: 'audit.integrity_checked', runId: 'job-1' }], run);

    // Someone edits the file with another tool, dropping the trigger first.
    ws.store.sqlite.exec('DROP TRIGGER audit_event_no_update');
    ws.store.sqlite.prepare(`UPDATE audit_event SET after = '"EUR"' WHERE seq = 2`).run();
    const result = (await run()) as { ok: boolean; firstBad: { seq: number } };
    expect(result).toMatchObject({ ok: false, firstBad: { seq: 2 } });
    const actions = ws.audit.list({ limit: 3 }).map((e) => e.action);
    expect(actions).toEqual(['alert.raised', 'audit.integrity_checked', 'audit.integrity_checked']);
    const alert = ws.store.sqlite.prepare(`SELECT severity, title FROM alert WHERE kind = 'audit.chain_broken'`).get();
    expect(alert).toEqual({ severity: 'critical', title: 'The audit trail failed its integrity check' });
  });
});

describe('CLI actions record audit events', () => {
  it('jobs enqueue, cancel and retry from the command line are audited', () => {
    const dir = tempDir();
    expect(runCli(['--workspace', dir, 'init']).status).toBe(0);
    const enqueued = JSON.parse(runCli(['--workspace', dir, 'jobs', 'enqueue', 'demo.long', '--json']).stdout) as {
      job: { id: string };
    };
    const id = enqueued.job.id;
    expect(runCli(['--workspace', dir, 'jobs', 'cancel', id]).status).toBe(0);
    expect(runCli(['--workspace', dir, 'jobs', 'retry', id]).status).toBe(0);
    const list = JSON.parse(runCli(['--workspace', dir, 'audit', 'list', '--action', 'job.', '--json']).stdout) as {
      events: { action: string; entityId: string }[];
    };
    expect(list.events.map((e) => [e.action, e.entityId]).reverse()).toEqual([
      ['job.enqueued', id],
      ['job.cancelled', id],
      ['job.retried', id],
    ]);
    expect(runCli(['--workspace', dir, 'audit', 'check']).status).toBe(0);
  });
});

describe('valdrix audit (CLI)', () => {
  it('export then verify exits 0; one flipped character exits non-zero naming the event', () => {
    const dir = tempDir();
    expect(runCli(['--workspace', dir, 'demo'], { VALDRIX_NOW: DEMO_AS_OF }).status).toBe(0);
    const out = path.join(tempDir(), 'a.jsonl');
    const exportRun = runCli(['--workspace', dir, 'audit', 'export', '--out', out, '--json']);
    expect(exportRun.status, exportRun.stderr).toBe(0);
    const verify = runCli(['audit', 'verify', out]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^Intact: 3 events/);

    const lines = fs.readFileSync(out, 'utf8').split('\n');
    lines[2] = lines[2]!.replace('"rows":20730', '"rows":20731');
    fs.writeFileSync(out, lines.join('\n'));
    const tampered = runCli(['audit', 'verify', out, '--json']);
    expect(tampered.status).toBe(EXIT['not intact']);
    const report = JSON.parse(tampered.stdout) as { ok: boolean; firstBadRecord: { seq: number; message: string } };
    expect(report.ok).toBe(false);
    expect(report.firstBadRecord).toMatchObject({ seq: 3 });
    expect(report.firstBadRecord.message).toMatch(/event 3 \(costs\.demo_loaded\)/);
    const human = runCli(['audit', 'verify', out]);
    expect(human.status).toBe(EXIT['not intact']);
    expect(human.stdout).toMatch(/NOT INTACT: first bad record: line 3, event 3 \(costs\.demo_loaded\)/);
  });
});

describe('audit queries', () => {
  it('filters by action prefix, underscores included', () => {
    const ws = workspace();
    ws.audit.record({ action: 'job.cancel_requested', entityType: 'job', entityId: 'a' });
    ws.audit.record({ action: 'job.cancelXrequested', entityType: 'job', entityId: 'b' });
    expect(ws.audit.list({ action: 'job.cancel_requested' }).map((e) => e.entityId)).toEqual(['a']);
    expect(ws.audit.list({ action: 'job.' })).toHaveLength(2);
    expect(ws.audit.count({ action: 'setting.changed' })).toBe(1);
  });

  it("the app's chain status goes on from the newest full check instead of re-reading the whole trail", () => {
    const ws = workspace();
    const svc = testServices(ws, { clock, secrets });
    for (let i = 0; i < 5; i++) ws.audit.record({ action: 'test.event', entityType: 'thing', entityId: `t${i}` });
    // A full check, as the integrity job (in a worker) or `valdrix audit check` records it.
    ws.audit.record({ action: 'audit.integrity_checked', entityType: 'audit_trail', details: ws.audit.verifyChain() });
    ws.audit.record({ action: 'test.event', entityType: 'thing', entityId: 'after' });
    ws.store.sqlite.exec('DROP TRIGGER audit_event_no_update');
    // Changed before the anchor: found by the next full check (every 6 hours), not re-read by the UI.
    ws.store.sqlite.prepare(`UPDATE audit_event SET entity_id = 'x' WHERE seq = 3`).run();
    expect(svc.audit.status()).toMatchObject({ ok: true, count: 9, lastSeq: 9 });
    expect(ws.audit.verifyChain()).toMatchObject({ ok: false, firstBad: { seq: 3 } });
    // Changed after it: the UI's status sees it.
    ws.store.sqlite.prepare(`UPDATE audit_event SET entity_id = 'y' WHERE seq = 9`).run();
    const fresh = testServices(ws, { clock, secrets });
    expect(fresh.audit.status()).toMatchObject({ ok: false, firstBad: { seq: 9 } });
  });

  it('verifies incrementally from a verified point and reports the total count', () => {
    const ws = workspace();
    const full = ws.audit.verifyChain();
    ws.audit.record({ action: 'test.event', entityType: 'thing' });
    const incremental = ws.audit.verifyChain({ seq: full.lastSeq!, hash: full.lastHash });
    expect(incremental).toMatchObject({ ok: true, count: 3, lastSeq: 3 });
    expect(ws.audit.verifyChain({ seq: 2, hash: 'f'.repeat(64) })).toMatchObject({
      ok: false,
      count: 3,
      firstBad: { seq: 3 },
    });
  });
});
