/** The workspace's job: nightly database maintenance and the clean-up of old uploads. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { JobRegistry } from '../jobs';

export const WORKSPACE_SCHEDULES = [
  { name: 'database-maintenance', type: 'workspace.maintenance', spec: { dailyAt: '03:00' } },
] as const;

export function defineWorkspaceJobs(registry: JobRegistry): JobRegistry {
  return registry.define({
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
