/**
 * Writes from the thread that answers the UI. SQLite's busy handler waits for another connection's
 * write lock by sleeping the calling thread: on the thread that serves the renderer that froze every
 * request for up to the busy timeout (5 s) whenever another process (a CLI import) was writing. Here a
 * write is attempted without waiting, and when the lock is taken it is retried later, asynchronously,
 * so the thread keeps answering in between.
 */
import { AppError } from '../../../shared/api/errors';
import type { Sqlite } from './database';

/** The write lock was held by another connection; nothing was done. */
export const BUSY: unique symbol = Symbol('busy');

export function isBusyError(error: unknown): boolean {
  return /^SQLITE_BUSY/.test((error as { code?: unknown } | null)?.code?.toString() ?? '');
}

/**
 * Runs `fn` in an IMMEDIATE transaction if the write lock is free now, or returns BUSY at once. Inside a
 * transaction this connection already holds, it just runs `fn`.
 */
export function tryImmediate<T>(sqlite: Sqlite, fn: () => T): T | typeof BUSY {
  if (sqlite.inTransaction) return fn();
  const timeout = Number(sqlite.pragma('busy_timeout', { simple: true }));
  sqlite.pragma('busy_timeout = 0');
  try {
    return sqlite.transaction(fn).immediate();
  } catch (error) {
    if (isBusyError(error)) return BUSY;
    throw error;
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}

/** How long a user's action waits for another process to finish writing before it is refused. */
export const USER_WRITE_DEADLINE_MS = 30_000;

/**
 * Runs `fn` in an IMMEDIATE transaction as soon as the write lock is free, trying again every few
 * milliseconds (up to 250 ms apart) without blocking the thread; after `deadlineMs` it gives up with
 * CONFLICT, saying that another process is writing.
 */
export async function whenWritable<T>(
  sqlite: Sqlite,
  fn: () => T,
  options: { deadlineMs?: number; now?: () => number } = {},
): Promise<T> {
  const now = options.now ?? (() => performance.now());
  const deadline = now() + (options.deadlineMs ?? USER_WRITE_DEADLINE_MS);
  for (let wait = 5; ; wait = Math.min(250, wait * 2)) {
    const result = tryImmediate(sqlite, fn);
    if (result !== BUSY) return result;
    if (now() >= deadline) {
      throw new AppError(
        'CONFLICT',
        'another Valdrix process (an import, most likely) is writing to this workspace; nothing was changed: try again when it has finished',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
