/** The ingest capability's job: an import, in a worker thread, at a lower CPU priority. */
import path from 'node:path';
import { AppError } from '../../../shared/api/errors';
import { ImportStartInputSchema } from '../../../shared/api/costs';
import { NonNegativeDecimalSchema } from '../../../shared/api/schemas';
import { yieldCpuToInteractiveWork } from '../app';
import { AuditLog } from '../audit';
import { JobCancelledError, type JobRegistry } from '../jobs';
import { importCostFiles } from './import';

/** The import job's payload: the Import screen's request with the thresholds resolved. */
export const ImportJobPayloadSchema = ImportStartInputSchema.safeExtend({
  alertThresholdPct: NonNegativeDecimalSchema,
  alertMinAmount: NonNegativeDecimalSchema,
});

export function defineIngestJobs(registry: JobRegistry): JobRegistry {
  return registry.define({
    type: 'costs.import',
    title: 'Import cost files',
    describe: (payload) => importTitle(payload.paths),
    outcome: (result) =>
      (result as { status?: unknown } | null)?.status === 'held'
        ? {
            label: 'Held',
            detail: 'Written but not published: accept or discard it on the Import screen.',
          }
        : null,
    payloadSchema: ImportJobPayloadSchema,
    // Parsing gigabytes is CPU work: keep it off the thread that serves the UI.
    thread: 'worker',
    concurrency: 1,
    // A failed import is bad input or a cancel; repeating it would fail the same way.
    maxAttempts: 1,
    async run(ctx, payload, signal) {
      // This worker thread (and the scan thread it starts) yields the CPU to the thread answering the UI.
      yieldCpuToInteractiveWork('thread');
      const store = ctx.store();
      try {
        return await importCostFiles(
          {
            store,
            audit: new AuditLog(store, () => new Date(ctx.now())),
            logger: ctx.logger,
            now: () => new Date(ctx.now()),
          },
          payload,
          {
            signal,
            jobId: ctx.jobId,
            onProgress: (p) =>
              ctx.progress({
                done: p.bytesRead,
                total: p.totalBytes,
                unit: 'bytes',
                message: `${p.phase} ${path.basename(p.file)}: ${p.rowsRead.toLocaleString('en-US')} rows`,
              }),
          },
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'CANCELLED') throw new JobCancelledError(error.message);
        throw error;
      }
    },
  });
}

/** "Import focus.csv", "Import a.csv and b.csv", "Import a.csv and 4 more": names, never folders above them. */
export function importTitle(paths: readonly string[]): string {
  // Either separator: the title is read wherever the job was started, whatever wrote the path.
  const names = paths.map(
    (p) =>
      p
        .replace(/[\\/]+$/, '')
        .split(/[\\/]/)
        .pop() || p,
  );
  if (names.length === 1) return `Import ${names[0]}`;
  if (names.length === 2) return `Import ${names[0]} and ${names[1]}`;
  return `Import ${names[0]} and ${names.length - 1} more`;
}
