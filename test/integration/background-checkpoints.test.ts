/**
 * Checkpoints from another thread: while a writer that never checkpoints itself appends to the WAL,
 * the database file receives the committed pages, and nothing the writer committed is lost.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from '../../electron/core/store/background-checkpoints';
import { tempDir } from '../support/workspace';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A WAL database whose connection leaves every checkpoint to someone else. */
function writer() {
  const dir = tempDir('valdrix-checkpoints-');
  const file = path.join(dir, 'db.sqlite');
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
  cleanups.push(() => {
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const insert = sqlite.prepare('INSERT INTO t (payload) VALUES (?)');
  /** Commits `batches` transactions of 1,000 rows of 1 KB (about 1 MB each). */
  const write = (batches: number) => {
    for (let batch = 0; batch < batches; batch++) {
      sqlite.transaction(() => {
        for (let row = 0; row < 1000; row++) insert.run('x'.repeat(1000));
      })();
    }
  };
  return { file, sqlite, write };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('background checkpoints', () => {
  it('copy committed pages into the database file while the writer only appends to the WAL', async () => {
    const { file, sqlite, write } = writer();
    const checkpoints = startBackgroundCheckpoints(file, 20);
    try {
      write(8);
      expect(await until(() => fs.statSync(file).size > 6_000_000)).toBe(true);
      write(4);
    } finally {
      await checkpoints.stop();
    }
    expect(Number(sqlite.prepare('SELECT COUNT(*) AS n FROM t').pluck().get())).toBe(12_000);
    // What the thread left in the WAL is committed: another connection sees every row.
    const reader = new Database(file, { readonly: true });
    cleanups.push(() => reader.close());
    expect(Number(reader.prepare('SELECT COUNT(*) FROM t').pluck().get())).toBe(12_000);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('are what fills the database file: without them it stays as it was', async () => {
    const { file, write } = writer();
    const before = fs.statSync(file).size;
    write(8);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fs.statSync(file).size).toBe(before);
  });

  it('stop even when nothing was written', async () => {
    const { file } = writer();
    await startBackgroundCheckpoints(file, 20).stop();
  });
});
