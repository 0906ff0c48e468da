import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import type { Logger } from '../log';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;
export type Sqlite = Database.Database;

export interface Store {
  /** Raw connection for hand-written SQL (aggregates, bulk writes); safeIntegers is on. */
  sqlite: Sqlite;
  db: Db;
  file: string;
  /** Number of migrations applied, equal to this build's migration count once open. */
  schemaVersion: number;
  /** Path of the pre-migration backup made by this open, if any. */
  backupFile: string | null;
  close(): void;
}

const JournalSchema = z.object({
  entries: z.array(z.object({ idx: z.number(), when: z.number(), tag: z.string() })),
});
export type Journal = z.infer<typeof JournalSchema>;

/** Where the checked-in migrations live when running from source (CLI, tests). Electron passes its own path. */
export function defaultMigrationsFolder(): string {
  return fileURLToPath(new URL('./migrations', import.meta.url));
}

export function readJournal(migrationsFolder: string): Journal {
  const file = path.join(migrationsFolder, 'meta', '_journal.json');
  return JournalSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Problems with a migration journal: drizzle silently skips a pending migration stamped older than the last applied one. */
export function journalProblems(journal: Journal): string[] {
  const problems: string[] = [];
  journal.entries.forEach((entry, i) => {
    if (entry.idx !== i) problems.push(`entry ${i} (${entry.tag}) has idx ${entry.idx}`);
    const previous = journal.entries[i - 1];
    if (previous && entry.when <= previous.when) {
      problems.push(`${entry.tag} is stamped ${entry.when}, not after ${previous.tag} (${previous.when})`);
    }
  });
  return problems;
}

export interface OpenStoreOptions {
  file: string;
  migrationsFolder?: string;
  logger?: Logger;
  /** Open an existing file only; never create one. */
  mustExist?: boolean;
  /** Names the copy made before migrating (the workspace's clock, app/clock.ts). */
  now: () => Date;
}

/**
 * Opens a workspace database: WAL, foreign keys, safe integers; applies pending migrations after
 * copying the file aside; refuses a database written by a newer build.
 */
export function openStore(options: OpenStoreOptions): Store {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  const journal = readJournal(migrationsFolder);
  const problems = journalProblems(journal);
  if (problems.length)
    throw new AppError('MIGRATION_FAILED', `migration journal is inconsistent: ${problems.join('; ')}`);
  const buildVersion = journal.entries.length;

  const existed = fs.existsSync(options.file) && fs.statSync(options.file).size > 0;
  if (options.mustExist && !existed) {
    throw new AppError('WORKSPACE_INVALID', `no workspace database at ${options.file}`);
  }
  fs.mkdirSync(path.dirname(options.file), { recursive: true });

  let sqlite: Sqlite;
  try {
    sqlite = new Database(options.file, { fileMustExist: !!options.mustExist });
  } catch (error) {
    throw new AppError('WORKSPACE_INVALID', `cannot open ${options.file}: ${(error as Error).message}`);
  }
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.defaultSafeIntegers(true);

    const fileVersion = Number(sqlite.pragma('user_version', { simple: true }));
    if (fileVersion > buildVersion) {
      throw new AppError(
        'WORKSPACE_TOO_NEW',
        `${options.file} was written by a newer Valdrix (schema ${fileVersion}; this build knows ${buildVersion}). Update Valdrix to open it.`,
        { fileVersion, buildVersion },
      );
    }

    let backupFile: string | null = null;
    if (fileVersion < buildVersion) {
      if (existed && fileVersion > 0)
        backupFile = backupBeforeMigration(sqlite, options.file, fileVersion, buildVersion, options.now);
      const db = drizzle(sqlite, { schema });
      try {
        migrate(db, { migrationsFolder });
      } catch (error) {
        throw new AppError('MIGRATION_FAILED', `migrating ${options.file} failed: ${(error as Error).message}`, {
          backupFile,
        });
      }
      sqlite.pragma(`user_version = ${buildVersion}`);
      options.logger?.info(
        { file: options.file, from: fileVersion, to: buildVersion, backupFile },
        'workspace migrated',
      );
    }

    const db = drizzle(sqlite, { schema });
    return {
      sqlite,
      db,
      file: options.file,
      schemaVersion: buildVersion,
      backupFile,
      close: () => sqlite.close(),
    };
  } catch (error) {
    sqlite.close();
    if (error instanceof AppError) throw error;
    throw new AppError('WORKSPACE_INVALID', `cannot open ${options.file}: ${(error as Error).message}`);
  }
}

function backupBeforeMigration(sqlite: Sqlite, file: string, from: number, to: number, now: () => Date): string {
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(path.dirname(file), 'backups');
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${path.basename(file, '.sqlite')}-schema${from}-before${to}-${stamp}.sqlite`);
  // VACUUM INTO writes a consistent, compacted copy even with a WAL in use.
  sqlite.prepare('VACUUM INTO ?').run(target);
  return target;
}
