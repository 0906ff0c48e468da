import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ulid } from 'ulid';
import { AppError, isBadInput, toErrorData, type AppErrorData } from '../../../shared/api/errors';
import { clockState, type Clock } from '../app';
import type { Logger } from '../log';
import type { Store } from '../store';
import { BUSY, tryImmediate, whenWritable } from '../store';
import type { JobQueue, JobRow } from './queue';
import { runDueSchedules } from './scheduler';
import { detectStuckJobs } from './stuck';
import {
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_BACKOFF_MS,
  JobCancelledError,
  type JobContext,
  type JobDefinition,
  type JobProgress,
  type TimeSource,
} from './types';
import type { WorkerMessage, WorkerRequest } from './worker-protocol';

export interface RunnerOptions {
  queue: JobQueue;
  logger: Logger;
  /** The workspace's clock, handed to every job (JobContext.clock), in this thread or a worker's. */
  clock: Clock;
  /** Identifies this runner in leases: host, pid and a random suffix by default. */
  id?: string;
  /** Jobs this runner runs at once (each type's own concurrency limit applies across runners too). */
  slots?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  /** Entry module for worker-thread jobs; the source-mode bootstrap by default. */
  workerEntry?: string | URL;
  /** Module (URL) that exports createJobRegistry(), loaded by worker threads; the built-in catalog by default. */
  workerCatalog?: string;
  /** Run schedules and the stuck-job detector from this runner (one per process is plenty). */
  maintenance?: boolean;
  scheduleEveryMs?: number;
  stuckCheckEveryMs?: number;
  random?: () => number;
  workspaceId?: string;
  /** How often to look for cancellations requested by other processes. */
  cancelPollMs?: number;
}

interface ActiveJob {
  job: JobRow;
  controller: AbortController;
  /** Why the signal fired: a user's cancel, a lost lease, or this runner shutting down. */
  stopReason: 'cancel' | 'lease-lost' | 'shutdown' | null;
  done: Promise<void>;
  committed: boolean;
}

const PROGRESS_WRITE_MS = 250;
/** How long a shutting-down runner tries to hand its jobs back before leaving them to lease expiry. */
const RELEASE_DEADLINE_MS = 3_000;
/** A heartbeat that met another connection's write lock is tried again this soon. */
const HEARTBEAT_RETRY_MS = 100;

/**
 * Claims due jobs under a lease, runs them (CPU-heavy types in worker threads), heartbeats, retries
 * with exponential backoff and jitter, honours cancellation, and on shutdown finishes or releases what
 * it holds. Several runners (processes) can share one workspace: claims and completions are short
 * IMMEDIATE transactions fenced by (lease owner, attempt).
 *
 * A runner lives on the thread that answers the UI, so none of its writes waits on SQLite's busy
 * handler (store/nonblocking.ts): while another process holds the write lock, a claim or housekeeping
 * pass is skipped until the next tick, a heartbeat or progress write is tried again shortly, and an
 * outcome is written as soon as the lock is free, all without blocking the thread.
 */
export class JobRunner {
  readonly id: string;
  private readonly store: Store;
  private readonly now: TimeSource;
  private readonly slots: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly random: () => number;
  private readonly active = new Map<string, ActiveJob>();
  private timer: NodeJS.Timeout | null = null;
  private cancelWatch: NodeJS.Timeout | null = null;
  private stopListening: (() => void) | null = null;
  private running = false;
  private ticking = false;
  private lastSchedule = 0;
  private lastStuckCheck = 0;

