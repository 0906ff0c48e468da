import crypto from 'node:crypto';
import { z } from 'zod';
import { recordAlert } from '../alerts/alerts';
import { yieldCpuToInteractiveWork } from '../app/priority';
import { AuditLog } from '../audit/audit-log';
import { JobRegistry } from './registry';
import { JobCancelledError } from './types';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/api/errors';
import { ImportStartInputSchema } from '../../../shared/api/costs';
import { NonNegativeDecimalSchema } from '../../../shared/api/schemas';
import { importCostFiles } from '../ingest/import';

/** The import job's payload: the Import screen's request with the thresholds resolved. */
export const ImportJobPayloadSchema = ImportStartInputSchema.safeExtend({
  alertThresholdPct: NonNegativeDecimalSchema,
  alertMinAmount: NonNegativeDecimalSchema,
});

/** Payload of the demo job people can start from the Jobs panel to see progress and cancellation. */
export const DemoLongPayloadSchema = z.strictObject({
  steps: z.number().int().min(1).max(10_000).default(60),
  /** CPU time burnt per step, in milliseconds. */
  stepMs: z.number().int().min(0).max(60_000).default(250),
});

/**
 * The built-in job types. Worker threads load this same catalog, so a type is declared once for both.
 * Capabilities add their types here as they arrive (imports, connector syncs, finalization, …).
 */
export function createJobRegistry(): JobRegistry {
  return new JobRegistry()
    .define({
      type: 'demo.long',
      title: 'Demo: a long computation',
      payloadSchema: DemoLongPayloadSchema,
      thread: 'worker',
      concurrency: 2,
      maxAttempts: 1,
      userStartable: true,
      async run(ctx, payload, signal) {
        // Genuinely CPU-bound (hash chains), to show that the UI process stays responsive meanwhile.
        let digest = Buffer.alloc(32);
        for (let step = 0; step < payload.steps; step++) {
          // Yield between steps so the worker sees the runner's abort message.
          await new Promise((resolve) => setImmediate(resolve));
          if (signal.aborted) throw new JobCancelledError();
          // A duration, not a time of day: the monotonic timer, which no clock setting moves.
          const until = performance.now() + payload.stepMs;
          do digest = crypto.createHash('sha256').update(digest).digest();
          while (performance.now() < until);
          ctx.progress({
            done: step + 1,
            total: payload.steps,
            unit: 'steps',
            message: `step ${step + 1} of ${payload.steps}`,
          });
        }
        return { steps: payload.steps, digest: digest.toString('hex') };
      },
    })
    .define({
      type: 'audit.verify-chain',
      title: 'Audit trail integrity check',
      payloadSchema: z.strictObject({}),
      // Reading the whole trail and its writes stay off the thread that answers the UI.
      thread: 'worker',
      concurrency: 1,
      maxAttempts: 3,
      run(ctx) {
        const store = ctx.store();
        const audit = new AuditLog(store, () => new Date(ctx.now()));
        const check = audit.verifyChain();
        audit.record({
          action: 'audit.integrity_checked',
          entityType: 'audit_trail',
          runId: ctx.jobId,
          details: check,
        });
        if (!check.ok && check.firstBad) {
          recordAlert(
            store,
            {
              kind: 'audit.chain_broken',
              severity: 'critical',
              title: 'The audit trail failed its integrity check',
              message: `Event ${check.firstBad.seq}: ${check.firstBad.reason}. Events may have been altered outside Valdrix.`,
              details: check,
              entityType: 'audit_event',
              entityId: String(check.firstBad.seq),
            },
            new Date(ctx.now()),
            audit,
          );
        }
        return check;
      },
    })
    .define({
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
    })
    .define({
      type: 'workspace.maintenance',
      title: 'Database maintenance',
      payloadSchema: z.strictObject({}),
      // A TRUNCATE checkpoint waits for readers and writers: never on the thread that answers the UI.
      thread: 'worker',
      concurrency: 1,
      maxAttempts: 3,
      run(ctx) {
        const { sqlite } = ctx.store();
        sqlite.pragma('optimize');
        const [checkpoint] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as {
          busy: bigint;
          log: bigint;
          checkpointed: bigint;
        }[];
        const uploadsRemoved = removeOldUploads(path.join(path.dirname(ctx.store().file), 'uploads'), ctx.now());
        return { walFramesCheckpointed: Number(checkpoint?.checkpointed ?? 0), uploadsRemoved };
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

/** Browser mode streams dropped files here before importing them; a day later they have served. */
export const UPLOAD_RETENTION_MS = 24 * 60 * 60 * 1000;

export function removeOldUploads(dir: string, now: number): number {
  if (!fs.existsSync(dir)) return 0;
  let removed = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const batch = path.join(dir, entry.name);
    if (now - fs.statSync(batch).mtimeMs < UPLOAD_RETENTION_MS) continue;
    fs.rmSync(batch, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** Schedules every workspace gets. */
export const DEFAULT_SCHEDULES = [
  { name: 'database-maintenance', type: 'workspace.maintenance', spec: { dailyAt: '03:00' } },
  { name: 'audit-integrity-check', type: 'audit.verify-chain', spec: { everyMinutes: 360 } },
] as const;
