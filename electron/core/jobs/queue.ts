import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import { AppError, isBadInput } from '../../../shared/api/errors';
import type { AuditLog } from '../audit';
import type { Store } from '../store';
import { jobAttemptTable, jobTable, type JobStatus } from '../store';
import type { JobRegistry } from './registry';
import { DEFAULT_MAX_ATTEMPTS, type TimeSource } from './types';

export type JobRow = typeof jobTable.$inferSelect;
export type JobAttemptRow = typeof jobAttemptTable.$inferSelect;

/** Statuses in which a job is not finished: its dedup key is taken and it may still run. */
export const ACTIVE_STATUSES: readonly JobStatus[] = ['queued', 'running', 'failed'];
export const FINISHED_STATUSES: readonly JobStatus[] = ['succeeded', 'cancelled', 'dead'];

export interface EnqueueOptions {
  /** Enqueueing a key that an unfinished job holds returns that job instead of a new one. */
  dedupKey?: string;
  priority?: number;
  /** Not before this time (epoch ms). */
  runAt?: number;
  maxAttempts?: number;
  scheduleId?: string;
}

export interface ListOptions {
  statuses?: readonly JobStatus[];
  type?: string;
  limit?: number;
}

export type JobChangeListener = (job: JobRow) => void;

/** Enqueue, inspect, cancel and retry jobs. Safe across processes: every write is one short transaction. */
export class JobQueue {
  private readonly listeners = new Set<JobChangeListener>();

  constructor(
    readonly store: Store,
    readonly registry: JobRegistry,
    readonly now: TimeSource,
    /** Where schedule changes and alerts from the job system are recorded; user actions are recorded by the services. */
    readonly audit?: AuditLog,
  ) {}

  onChange(listener: JobChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(job: JobRow | undefined): void {
    if (!job) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(job);
      } catch {
        // A failing listener must not break the queue.
      }
    }
  }

  enqueue(type: string, payload: unknown, options: EnqueueOptions = {}): { job: JobRow; created: boolean } {
    const definition = this.registry.get(type);
    if (!definition) throw new AppError('VALIDATION', `unknown job type "${type}"`, { known: this.registry.types() });
    const parsed = definition.payloadSchema.safeParse(payload ?? {});
    if (!parsed.success) {
      throw new AppError(
        'VALIDATION',
        `${type}: invalid payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ')}`,
      );
    }
    const { db, sqlite } = this.store;
    const result = sqlite
      .transaction(() => {
        if (options.dedupKey) {
          const existing = db
            .select()
            .from(jobTable)
            .where(and(eq(jobTable.dedupKey, options.dedupKey), inArray(jobTable.status, [...ACTIVE_STATUSES])))
            .get();
          if (existing) return { job: existing, created: false };
        }
        const now = this.now();
        const job = db
          .insert(jobTable)
          .values({
            id: ulid(now),
            type,
            payload: parsed.data,
            dedupKey: options.dedupKey ?? null,
            status: 'queued',
            priority: options.priority ?? 0,
            maxAttempts: options.maxAttempts ?? definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
            nextRunAt: options.runAt ?? now,
            scheduleId: options.scheduleId ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning()
          .get();
        return { job, created: true };
      })
      // IMMEDIATE takes the write lock first, so two processes cannot both miss the existing key.
      .immediate();
    if (result.created) this.notify(result.job);
    return result;
  }

  get(id: string): JobRow | undefined {
    return this.store.db.select().from(jobTable).where(eq(jobTable.id, id)).get();
  }

  require(id: string): JobRow {
    const job = this.get(id);
    if (!job) throw new AppError('NOT_FOUND', `no job ${id}`);
    return job;
  }

  list(options: ListOptions = {}): JobRow[] {
    const conditions = [];
    if (options.statuses?.length) conditions.push(inArray(jobTable.status, [...options.statuses]));
    if (options.type) conditions.push(eq(jobTable.type, options.type));
    return this.store.db
      .select()
      .from(jobTable)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(jobTable.createdAt), desc(jobTable.id))
      .limit(options.limit ?? 100)
      .all();
  }

  counts(): Record<JobStatus, number> {
    const rows = this.store.sqlite.prepare('SELECT status, COUNT(*) AS n FROM job GROUP BY status').all() as {
      status: JobStatus;
      n: bigint;
    }[];
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, dead: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  attempts(id: string): JobAttemptRow[] {
    return this.store.db
      .select()
      .from(jobAttemptTable)
      .where(eq(jobAttemptTable.jobId, id))
      .orderBy(jobAttemptTable.attempt)
      .all();
  }

  /**
   * Cancels a job: a waiting one at once; a running one is asked to stop (its runner sees the flag at
   * the next heartbeat and aborts the job's signal). Finished jobs cannot be cancelled.
   */
  cancel(id: string): JobRow {
    const now = this.now();
    const job = this.store.sqlite
      .transaction(() => {
        const current = this.require(id);
        if (FINISHED_STATUSES.includes(current.status)) {
          throw new AppError('CONFLICT', `job ${id} already ${current.status}`);
        }
        const update =
          current.status === 'running'
            ? { cancelRequested: 1, updatedAt: now }
            : {
                status: 'cancelled' as const,
                finishedAt: now,
                updatedAt: now,
                error: { code: 'CANCELLED', message: 'cancelled before it ran' },
              };
        return this.store.db.update(jobTable).set(update).where(eq(jobTable.id, id)).returning().get();
      })
      .immediate();
    this.notify(job);
    return job;
  }

  /** Runs a failed, dead or cancelled job again, with a fresh set of attempts (its history stays). */
  retry(id: string): JobRow {
    const now = this.now();
    const job = this.store.sqlite
      .transaction(() => {
        const current = this.require(id);
        if (!(['failed', 'dead', 'cancelled'] as JobStatus[]).includes(current.status)) {
          throw new AppError(
            'CONFLICT',
            `job ${id} is ${current.status}; only failed, dead or cancelled jobs can be retried`,
          );
        }
        if (isBadInput(current.error)) {
          throw new AppError(
            'CONFLICT',
            `job ${id} failed on its input (${current.error?.message ?? 'bad input'}); running it again would fail the same way: fix the input and start it anew`,
          );
        }
        if (current.dedupKey) {
          const holder = this.store.sqlite
            .prepare(`SELECT id FROM job WHERE dedup_key = ? AND id <> ? AND status IN ('queued', 'running', 'failed')`)
            .get(current.dedupKey, id) as { id: string } | undefined;
          if (holder)
            throw new AppError('CONFLICT', `job ${holder.id} already holds the key ${current.dedupKey}`, {
              jobId: holder.id,
            });
        }
        return this.store.db
          .update(jobTable)
          .set({
            status: 'queued',
            attempts: 0,
            nextRunAt: now,
            cancelRequested: 0,
            error: null,
            result: null,
            startedAt: null,
            finishedAt: null,
            leaseOwner: null,
            leaseExpiresAt: null,
            progressDone: null,
            progressTotal: null,
            progressMessage: null,
            updatedAt: now,
          })
          .where(eq(jobTable.id, id))
          .returning()
          .get();
      })
      .immediate();
    this.notify(job);
    return job;
  }

  /** Jobs changed since `since` (epoch ms): lets a host pick up work done by other processes. */
  changedSince(since: number, limit = 200): JobRow[] {
    return this.store.db
      .select()
      .from(jobTable)
      .where(sql`${jobTable.updatedAt} > ${since}`)
      .orderBy(jobTable.updatedAt)
      .limit(limit)
      .all();
  }
}
