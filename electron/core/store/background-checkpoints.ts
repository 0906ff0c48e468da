/**
 * WAL checkpoints on a thread of their own while a bulk write runs.
 *
 * A checkpoint copies the WAL's pages into the database file and syncs both; run by the writing
 * connection (SQLite's autocheckpoint), that work sits inside a commit and stalls the writer. Measured
 * on a 730,000-line import, checkpoints cost the importing thread about a tenth of its time. SQLite
 * lets another connection checkpoint while a writer appends (a PASSIVE checkpoint copies what is
 * committed and never blocks), so the writer keeps a large autocheckpoint threshold as a backstop, and
 * when it fires only the pages this thread has not copied yet are left to copy. Durability is what the
 * writer's own checkpoints gave: commits are durable once a checkpoint has synced them.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface BackgroundCheckpoints {
  /** Stops checkpointing and closes the thread's connection; pages still in the WAL stay there, committed. */
  stop(): Promise<void>;
}

// Plain JavaScript evaluated in the worker: no entry file to bundle, and the worker needs only the driver.
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const sqlite = new Database(workerData.file, { fileMustExist: true });
sqlite.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // Busy or locked: the next tick tries again, and the writer's own threshold is the backstop.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  sqlite.close();
  parentPort.close();
});
`;

/** Starts checkpointing the WAL of database `file` every `intervalMs`. */
export function startBackgroundCheckpoints(file: string, intervalMs = 250): BackgroundCheckpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { file, driver, intervalMs } });
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
    // An error in the thread (a driver that cannot load) costs only the speed-up: the writer's own
    // checkpoints still run.
    worker.once('error', () => resolve());
  });
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}
