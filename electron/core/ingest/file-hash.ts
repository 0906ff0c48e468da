/**
 * The SHA-256 of every imported file: recorded for the audit trail and to recognise a file imported
 * before. Hashing reads every byte once more, so a large import hashes on a thread of its own.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/api/errors';
import type { Store } from '../store';

export interface FileHash {
  path: string;
  sha256: string;
  bytes: number;
}

/** Whether an earlier successful import of the source read files of exactly these sizes, in this order. */
export function importedSizesBefore(store: Store, sourceId: string, sizes: readonly number[]): boolean {
  return (
    store.sqlite
      .prepare(
        `SELECT 1 FROM import_run WHERE source_id = ? AND kind = 'import' AND status = 'succeeded'
           AND (SELECT group_concat(value ->> 'bytes', ',' ORDER BY key) FROM json_each(summary, '$.fileHashes')) = ?
         LIMIT 1`,
      )
      .get(sourceId, sizes.join(',')) !== undefined
  );
}

// Plain JavaScript evaluated in a worker: hashing beside an import must not take the importing thread's time.
const HASH_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
(async () => {
  const hashes = [];
  for (const file of workerData.files) {
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    hashes.push({ path: file, sha256: hash.digest('hex'), bytes });
  }
  parentPort.postMessage({ hashes });
})().catch((error) => parentPort.postMessage({ error: String((error && error.message) || error) }));
`;

/** SHA-256 of each file, computed on a thread of its own; stop() ends the thread early. */
export function hashFilesInThread(files: readonly string[]): { hashes: Promise<FileHash[]>; stop(): void } {
  const worker = new Worker(HASH_THREAD, { eval: true, workerData: { files } });
  const hashes = new Promise<FileHash[]>((resolve, reject) => {
    worker.once('message', (message: { hashes: FileHash[] } | { error: string }) => {
      if ('hashes' in message) resolve(message.hashes);
      else reject(new AppError('UNAVAILABLE', `cannot read the imported files to hash them: ${message.error}`));
    });
    worker.once('error', (error) => reject(error));
    worker.once('exit', (code) => reject(new Error(`the hashing thread stopped with code ${code}`)));
  });
  // Settled here too: an import that fails before awaiting the hashes must not leave a rejection unhandled.
  hashes.catch(() => {});
  return { hashes, stop: () => void worker.terminate() };
}

/**
 * The hashes of an import's files that were not hashed before it: a scan that reads a file front to
 * back hashes it as it reads (readers.ts), so only the others (Parquet, whole-file JSON, empty files)
 * are hashed on a thread of their own alongside the import.
 */
export interface HashesAlongside {
  /** Every file's hash in import order, from the scans' hashes (by path) and the thread's. */
  hashes(fromScans: ReadonlyMap<string, FileHash>): Promise<FileHash[]>;
  stop(): void;
}

export function hashAlongside(files: readonly string[], hashedByScan: ReadonlySet<string>): HashesAlongside {
  const apart = files.filter((file) => !hashedByScan.has(file));
  const thread = apart.length ? hashFilesInThread(apart) : null;
  return {
    async hashes(fromScans) {
      const fromThread = new Map((thread ? await thread.hashes : []).map((hash) => [hash.path, hash]));
      const hashes: FileHash[] = [];
      for (const file of files) {
        // A scan that read its file but could not hash it (none does today) is answered by a read of its own.
        hashes.push(fromScans.get(file) ?? fromThread.get(file) ?? (await hashFile(file, () => {})));
      }
      return hashes;
    },
    stop: () => thread?.stop(),
  };
}

export async function hashFile(file: string, onProgress: (done: number, total: number) => void): Promise<FileHash> {
  const hash = crypto.createHash('sha256');
  const total = (await fs.promises.stat(file)).size;
  let done = 0;
  let lastReport = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    if (performance.now() - lastReport > 200) {
      lastReport = performance.now();
      onProgress(done, total);
    }
  }
  return { path: file, sha256: hash.digest('hex'), bytes: total };
}