  constructor(private readonly options: RunnerOptions) {
    this.store = options.queue.store;
    this.now = options.queue.now;
    this.id = options.id ?? `${os.hostname()}:${process.pid}:${ulid().slice(-6)}`;
    this.slots = options.slots ?? 2;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(this.leaseMs / 3));
    this.pollMs = options.pollMs ?? 500;
    this.random = options.random ?? Math.random;
  }

  get activeCount(): number {
    return this.active.size;
  }

  start(): this {
    if (this.running) return this;
    this.running = true;
    // A cancel made in this process reaches the job at once; one made elsewhere (CLI, another
    // window) is seen by polling, which is much more frequent than the heartbeat.
    this.stopListening = this.options.queue.onChange((row) => {
      if (row.cancelRequested) this.abortForCancel(row.id);
    });
    this.cancelWatch = setInterval(() => this.pollCancellations(), this.options.cancelPollMs ?? 500);
    this.cancelWatch.unref();
    this.schedule(0);
    return this;
  }

  private abortForCancel(jobId: string): void {
    const active = this.active.get(jobId);
    if (!active || active.controller.signal.aborted) return;
    active.stopReason ??= 'cancel';
    active.controller.abort(new JobCancelledError('cancelled by a user'));
  }

  private pollCancellations(): void {
    if (!this.active.size) return;
    const rows = this.store.sqlite
      .prepare(`SELECT id FROM job WHERE lease_owner = ? AND status = 'running' AND cancel_requested = 1`)
      .all(this.id) as { id: string }[];
    for (const row of rows) this.abortForCancel(row.id);
  }

  /**
   * Stops claiming, waits up to `graceMs` for running jobs to finish, then aborts the rest and
   * releases their leases (back to the queue without using up an attempt).
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.cancelWatch) clearInterval(this.cancelWatch);
    this.cancelWatch = null;
    this.stopListening?.();
    this.stopListening = null;
    const pending = [...this.active.values()];
    if (pending.length) {
      await Promise.race([Promise.all(pending.map((a) => a.done)), sleep(graceMs)]);
    }
    const remaining = [...this.active.values()];
    for (const active of remaining) {
      active.stopReason = 'shutdown';
      await this.release(active.job);
      active.controller.abort(new JobCancelledError('runner shutting down'));
    }
    await Promise.all(remaining.map((a) => a.done));
  }

  /** One pass: housekeeping, then claim and start jobs while slots are free. Returns how many started. */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      this.housekeeping();
      let started = 0;
      while (this.active.size < this.slots) {
        const job = this.claim();
        if (!job) break;
        started++;
        this.launch(job);
      }
      return started;
    } finally {
      this.ticking = false;
    }
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'job runner tick failed'))
        .finally(() => this.schedule(this.pollMs));
    }, delay);
  }

  private housekeeping(): void {
    if (this.options.maintenance === false) return;
    const now = this.now();
    const { sqlite } = this.store;
    // Skipped, not waited for, while another connection writes: the next tick tries again.
    if (now - this.lastSchedule >= (this.options.scheduleEveryMs ?? 30_000)) {
      const done = tryImmediate(sqlite, () =>
        runDueSchedules(this.options.queue, { workspaceId: this.options.workspaceId ?? 'workspace' }),
      );
      if (done !== BUSY) this.lastSchedule = now;
    }
    if (now - this.lastStuckCheck >= (this.options.stuckCheckEveryMs ?? 60_000)) {
      const done = tryImmediate(sqlite, () =>
        detectStuckJobs(this.options.queue, { freeSlots: this.slots - this.active.size, logger: this.options.logger }),
      );
      if (done !== BUSY) this.lastStuckCheck = now;
    }
  }

  /**
   * Claims the next due job this runner can run, recovering expired leases first. Claims nothing (for
   * now) while another connection holds the write lock.
   */
  claim(): JobRow | undefined {
    const { sqlite } = this.store;
    const registry = this.options.queue.registry;
    const attempt = tryImmediate(sqlite, () => {
      const now = this.now();
      this.recoverExpiredLeases(now);
      const candidates = sqlite
        .prepare(
          // INDEXED BY: the planner, without statistics, prefers the status index and sorts every
          // waiting job; the partial claim index reads them in claim order and stops early.
          `SELECT id, type FROM job INDEXED BY job_claim_idx WHERE status IN ('queued', 'failed') AND next_run_at <= ?
             ORDER BY priority DESC, next_run_at, id LIMIT 200`,
        )
        .all(now) as { id: string; type: string }[];
      if (!candidates.length) return undefined;
      const runningByType = new Map(
        (
          sqlite.prepare(`SELECT type, COUNT(*) AS n FROM job WHERE status = 'running' GROUP BY type`).all() as {
            type: string;
            n: bigint;
          }[]
        ).map((r) => [r.type, Number(r.n)]),
      );
      for (const candidate of candidates) {
        const definition = registry.get(candidate.type);
        if (!definition) continue;
        if ((runningByType.get(candidate.type) ?? 0) >= (definition.concurrency ?? Number.POSITIVE_INFINITY)) continue;
        const job = sqlite
          .prepare(
            `UPDATE job SET status = 'running', attempts = attempts + 1, lease_owner = @owner,
                 lease_expires_at = @expires, heartbeat_at = @now, started_at = COALESCE(started_at, @now),
                 updated_at = @now, progress_done = NULL, progress_total = NULL, progress_message = NULL
               WHERE id = @id AND status IN ('queued', 'failed') RETURNING id`,
          )
          .get({ owner: this.id, expires: now + this.leaseMs, now, id: candidate.id }) as { id: string } | undefined;
        if (!job) continue;
        const row = this.options.queue.require(job.id);
        sqlite
          .prepare('INSERT INTO job_attempt (job_id, attempt, runner, started_at) VALUES (?, ?, ?, ?)')
          .run(row.id, row.attempts, this.id, now);
        return row;
      }
      return undefined;
    });
    const claimed = attempt === BUSY ? undefined : attempt;
    this.options.queue.notify(claimed);
    return claimed;
  }

  /** Jobs whose runner stopped heartbeating (crashed, killed, asleep too long) go back to the queue. */
  private recoverExpiredLeases(now: number): void {
    const { sqlite } = this.store;
    const expired = sqlite
      .prepare(
        `SELECT id, attempts, max_attempts, lease_owner, cancel_requested FROM job WHERE status = 'running' AND lease_expires_at < ?`,
      )
      .all(now) as {
      id: string;
      attempts: bigint;
      max_attempts: bigint;
      lease_owner: string;
      cancel_requested: bigint;
    }[];
    for (const job of expired) {
      const error: AppErrorData = {
        code: 'UNAVAILABLE',
        message: `runner ${job.lease_owner} stopped heartbeating (crashed, killed or suspended); lease expired`,
      };
      const status = job.cancel_requested ? 'cancelled' : job.attempts >= job.max_attempts ? 'dead' : 'queued';
      sqlite
        .prepare(
          `UPDATE job SET status = ?, lease_owner = NULL, lease_expires_at = NULL, error = ?, next_run_at = ?,
             finished_at = CASE WHEN ? IN ('dead', 'cancelled') THEN ? ELSE NULL END, updated_at = ?
           WHERE id = ? AND status = 'running'`,
        )
        .run(status, JSON.stringify(error), now, status, now, now, job.id);
      sqlite
        .prepare(
          `UPDATE job_attempt SET finished_at = ?, outcome = 'lease-expired', error = ? WHERE job_id = ? AND attempt = ? AND finished_at IS NULL`,
        )
        .run(now, JSON.stringify(error), job.id, job.attempts);
      this.options.logger.warn(
        { jobId: job.id, owner: job.lease_owner, status },
        'recovered a job from an expired lease',
      );
    }
  }

  private launch(job: JobRow): void {
    const definition = this.options.queue.registry.get(job.type)!;
    const controller = new AbortController();
    const active: ActiveJob = { job, controller, stopReason: null, done: Promise.resolve(), committed: false };
    this.active.set(job.id, active);
    active.done = this.execute(active, definition).finally(() => {
      this.active.delete(job.id);
      if (this.running) this.schedule(0);
    });
  }

  private async execute(active: ActiveJob, definition: JobDefinition): Promise<void> {
    const { job } = active;
    const logger = this.options.logger.child({ jobId: job.id, jobType: job.type, attempt: job.attempts });
    let pendingProgress: JobProgress | null = null;
    let lastProgressWrite = 0;
    const flushProgress = () => {
      if (!pendingProgress) return;
      const p = pendingProgress;
      const row = tryImmediate(this.store.sqlite, () =>
        this.fencedUpdate(
          job,
          `progress_done = @done, progress_total = @total, progress_unit = @unit, progress_message = @message`,
          { done: Math.floor(p.done), total: p.total ?? null, unit: p.unit ?? null, message: p.message ?? null },
        ),
      );
      // Kept for the next write while another connection writes: progress is news, not history.
      if (row === BUSY) return;
      if (pendingProgress === p) pendingProgress = null;
      lastProgressWrite = this.now();
      this.options.queue.notify(row);
    };
    let heartbeatRetry: NodeJS.Timeout | null = null;
    const beat = () => {
      heartbeatRetry = null;
      flushProgress();
      const now = this.now();
      const row = tryImmediate(
        this.store.sqlite,
        () =>
          this.store.sqlite
            .prepare(
              `UPDATE job SET heartbeat_at = @now, lease_expires_at = @expires, updated_at = @now
               WHERE id = @id AND lease_owner = @owner AND attempts = @attempt AND status = 'running' RETURNING cancel_requested`,
            )
            .get({ now, expires: now + this.leaseMs, id: job.id, owner: this.id, attempt: job.attempts }) as
            { cancel_requested: bigint } | undefined,
      );
      // The lease has two more beats of room: try again shortly rather than wait on the lock.
      if (row === BUSY) heartbeatRetry = setTimeout(beat, HEARTBEAT_RETRY_MS);
      else if (!row) {
        active.stopReason ??= 'lease-lost';
        active.controller.abort(new JobCancelledError('lease lost'));
      } else if (row.cancel_requested) {
        active.stopReason ??= 'cancel';
        active.controller.abort(new JobCancelledError('cancelled by a user'));
      }
    };
    const heartbeat = setInterval(() => {
      if (!heartbeatRetry) beat();
    }, this.heartbeatMs);
    const stopBeating = () => {
      clearInterval(heartbeat);
      if (heartbeatRetry) clearTimeout(heartbeatRetry);
    };

    const ctx: JobContext = {
      jobId: job.id,
      attempt: job.attempts,
      logger,
      now: this.now,
      clock: this.options.clock,
      store: () => this.store,
      progress: (progress) => {
        pendingProgress = progress;
        if (this.now() - lastProgressWrite >= PROGRESS_WRITE_MS) flushProgress();
      },
      commit: (effect) => {
        const value = this.store.sqlite
          .transaction(() => {
            const result = effect(this.store);
            if (!this.finish(job, 'succeeded', { result: null, error: null })) {
              throw new JobCancelledError('lease lost before commit: the effect was rolled back');
            }
            return result;
          })
          .immediate();
        active.committed = true;
        return value;
      },
    };

    try {
      const result =
        definition.thread === 'worker'
          ? await this.runInWorker(job, active.controller.signal, (p) => ctx.progress(p))
          : await definition.run(ctx, job.payload, active.controller.signal);
      stopBeating();
      flushProgress();
      if (active.stopReason === 'shutdown' || active.stopReason === 'lease-lost') return;
      if (active.stopReason === 'cancel') {
        await this.finishAndNotify(job, 'cancelled', { error: { code: 'CANCELLED', message: 'cancelled by a user' } });
        return;
      }
      if (active.committed) {
        await this.fencedFinishedUpdate(job, result ?? null);
      } else {
        await this.finishAndNotify(job, 'succeeded', { result: result ?? null, error: null });
      }
    } catch (error) {
      stopBeating();
      flushProgress();
      if (active.stopReason === 'shutdown' || active.stopReason === 'lease-lost') {
        logger.info({ reason: active.stopReason }, 'job stopped');
        return;
      }
      if (active.stopReason === 'cancel' || (error instanceof JobCancelledError && active.controller.signal.aborted)) {
        await this.finishAndNotify(job, 'cancelled', { error: { code: 'CANCELLED', message: 'cancelled by a user' } });
        return;
      }
      const data = toErrorData(error);
      // Bad input fails the same way every time: the job ends now instead of retrying.
      const exhausted = job.attempts >= job.maxAttempts || isBadInput(data);
      logger.warn({ err: error, exhausted }, 'job attempt failed');
      if (exhausted) {
        await this.finishAndNotify(job, 'dead', { error: data });
      } else {
        const delay = this.backoff(definition, job.attempts);
        await this.finishAndNotify(job, 'failed', { error: data, nextRunAt: this.now() + delay });
      }
    }
  }

  /** Delay before retry number `attempt` (1-based): base × 2^(attempt−1), ±25 % jitter, capped. */
  backoff(definition: Pick<JobDefinition, 'backoffMs' | 'maxBackoffMs'>, attempt: number): number {
    const base = definition.backoffMs ?? DEFAULT_BACKOFF_MS;
    const cap = definition.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    const raw = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
    return Math.round(raw * (0.75 + this.random() * 0.5));
  }

  private async finishAndNotify(
    job: JobRow,
    status: 'succeeded' | 'failed' | 'cancelled' | 'dead',
    fields: { result?: unknown; error: AppErrorData | null; nextRunAt?: number },
  ): Promise<void> {
    const ok = await this.whenWritable(() => this.finish(job, status, fields), this.leaseMs);
    if (ok) this.options.queue.notify(this.options.queue.get(job.id));
    else
      this.options.logger.warn({ jobId: job.id, status }, 'lease lost before the job finished; another runner owns it');
  }

  /**
   * A write of this runner's, made as soon as no other connection holds the write lock, without
   * blocking the thread. After `deadlineMs` of waiting it gives up (false): the job's lease then runs
   * out and the job is recovered like one of a stopped runner.
   */
  private async whenWritable(write: () => boolean, deadlineMs: number): Promise<boolean> {
    try {
      return await whenWritable(this.store.sqlite, write, { deadlineMs });
    } catch (error) {
      this.options.logger.warn(
        { err: error },
        'the workspace stayed locked by another process; a job write was given up',
      );
      return false;
    }
  }

  /** Writes the outcome if this runner still holds the job's lease (the fence). Must run in a transaction. */
  private finish(
    job: JobRow,
    status: 'succeeded' | 'failed' | 'cancelled' | 'dead',
    fields: { result?: unknown; error: AppErrorData | null; nextRunAt?: number },
  ): boolean {
    const now = this.now();
    const finished = status !== 'failed';
    const changed = this.store.sqlite
      .prepare(
        `UPDATE job SET status = @status, lease_owner = NULL, lease_expires_at = NULL, result = @result, error = @error,
           next_run_at = COALESCE(@nextRunAt, next_run_at), finished_at = @finishedAt, updated_at = @now
         WHERE id = @id AND lease_owner = @owner AND attempts = @attempt AND status = 'running'`,
      )
      .run({
        status,
        result: fields.result === undefined ? null : JSON.stringify(fields.result),
        error: fields.error ? JSON.stringify(fields.error) : null,
        nextRunAt: fields.nextRunAt ?? null,
        finishedAt: finished ? now : null,
        now,
        id: job.id,
        owner: this.id,
        attempt: job.attempts,
      }).changes;
    if (!changed) return false;
    this.store.sqlite
      .prepare(
        `UPDATE job_attempt SET finished_at = ?, outcome = ?, error = ? WHERE job_id = ? AND attempt = ? AND finished_at IS NULL`,
      )
      .run(now, status, fields.error ? JSON.stringify(fields.error) : null, job.id, job.attempts);
    return true;
  }

  /** After ctx.commit() marked the job succeeded, store the value run() returned. */
  private async fencedFinishedUpdate(job: JobRow, result: unknown): Promise<void> {
    await this.whenWritable(() => {
      this.store.sqlite
        .prepare(`UPDATE job SET result = ?, updated_at = ? WHERE id = ? AND status = 'succeeded' AND attempts = ?`)
        .run(JSON.stringify(result), this.now(), job.id, job.attempts);
      return true;
    }, this.leaseMs);
    this.options.queue.notify(this.options.queue.get(job.id));
  }

  private fencedUpdate(job: JobRow, assignments: string, params: Record<string, unknown>): JobRow | undefined {
    const row = this.store.sqlite
      .prepare(
        `UPDATE job SET ${assignments}, updated_at = @now
         WHERE id = @id AND lease_owner = @owner AND attempts = @attempt AND status = 'running' RETURNING id`,
      )
      .get({ ...params, now: this.now(), id: job.id, owner: this.id, attempt: job.attempts }) as
      { id: string } | undefined;
    return row ? this.options.queue.get(row.id) : undefined;
  }

  /** Hands the job back to the queue without using up an attempt (graceful shutdown). */
  private async release(job: JobRow): Promise<void> {
    const now = this.now();
    await this.whenWritable(() => {
      const changed = this.store.sqlite
        .prepare(
          `UPDATE job SET status = 'queued', attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL,
               next_run_at = ?, updated_at = ? WHERE id = ? AND lease_owner = ? AND attempts = ? AND status = 'running'`,
        )
        .run(now, now, job.id, this.id, job.attempts).changes;
      if (changed) {
        this.store.sqlite
          .prepare(
            `UPDATE job_attempt SET finished_at = ?, outcome = 'released' WHERE job_id = ? AND attempt = ? AND finished_at IS NULL`,
          )
          .run(now, job.id, job.attempts);
      }
      return true;
    }, RELEASE_DEADLINE_MS);
    this.options.queue.notify(this.options.queue.get(job.id));
  }

  private runInWorker(job: JobRow, signal: AbortSignal, onProgress: (p: JobProgress) => void): Promise<unknown> {
    const entry = this.options.workerEntry ?? new URL('./worker-bootstrap.mjs', import.meta.url);
    const request: WorkerRequest = {
      jobId: job.id,
      attempt: job.attempts,
      type: job.type,
      payload: job.payload,
      databaseFile: this.store.file,
      clock: clockState(this.options.clock),
      catalog: this.options.workerCatalog,
    };
    return new Promise((resolve, reject) => {
      const worker = new Worker(entry, { workerData: request });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => {
        worker.postMessage({ kind: 'abort' });
        // A job that ignores its signal is stopped by force.
        setTimeout(() => void worker.terminate(), 5_000).unref();
      };
      signal.addEventListener('abort', onAbort);
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'progress') onProgress(message.progress);
        else if (message.kind === 'result') settle(() => resolve(message.value));
        else if (message.kind === 'error') {
          settle(() =>
            reject(message.cancelled ? new JobCancelledError(message.error.message) : AppError.fromData(message.error)),
          );
        }
      });
      worker.on('error', (error) => settle(() => reject(error)));
      worker.on('exit', (code) => {
        settle(() =>
          signal.aborted
            ? reject(new JobCancelledError('worker stopped'))
            : reject(new Error(`job worker exited with code ${code}`)),
        );
      });
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
