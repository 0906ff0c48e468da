// Issue 14, item 11 and the audit part of item 5: an event's size is capped when it is recorded, stored
// events are hashed and exported from their stored text, and audit.list pages by bytes as well as count.
import { exportWorkspaceAudit } from '../support/audit';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { EventBus } from '../../electron/core/app/event-bus';
import { computeHash } from '../../electron/core/audit/audit-log';
import { AUDIT_TEXT_MAX_CHARS, AUDIT_VALUES_MAX_BYTES } from '../../electron/core/audit/cap';
import { StoredEvents } from '../../electron/core/audit/stored';
import { createJobSystem } from '../../electron/core/jobs/system';
import { silentLogger } from '../../electron/core/log/logger';
import { keychainSecretStore } from '../../electron/core/secrets/secret-store';
import { createServices } from '../../electron/core/services';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/workspace';
import { AUDIT_CSV_COLUMNS, canonicalJson, type AuditRecord } from '../../shared/audit';
import { spawnSync } from 'node:child_process';
import { CLI, REPO_ROOT } from '../support/cli';
import { DEMO_AS_OF, tempDir } from '../support/workspace';
import { insertLegacyEvent } from '../bench/audit';

const clock = fixedClock(parseAsOf(DEMO_AS_OF));
const secrets = keychainSecretStore('Valdrix-tests');
const open: Workspace[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

function workspace(dir = tempDir()): Workspace {
  const ws = openWorkspace(dir, { clock, create: true, logger: silentLogger() });
  open.push(ws);
  return ws;
}

/** Bytes of before, after and details as stored for one event. */
function storedValueBytes(ws: Workspace, seq: number): number {
  const row = ws.store.sqlite
    .prepare(
      'SELECT octet_length(before) + octet_length(after) + octet_length(details) AS n FROM audit_event WHERE seq = ?',
    )
    .get(seq) as { n: bigint };
  return Number(row.n);
}

/** Varied events: unicode, control characters, quotes, nesting, nulls, numbers, empty values. */
function recordVariedEvents(ws: Workspace): void {
  const values: unknown[] = [
    null,
    '',
    'plain',
    'café ✓ 日本 😀 \u2028 \u0000\u0001\u001f \t\n\r "quoted" back\\slash , comma',
    'lone \ud800 surrogate',
    0,
    -1,
    1.5,
    1e21,
    123456789012,
    true,
    false,
    [],
    {},
    [1, 'two', null, { three: [3] }],
    { z: 1, a: { y: [null, { b: 'ü' }] }, 'key "quoted"': 'v', ключ: 'значение', '10': 'ten', '9': 'nine' },
  ];
  values.forEach((value, i) =>
    ws.audit.record({
      action: i % 2 ? 'test.event' : 'test.other_event',
      entityType: 'thing',
      entityId: i % 3 ? `t,"${i}"\n` : null,
      before: values[(i + 3) % values.length],
      after: value,
      details: { i, value },
      runId: i % 4 ? null : `run-${i}`,
    }),
  );
}

// The CSV export as the version before streaming wrote it, cell by cell from the parsed record.
function oldCsvLine(record: AuditRecord): string {
  const json = (value: unknown) => (value === null ? '' : canonicalJson(value));
  const cells = [
    String(record.seq),
    record.ts,
    record.actor.os,
    record.actor.user ?? '',
    record.action,
    record.entityType,
    record.entityId ?? '',
    json(record.before),
    json(record.after),
    json(record.details),
    record.runId ?? '',
    record.appVersion,
    record.prevHash,
    record.hash,
  ];
  return cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',');
}

