import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/errors';
import { defaultMigrationsFolder, journalProblems, openStore, readJournal } from '../../electron/core/store/database';
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
    const store = openStore({ file });
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
    const store = openStore({ file: path.join(tempDir(), 'valdrix.sqlite') });
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
    const store = openStore({ file: path.join(tempDir(), 'valdrix.sqlite') });
    opened.push(store);
    const big = 9_007_199_254_740_993n; // 2^53 + 1: a float would round it
    store.sqlite.exec(
      "INSERT INTO cost_source (id, name, kind, version, updated_at, created_at) VALUES ('s', 's', 'test', 1, 'x', 'x')",
    );
    store.sqlite.exec(
      "INSERT INTO import_run (id, source_id, kind, status, started_at) VALUES ('r', 's', 'test', 'ok', 'x')",
    );
    const insert = store.sqlite.prepare(
      `INSERT INTO cost_line (import_run_id, source_id, provider, billing_account_id, service_name, charge_category, charge_day,
        charge_period_start, charge_period_end, billing_period, currency, billed_nanos, effective_nanos, ingested_at)
       VALUES ('r', 's', 'aws', 'a', 'svc', 'Usage', '2026-01-01', 'x', 'x', '2026-01', 'USD', ?, ?, 'x')`,
    );
    insert.run(big, big);
    insert.run(big, 1n);
    const row = store.sqlite.prepare('SELECT SUM(billed_nanos) AS total FROM cost_line').get() as { total: bigint };
    expect(row.total).toBe(big * 2n);
  });

  it('refuses a database written by a newer build and leaves it untouched', () => {
    const file = path.join(tempDir(), 'valdrix.sqlite');
    openStore({ file }).close();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    const before = fs.readFileSync(file);
    let caught: unknown;
    try {
      opened.push(openStore({ file }));
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
    const old = openStore({ file });
    old.sqlite.exec("INSERT INTO workspace_meta (key, value) VALUES ('marker', 'before-migration')");
    old.close();

    const store = openStore({ file, migrationsFolder: migrationsWithExtraStep() });
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

  it('does not back up a brand-new file', () => {
    const store = openStore({ file: path.join(tempDir(), 'valdrix.sqlite') });
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
    expect(() => openStore({ file: path.join(tempDir(), 'x.sqlite'), migrationsFolder: folder })).toThrow(
      /journal is inconsistent/,
    );
  });

  it('the checked-in journal is consistent', () => {
    expect(journalProblems(readJournal(defaultMigrationsFolder()))).toEqual([]);
  });

  it('reports a file that is not a database clearly', () => {
    const file = path.join(tempDir(), 'valdrix.sqlite');
    fs.writeFileSync(file, 'this is not sqlite at all, just text that is long enough to look like a header........');
    expect(() => openStore({ file })).toThrow(/cannot open .*valdrix\.sqlite/);
  });
});
