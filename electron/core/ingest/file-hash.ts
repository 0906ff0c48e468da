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
