import { eq } from 'drizzle-orm';
import { ulid } from 'ulid';
import { AppError } from '../../../shared/api/errors';
import { jobScheduleTable } from '../store';
import type { JobQueue } from './queue';

export type ScheduleSpec = { everyMinutes: number } | { dailyAt: string };
export type ScheduleRow = typeof jobScheduleTable.$inferSelect;

/** Scheduled work is deduplicated per 6-hour bucket of the slot it was due in. */
export const DEDUP_BUCKET_MS = 6 * 60 * 60 * 1000;

/** The first slot strictly after `after` (epoch ms). Daily slots are in the machine's local time zone. */
export function nextSlot(spec: ScheduleSpec, after: number): number {
  if ('everyMinutes' in spec) {
    const every = spec.everyMinutes * 60_000;
    if (!Number.isFinite(every) || every <= 0) throw new AppError('VALIDATION', 'everyMinutes must be positive');
    return (Math.floor(after / every) + 1) * every;
  }
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(spec.dailyAt);
  if (!match) throw new AppError('VALIDATION', `dailyAt must be HH:MM, got "${spec.dailyAt}"`);
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  const base = new Date(after);
  for (let dayOffset = 0; dayOffset < 3; dayOffset++) {
    // Constructing from local parts each day keeps the wall-clock time across DST changes.
    const slot = new Date(
      base.getFullYear(),
      base.getMonth(),
      base.getDate() + dayOffset,
      hours,
      minutes,
      0,
      0,
    ).getTime();
    if (slot > after) return slot;
  }
  throw new Error('unreachable: a daily slot exists within three days');
}

/** Creates or updates a named schedule; a changed spec takes effect from the next slot. */
export function ensureSchedule(
  queue: JobQueue,
  schedule: { name: string; type: string; payload?: unknown; spec: ScheduleSpec; enabled?: boolean },
): ScheduleRow {
  if (!queue.registry.has(schedule.type)) throw new AppError('VALIDATION', `unknown job type "${schedule.type}"`);
  const now = queue.now();
  const { db, sqlite } = queue.store;
  return sqlite
    .transaction(() => {
      const existing = db.select().from(jobScheduleTable).where(eq(jobScheduleTable.name, schedule.name)).get();
      const iso = new Date(now).toISOString();
      if (!existing) {
        queue.audit?.record({
          action: 'schedule.created',
          entityType: 'job_schedule',
          entityId: schedule.name,
          after: { type: schedule.type, spec: schedule.spec, enabled: schedule.enabled !== false },
        });
        return db
          .insert(jobScheduleTable)
          .values({
            id: ulid(now),
            name: schedule.name,
            type: schedule.type,
            payload: schedule.payload ?? {},
            spec: schedule.spec,
            enabled: schedule.enabled === false ? 0 : 1,
            nextRunAt: nextSlot(schedule.spec, now),
            updatedAt: iso,
          })
          .returning()
          .get();
      }
      const specChanged = JSON.stringify(existing.spec) !== JSON.stringify(schedule.spec);
      const enabled = schedule.enabled === false ? 0 : 1;
      if (!specChanged && existing.type === schedule.type && existing.enabled === enabled) return existing;
      queue.audit?.record({
        action: 'schedule.changed',
        entityType: 'job_schedule',
        entityId: schedule.name,
        before: { type: existing.type, spec: existing.spec, enabled: existing.enabled === 1 },
        after: { type: schedule.type, spec: schedule.spec, enabled: enabled === 1 },
      });
      return db
        .update(jobScheduleTable)
        .set({
          type: schedule.type,
          payload: schedule.payload ?? existing.payload,
          spec: schedule.spec,
          enabled,
          nextRunAt: specChanged ? nextSlot(schedule.spec, now) : existing.nextRunAt,
          version: existing.version + 1,
          updatedAt: iso,
        })
        .where(eq(jobScheduleTable.id, existing.id))
        .returning()
        .get();
    })
    .immediate();
}

export function listSchedules(queue: JobQueue): ScheduleRow[] {
  return queue.store.db.select().from(jobScheduleTable).orderBy(jobScheduleTable.name).all();
}

/**
 * Enqueues every due schedule once. After sleep or downtime a schedule that missed several slots runs
 * once (not once per missed slot) and its next slot is the first one after now. Safe to call from
 * several runners: the update and the dedup key make a slot enqueue at most one job.
 */
export function runDueSchedules(queue: JobQueue, options: { workspaceId: string }): string[] {
  const now = queue.now();
  const { db, sqlite } = queue.store;
  const enqueued: string[] = [];
  const due = sqlite.prepare('SELECT id FROM job_schedule WHERE enabled = 1 AND next_run_at <= ?').all(now) as {
    id: string;
  }[];
  for (const { id } of due) {
    sqlite
      .transaction(() => {
        const schedule = db.select().from(jobScheduleTable).where(eq(jobScheduleTable.id, id)).get();
        if (!schedule || !schedule.enabled || schedule.nextRunAt > now) return; // another runner took it
        if (!queue.registry.has(schedule.type)) return;
        const bucket = Math.floor(schedule.nextRunAt / DEDUP_BUCKET_MS);
        const { job } = queue.enqueue(schedule.type, schedule.payload, {
          dedupKey: `${options.workspaceId}:${schedule.type}:${schedule.name}:${bucket}`,
          scheduleId: schedule.id,
        });
        db.update(jobScheduleTable)
          .set({
            nextRunAt: nextSlot(schedule.spec, now),
            lastEnqueuedAt: now,
            lastJobId: job.id,
            updatedAt: new Date(now).toISOString(),
          })
          .where(eq(jobScheduleTable.id, schedule.id))
          .run();
        enqueued.push(job.id);
      })
      .immediate();
  }
  return enqueued;
}
