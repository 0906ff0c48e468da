import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/errors';
import { defaultMigrationsFolder, journalProblems, openStore, readJournal } from '../../electron/core/store/database';
import { migrationsUpTo } from '../support/migrations';
import { tempDir } from '../support/workspace';

const opened: { close(): void }[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

/** A copy of the real migrations plus one more, to play "an older database meets a newer build". */
function migrationsWithExtraStep(): string {
  const dir = path.join(tempDir(), 'migrations');
  fs.cpSync(defaultMigrationsFolder(), dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as {
    entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[];
  };
  const last = journal.entries[journal.entries.length - 1]!;
  journal.entries.push({
    idx: journal.entries.length,
    version: last.version,
    when: last.when + 1000,
    tag: '9999_test_step',
    breakpoints: true,
  });
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  fs.writeFileSync(path.join(dir, '9999_test_step.sql'), 'ALTER TABLE `cost_source` ADD `note` text;');
  return dir;
}

describe('workspace store', () => {
  it('opens with WAL, foreign keys and every migration applied', () => {
    const file = path.join(tempDir(), 'valdrix.sqlite');
    const store = openStore({ file, now: () => new Date() });
    opened.push(store);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(Number(store.sqlite.pragma('foreign_keys', { simple: true }))).toBe(1);
    expect(store.schemaVersion).toBe(readJournal(defaultMigrationsFolder()).entries.length);
    expect(Number(store.sqlite.pragma('user_version', { simple: true }))).toBe(store.schemaVersion);
    const tables = (
      store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'cost_line',
        'cost_rollup_daily',
        'cost_snapshot',
        'cost_source',
        'import_run',
        'setting',
        'workspace_meta',
      ]),
    );
  });

  it('enforces foreign keys', () => {
    const store = openStore({ file: path.join(tempDir(), 'valdrix.sqlite'), now: () => new Date() });
    opened.push(store);
    expect(() =>
      store.sqlite
        .prepare(
          "INSERT INTO import_run (id, source_id, kind, status, started_at) VALUES ('r1', 'no-such-source', 'x', 'x', 'x')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('keeps money exact beyond 2^53 nano-units', () => {
    const store = openStore({ file: path.join(tempDir(), 'valdrix.sqlite'), now: () => new Date() });
    opened.push(store);
    const big = 9_007_199_254_740_993n; // 2^53 + 1: a float would round it
    store.sqlite.exec(
      "INSERT INTO cost_source (id, name, kind, version, updated_at, created_at) VALUES ('s', 's', 'test', 1, 'x', 'x')",
    );
    store.sqlite.exec(
      "INSERT INTO import_run (id, seq, source_id, kind, status, started_at) VALUES ('r', 1, 's', 'test', 'ok', 'x')",
    );
    const insert = store.sqlite.prepare(
      `INSERT INTO cost_line (run_seq, provider, billing_account_id, service_name, charge_category, charge_day,
        charge_period_start, charge_period_end, billing_period, currency, billed_nanos, effective_nanos, ingested_at)
       VALUES (1, 'aws', 'a', 'svc', 'Usage', '2026-01-01', 'x', 'x', '2026-01', 'USD', ?, ?, 'x')`,
    );
    insert.run(big, big);
    insert.run(big, 1n);
    const row = store.sqlite.prepare('SELECT SUM(billed_nanos) AS total FROM cost_line').get() as { total: bigint };
    expect(row.total).toBe(big * 2n);
  });

  it('refuses a database written by a newer build and leaves it untouched', () => {
    const file = path.join(tempDir(), 'valdrix.sqlite');
    openStore({ file, now: () => new Date() }).close();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    const before = fs.readFileSync(file);
    let caught: unknown;
    try {
      opened.push(openStore({ file, now: () => new Date() }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('WORKSPACE_TOO_NEW');
    expect((caught as AppError).message).toMatch(/newer Valdrix/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('backs the file up before migrating an older database, and the backup is the old schema', () => {
    const dir = tempDir();
    const file = path.join(dir, 'valdrix.sqlite');
    const old = openStore({ file, now: () => new Date() });
    old.sqlite.exec("INSERT INTO workspace_meta (key, value) VALUES ('marker', 'before-migration')");
    old.close();

    const store = openStore({ file, migrationsFolder: migrationsWithExtraStep(), now: () => new Date() });
    opened.push(store);
    expect(store.backupFile).not.toBeNull();
    expect(fs.existsSync(store.backupFile!)).toBe(true);
    const columns = (store.sqlite.prepare('PRAGMA table_info(cost_source)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).toContain('note');

    const backup = new Database(store.backupFile!, { readonly: true });
    const backupColumns = (backup.prepare('PRAGMA table_info(cost_source)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    const marker = backup.prepare("SELECT value FROM workspace_meta WHERE key = 'marker'").get() as { value: string };
    backup.close();
    expect(backupColumns).not.toContain('note');
    expect(marker.value).toBe('before-migration');
  });

  it('migration 0014 numbers runs in creation order and keeps every line and daily rollup row with its run', () => {
    const file = path.join(tempDir(), 'valdrix.sqlite');
    const old = openStore({
      file,
      migrationsFolder: migrationsUpTo('0013_rollup_append_order'),
      now: () => new Date(),
    });
    old.sqlite.exec(
      `INSERT INTO cost_source (id, name, kind, version, updated_at, created_at) VALUES ('s', 's', 'test', 1, 'x', 'x');
       INSERT INTO import_run (id, source_id, kind, status, started_at) VALUES ('01B', 's', 'import', 'succeeded', 'x');
       INSERT INTO import_run (id, source_id, kind, status, started_at) VALUES ('01A', 's', 'import', 'succeeded', 'x');
       INSERT INTO import_run (id, source_id, kind, status, started_at) VALUES ('01C', 's', 'import', 'failed', 'x');`,
    );
    const insert = old.sqlite.prepare(
      `INSERT INTO cost_line (import_run_id, source_id, provider, billing_account_id, service_name, charge_category,
         charge_day, charge_period_start, charge_period_end, billing_period, currency, billed_nanos, effective_nanos,
         billed_units, effective_units, file_name, line_number, ingested_at)
       VALUES (?, 's', 'aws', 'a', 'svc', 'Usage', ?, 'x', 'x', '2026-01', 'USD', ?, 0, ?, 0, 'f.csv', ?, 'x')`,
    );
    const written: [string, string, bigint, bigint][] = [
      ['01A', '2026-01-01', 1n, 7n],
      ['01B', '2026-01-02', 999_999_999n, 2n ** 62n],
      ['01A', '2026-01-03', 5n, 0n],
    ];
    written.forEach(([run, day, nanos, units], i) => insert.run(run, day, nanos, units, i + 2));
    old.sqlite.exec(
      `INSERT INTO cost_rollup_daily (day, import_run_id, source_id, billing_period, provider, billing_account_id,
         sub_account_id, service_name, service_category, region, charge_category, currency, billed_nanos, billed_atto,
         billed_ronto, effective_nanos, effective_atto, effective_ronto, line_count, billed_units, effective_units)
       VALUES ('2026-01-02', '01B', 's', '2026-01', 'aws', 'a', '', 'svc', '', '', 'Usage', 'USD', 999999999, 0, 0, 0, 0, 0,
         1, 4611686018427387904, 0)`,
    );
    old.close();

    const store = openStore({ file, now: () => new Date() });
    opened.push(store);
    const runs = store.sqlite.prepare('SELECT id, seq FROM import_run ORDER BY seq').all() as { id: string }[];
    expect(runs).toEqual([
      { id: '01A', seq: 1n },
      { id: '01B', seq: 2n },
      { id: '01C', seq: 3n },
    ]);
    const lines = store.sqlite
      .prepare(
        `SELECT r.id AS run, l.charge_day AS day, l.billed_nanos AS nanos, l.billed_units AS units, l.line_number AS line
         FROM cost_line l JOIN import_run r ON r.seq = l.run_seq ORDER BY l.id`,
      )
      .all();
    expect(lines).toEqual(
      written.map(([run, day, nanos, units], i) => ({ run, day, nanos, units, line: BigInt(i + 2) })),
    );
    expect(
      store.sqlite
        .prepare('SELECT run_seq AS run, day, billed_units AS units, line_count AS lines FROM cost_rollup_daily')
        .all(),
    ).toEqual([{ run: 2n, day: '2026-01-02', units: 2n ** 62n, lines: 1n }]);
    const rollupTable = store.sqlite
      .prepare("SELECT sql FROM sqlite_schema WHERE name = 'cost_rollup_daily'")
      .pluck()
      .get() as string;
    expect(rollupTable).toMatch(/WITHOUT ROWID/);
    const indexed = (
      store.sqlite.prepare("PRAGMA index_info('cost_line_run_period_idx')").all() as { name: string }[]
    ).map((column) => column.name);
    expect(indexed).toEqual(['run_seq', 'billing_period', 'charge_day']);
    expect(store.sqlite.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(store.sqlite.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
  });

  it('does not back up a brand-new file', () => {
    const store = openStore({ file: path.join(tempDir(), 'valdrix.sqlite'), now: () => new Date() });
    opened.push(store);
    expect(store.backupFile).toBeNull();
  });

  it('refuses a migration journal whose timestamps do not strictly increase', () => {
    expect(
      journalProblems({
        entries: [
          { idx: 0, when: 100, tag: '0000_a' },
          { idx: 1, when: 100, tag: '0001_b' },
          { idx: 2, when: 50, tag: '0002_c' },
        ],
      }),
    ).toEqual(['0001_b is stamped 100, not after 0000_a (100)', '0002_c is stamped 50, not after 0001_b (100)']);
    const folder = migrationsWithExtraStep();
    const journalFile = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { when: number }[] };
    journal.entries[journal.entries.length - 1]!.when = 1;
    fs.writeFileSync(journalFile, JSON.stringify(journal));
    expect(() =>
      openStore({ file: path.join(tempDir(), 'x.sqlite'), migrationsFolder: folder, now: () => new Date() }),
    ).toThrow(/journal is inconsistent/);
  });

  it('the checked-in journal is consistent', () => {
    expect(journalProblems(readJournal(defaultMigrationsFolder()))).toEqual([]);
  });

  it('reports a file that is not a database clearly', () => {
    const file = path.join(tempDir(), 'valdrix.sqlite');
    fs.writeFileSync(file, 'this is not sqlite at all, just text that is long enough to look like a header........');
    expect(() => openStore({ file, now: () => new Date() })).toThrow(/cannot open .*valdrix\.sqlite/);
  });
});
