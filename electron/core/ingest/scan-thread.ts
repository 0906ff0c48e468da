/** Runs a scan in a worker thread (large files) or in this thread (small ones, or no worker entry). */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sniffContainer } from './readers';
import type { RowBatch } from '../ledger/row-batch';
import { ScanError, scanFile, type ScanRequest, type ScanSink, type ScanSummary } from './scan';

/** Below this size a worker's start-up (about half a second from source) costs more than it saves. */
export const WORKER_MIN_BYTES = 32 * 1024 * 1024;

/**
 * The scan worker's entry: the bundled file in the Electron build (its main sets
 * VALDRIX_INGEST_WORKER), the tsx bootstrap beside this file when running from source.
 */
export function defaultScanWorkerEntry(): string | null {
  const fromEnv = process.env.VALDRIX_INGEST_WORKER;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  const beside = fileURLToPath(new URL('./scan-worker-bootstrap.mjs', import.meta.url));
  return fs.existsSync(beside) && fs.existsSync(beside.replace(/scan-worker-bootstrap\.mjs$/, 'scan-worker.ts'))
    ? beside
    : null;
}

export async function runScan(
  request: ScanRequest,
  sink: ScanSink,
  options: { workerEntry?: string | null; minWorkerBytes?: number; started?: StartedScanWorkers } = {},
): Promise<ScanSummary> {
  const entry = options.workerEntry === undefined ? defaultScanWorkerEntry() : options.workerEntry;
  const size = await scanBytes(request.file);
  if (!entry || size < (options.minWorkerBytes ?? WORKER_MIN_BYTES)) return scanFile(request, sink);
  const worker = options.started?.take(entry) ?? newScanWorker(entry);
  return scanInWorker(worker, request, sink);
}

/**
 * A scan worker started before the import knows what to scan, so that its start-up (about 0.1 s:
 * a thread, an isolate and the bundle) runs while the import detects its files and begins its run,
 * instead of while the importing thread waits for the first rows. The first large scan takes it; stop()
 * ends it if none did (an identical re-import, a refusal).
 */
export interface StartedScanWorkers {
  take(entry: string): Worker | null;
  stop(): void;
}

export function startScanWorkerEarly(options: { workerEntry?: string | null }): StartedScanWorkers {
  const entry = options.workerEntry === undefined ? defaultScanWorkerEntry() : options.workerEntry;
  let waiting = entry ? newScanWorker(entry) : null;
  return {
    take(wanted) {
      if (wanted !== entry) return null;
      const worker = waiting;
      waiting = null;
      return worker;
    },
    stop() {
      void waiting?.terminate();
      waiting = null;
    },
  };
}

/** A scan worker waiting for its request ({kind: 'scan'}: scan-worker.ts). */
function newScanWorker(entry: string): Worker {
  // The scan holds a few batches at a time; without a limit V8 lets a busy thread's heap grow to gigabytes
  // before collecting (measured: 3 GiB RSS on the 7.3 M-row benchmark). The young generation is where
  // the scan's garbage dies (several KB per row): V8 would size it from the old-generation limit (a
  // few MiB); see SCAN_YOUNG_GENERATION_MB for the size.
  const worker = new Worker(entry, {
    resourceLimits: { maxOldGenerationSizeMb: 384, maxYoungGenerationSizeMb: SCAN_YOUNG_GENERATION_MB },
  });
  // A worker started early may fail to load before anyone listens: scanInWorker reports that as its error.
  const early: { error: Error | null; exit: number | null } = { error: null, exit: null };
  worker.once('error', (error) => (early.error = error));
  worker.once('exit', (code) => (early.exit = code));
  earlyOutcome.set(worker, early);
  return worker;
}

const earlyOutcome = new WeakMap<Worker, { error: Error | null; exit: number | null }>();

/**
 * How much a scan of the file has to chew through. Parquet compresses 10–30× (a 7.3 M-row export is
 * about 100 MB): its size on disk would keep the scan of millions of rows in the importing thread, with
 * no heap limit, so its uncompressed data size (from the footer) counts instead.
 */
async function scanBytes(file: string): Promise<number> {
  const size = fs.statSync(file).size;
  if ((await sniffContainer(file).catch(() => null)) !== 'parquet') return size;
  const { parquetDataBytes } = await import('./parquet-reader');
  return parquetDataBytes(file).catch(() => size);
}

/**
 * The scan worker's young generation (see scanInWorker), where the scan's garbage (several KB per row)
 * dies. A collection copies what is still alive (the batch being filled, the slice of Parquet records
 * being mapped), so it matters with the batch size. Measured with 1,000-line batches: 64 MiB against
 * 16 MiB took 1 M wide rows (57 columns) from 35 to 28-29 s and 1 M narrow rows from 13.5 to 12.6 s,
 * and was level or better at 100,000 rows; 128 and 256 MiB were no faster (1 M wide: 28.4-28.7 s) for
 * 60-180 MiB more peak RSS. On a 1 M-row CUR 2.0 Parquet file, 32 MiB was 10-15 % slower.
 */
const SCAN_YOUNG_GENERATION_MB = 64;

function scanInWorker(worker: Worker, request: ScanRequest, sink: ScanSink): Promise<ScanSummary> {
  return new Promise<ScanSummary>((resolve, reject) => {
    let settled = false;
    let chain: Promise<void> = Promise.resolve();
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      outcome();
      void worker.terminate();
    };
    // Cancellation is polled: the sink's aborted() is the single source of truth.
    const watch = setInterval(() => {
      if (sink.aborted()) worker.postMessage({ kind: 'abort' });
    }, 100);
    worker.on(
      'message',
      (
        message:
          | { kind: 'scope'; billingAccountId: string; billingPeriod: string }
          | { kind: 'rows'; batch: RowBatch }
          | { kind: 'progress'; rows: number; bytesRead: number; totalBytes: number }
          | { kind: 'done'; summary: ScanSummary }
          | {
              kind: 'error';
              error: {
                message: string;
                stack?: string;
                scan: { file: string; line: number | null; column: string | null } | null;
              };
            },
      ) => {
        // Keep the worker's order: rows are written before 'done' resolves.
        chain = chain
          .then(async () => {
            if (settled) return;
            switch (message.kind) {
              case 'scope':
                await sink.scope?.(message.billingAccountId, message.billingPeriod);
                break;
              case 'rows':
                await sink.rows(message.batch);
                worker.postMessage({ kind: 'ack' });
                break;
              case 'progress':
                await sink.progress(message.rows, message.bytesRead, message.totalBytes);
                break;
              case 'done':
                finish(() => resolve(message.summary));
                break;
              case 'error': {
                const { scan } = message.error;
                const error = scan
                  ? new ScanError(message.error.message, scan.file, scan.line, scan.column)
                  : Object.assign(new Error(message.error.message), { stack: message.error.stack });
                finish(() => reject(error));
                break;
              }
            }
          })
          .catch((error: unknown) => finish(() => reject(error as Error)));
      },
    );
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => {
      if (!settled) finish(() => reject(new Error(`the scan worker stopped with code ${code}`)));
    });
    const early = earlyOutcome.get(worker);
    if (early?.error) finish(() => reject(early.error!));
    else if (early?.exit !== null && early?.exit !== undefined) {
      const code = early.exit;
      finish(() => reject(new Error(`the scan worker stopped with code ${code}`)));
    } else worker.postMessage({ kind: 'scan', request });
  });
}