describe('the size cap on audit events', () => {
  it('stores a 50 MB string as a bounded, marked excerpt, and the chain still verifies', () => {
    const ws = workspace();
    const message = `${'x'.repeat(25_000_000)}${'é"\n'.repeat(8_333_334)}`;
    const record = ws.audit.record({
      action: 'import.failed',
      entityType: 'import_run',
      entityId: 'r1',
      details: { message, rows: 3 },
    });
    expect(storedValueBytes(ws, record.seq)).toBeLessThanOrEqual(AUDIT_VALUES_MAX_BYTES);
    const details = record.details as { message: string; rows: number };
    expect(details.rows).toBe(3);
    expect(details.message).toMatch(/^x+…\[truncated from 50,000,002 characters\]$/);
    expect(ws.audit.verifyChain()).toMatchObject({ ok: true, firstBad: null });
    expect(ws.audit.list({ limit: 1 })[0]).toEqual(record);
  });

  it('cuts long arrays, wide objects and deep nesting with a marker entry, deterministically', () => {
    const ws = workspace();
    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${String(i).padStart(5, '0')}`, i]));
    let deep: unknown = 'y'.repeat(100_000);
    for (let i = 0; i < 100; i++) deep = [deep];
    const event = {
      action: 'test.big',
      entityType: 'thing',
      before: Array.from({ length: 100_000 }, (_, i) => i),
      after: wide,
      details: { deep },
    };
    const first = ws.audit.record(event);
    const second = ws.audit.record(event);
    expect(storedValueBytes(ws, first.seq)).toBeLessThanOrEqual(AUDIT_VALUES_MAX_BYTES);
    const before = first.before as unknown[];
    expect(before.at(-1)).toMatch(/^…\[truncated: [\d,]+ more items\]$/);
    expect(before.slice(0, 3)).toEqual([0, 1, 2]);
    expect((first.after as Record<string, unknown>)['…']).toMatch(/^…\[truncated: [\d,]+ more keys\]$/);
    expect(JSON.stringify(first.details)).toContain('…[truncated: nested deeper than 32 levels]');
    expect([second.before, second.after, second.details]).toEqual([first.before, first.after, first.details]);
    expect(ws.audit.verifyChain().ok).toBe(true);
  });

  it('caps the action, entity and run ids', () => {
    const ws = workspace();
    const record = ws.audit.record({
      action: 'test.event',
      entityType: 'file',
      entityId: 'p'.repeat(5000),
      runId: 'r'.repeat(2000),
    });
    expect(record.entityId).toHaveLength(AUDIT_TEXT_MAX_CHARS);
    expect(record.entityId).toMatch(/…\[truncated from 5,000 characters\]$/);
    expect(record.runId).toMatch(/…\[truncated from 2,000 characters\]$/);
    expect(ws.audit.verifyChain().ok).toBe(true);
  });

  it('leaves an event within the cap exactly as it was', () => {
    const ws = workspace();
    const details = { note: 'x'.repeat(60_000), nested: { list: [1, 'é', null], when: '2026-11-21' } };
    const record = ws.audit.record({ action: 'test.event', entityType: 'thing', details, after: 'USD' });
    const row = ws.store.sqlite.prepare('SELECT after, details FROM audit_event WHERE seq = ?').get(record.seq);
    expect(row).toEqual({ after: '"USD"', details: canonicalJson(details) });
    expect(record.details).toEqual(details);
  });
});

describe('stored events, hashed and exported from their stored text', () => {
  it('pieces give the canonical JSON and the hash of the parsed record, for every kind of value', () => {
    const ws = workspace();
    recordVariedEvents(ws);
    insertLegacyEvent(ws, { message: 'legacy 😀 "q"\n'.repeat(1000) });
    const records = ws.audit.list({ limit: 500 }).reverse();
    const reader = new StoredEvents(ws.store.sqlite);
    const events = [...reader.iterate()];
    expect(events.map((e) => e.seq)).toEqual(records.map((r) => r.seq));
    events.forEach((event, i) => {
      const record = records[i]!;
      const pieces: Buffer[] = [];
      reader.canonical(event, true, (piece) => pieces.push(Buffer.from(piece)));
      expect(Buffer.concat(pieces).toString('utf8')).toBe(canonicalJson(record));
      expect(reader.hash(event)).toBe(computeHash(record));
      expect(reader.hash(event)).toBe(record.hash);
      const csv: Buffer[] = [];
      reader.csvRow(event, (piece) => csv.push(Buffer.from(piece)));
      expect(Buffer.concat(csv).toString('utf8')).toBe(oldCsvLine(record));
    });
  });

  it('exports the same bytes as parsing and re-serialising each event did', async () => {
    const ws = workspace();
    recordVariedEvents(ws);
    const records = ws.audit.list({ limit: 500 }).reverse();
    const dir = tempDir();
    for (const format of ['jsonl', 'csv'] as const) {
      const out = path.join(dir, `audit.${format}`);
      await exportWorkspaceAudit(ws, {
        secrets,
        out,
        format,
      });
      const expected =
        format === 'jsonl'
          ? records.map((r) => `${canonicalJson(r)}\n`).join('')
          : [AUDIT_CSV_COLUMNS.join(','), ...records.map(oldCsvLine)].map((line) => `${line}\n`).join('');
      expect(fs.readFileSync(out, 'utf8')).toBe(expected);
      records.push(ws.audit.list({ limit: 1 })[0]!); // the audit.exported event, in the next export
    }
  });

  it('a stored value changed outside Valdrix, even into invalid JSON, is reported, not thrown', () => {
    const ws = workspace();
    recordVariedEvents(ws);
    ws.store.sqlite.exec('DROP TRIGGER audit_event_no_update');
    ws.store.sqlite.prepare(`UPDATE audit_event SET details = '{"i":' WHERE seq = 5`).run();
    expect(ws.audit.verifyChain()).toMatchObject({
      ok: false,
      firstBad: { seq: 5, reason: 'its hash does not match its content' },
    });
  });
});

describe('audit.list pages by bytes as well as count', () => {
  const PAGE_MAX = 4 * 1024 * 1024;

  /** The real CLI, with room for a full page on stdout (runCli's spawnSync keeps 1 MiB). */
  function runCli(args: string[]) {
    const result = spawnSync(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, VALDRIX_WORKSPACE: '', VALDRIX_NOW: '' },
      maxBuffer: 2 * PAGE_MAX,
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('every response stays under 4 MiB and paging reaches every event exactly once', () => {
    const ws = workspace();
    const services = createServices({
      workspace: ws,
      clock,
      logger: silentLogger(),
      events: new EventBus(),
      jobs: createJobSystem({ workspace: ws, logger: silentLogger() }),
      secrets,
      mode: 'browser',
    });
    for (let i = 0; i < 300; i++) ws.audit.record({ action: 'test.small', entityType: 'thing', details: { i } });
    // Written before the cap: near a megabyte each (listed whole), and larger ones (listed as a marker).
    for (let i = 0; i < 12; i++) insertLegacyEvent(ws, { message: `${i}:${'m'.repeat(900_000)}` });
    insertLegacyEvent(ws, { message: 'x'.repeat(5_000_000) });
    insertLegacyEvent(ws, { message: '"'.repeat(3_000_000) });
    for (let i = 0; i < 20; i++) ws.audit.record({ action: 'test.small', entityType: 'thing', details: { i } });
    const total = ws.audit.count();

    const seen: number[] = [];
    let beforeSeq: number | undefined;
    let pages = 0;
    for (;;) {
      const page = services.audit.list({ limit: 500, ...(beforeSeq ? { beforeSeq } : {}) });
      pages++;
      expect(Buffer.byteLength(JSON.stringify({ ok: true, value: page }))).toBeLessThan(PAGE_MAX);
      expect(page.total).toBe(total);
      seen.push(...page.events.map((e) => e.seq));
      if (!page.hasMore) {
        expect(page.nextBeforeSeq).toBeNull();
        break;
      }
      expect(page.nextBeforeSeq).toBe(page.events.at(-1)!.seq);
      beforeSeq = page.nextBeforeSeq!;
    }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => total - i));
    expect(pages).toBeGreaterThanOrEqual(3);
    const listed = ws.audit.list({ limit: 500, action: 'import.failed' });
    const markers = listed.filter((e) => typeof (e.details as unknown) === 'string');
    expect(markers.map((e) => e.details)).toEqual([
      '…[omitted here: 6,000,014 bytes; exports hold the whole event]',
      '…[omitted here: 5,000,014 bytes; exports hold the whole event]',
    ]);
  });

  it('valdrix audit list pages too, and names the next page', () => {
    const ws = workspace();
    for (let i = 0; i < 6; i++) insertLegacyEvent(ws, { message: 'm'.repeat(900_000) });
    const dir = ws.paths.dir;
    ws.close();
    open.pop();
    const first = runCli(['--workspace', dir, 'audit', 'list', '--limit', '500', '--json']);
    expect(first.status, first.stderr).toBe(0);
    expect(Buffer.byteLength(first.stdout)).toBeLessThan(PAGE_MAX);
    const page = JSON.parse(first.stdout) as { events: { seq: number }[]; hasMore: boolean; nextBeforeSeq: number };
    expect(page).toMatchObject({ hasMore: true, nextBeforeSeq: page.events.at(-1)!.seq });
    const next = runCli(['--workspace', dir, 'audit', 'list', '--before-seq', String(page.nextBeforeSeq)]);
    expect(next.status, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/^\s+\d+ {2}\S+ {2}legacy/m);
    const human = runCli(['--workspace', dir, 'audit', 'list']);
    expect(human.stdout).toMatch(/More events: add --before-seq \d+ for the next page\./);
  });
});
