/**
 * Worker-thread side of a file scan: parses and maps in this thread and posts batches of rows to the
 * importing thread, which writes them. At most a few batches are in flight, so memory stays bounded.
 */
import { parentPort } from 'node:worker_threads';
// The row format alone, not the ledger's index: the worker loads no database code.
import { rowBatchTransfer } from '../ledger/row-batch';
import { scanFile, ScanError, type ScanRequest } from './scan';

const MAX_IN_FLIGHT = 3;
let inFlight = 0;
let release: (() => void) | null = null;
let aborted = false;

// The worker starts before the import knows what to scan (scan-thread.ts): the request is its first message.
const request = await new Promise<ScanRequest>((resolve) => {
  parentPort!.on('message', (message: { kind: 'scan'; request: ScanRequest } | { kind: 'ack' } | { kind: 'abort' }) => {
    if (message.kind === 'scan') return resolve(message.request);
    if (message.kind === 'abort') aborted = true;
    else inFlight--;
    release?.();
    release = null;
  });
});

try {
  const summary = await scanFile(request, {
    scope(billingAccountId, billingPeriod) {
      parentPort!.postMessage({ kind: 'scope', billingAccountId, billingPeriod });
    },
    async rows(batch) {
      inFlight++;
      parentPort!.postMessage({ kind: 'rows', batch }, rowBatchTransfer(batch));
      while (inFlight >= MAX_IN_FLIGHT && !aborted) await new Promise<void>((resolve) => (release = resolve));
    },
    progress(rows, bytesRead, totalBytes) {
      parentPort!.postMessage({ kind: 'progress', rows, bytesRead, totalBytes });
    },
    aborted: () => aborted,
  });
  parentPort!.postMessage({ kind: 'done', summary });
} catch (error) {
  const scan = error instanceof ScanError ? error : null;
  parentPort!.postMessage({
    kind: 'error',
    error: {
      message: (error as Error).message,
      stack: (error as Error).stack,
      scan: scan ? { file: scan.file, line: scan.line, column: scan.column } : null,
    },
  });
}
