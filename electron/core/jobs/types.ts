import type { z } from 'zod';
import type { Clock } from '../app';
import type { Logger } from '../log';
import type { Store } from '../store';

/**
 * Milliseconds since the epoch for the job system: leases, heartbeats, backoff, schedules. The
 * workspace clock's stamps (real time even under --as-of, or a retry would never come due); tests
 * inject their own.
 */
export type TimeSource = () => number;

export interface JobProgress {
  done: number;
  total?: number | null;
  unit?: string | null;
  message?: string | null;
}

/** What a running job can use. Worker-thread jobs get the same shape, with a store of their own. */
export interface JobContext {
  jobId: string;
  attempt: number;
  logger: Logger;
  /** The job system's time (see TimeSource): stamps and throttling, never the as-of date. */
  now: TimeSource;
  /** The workspace's clock: what month close, finality and forecasts in a job must read (`clock.now()`). */
  clock: Clock;
  /** Reports progress; written to the job row and pushed to the UI, throttled. */
  progress(progress: JobProgress): void;
  /** The workspace store (main-thread jobs share the runner's connection; worker jobs open their own). */
  store(): Store;
  /**
   * Runs `effect` in the same transaction that marks the job succeeded, after checking this runner
   * still holds the lease. This is how a job's effect happens exactly once: if the lease was lost to
   * another runner, nothing is written. Main-thread jobs only.
   */
  commit<T>(effect: (store: Store) => T): T;
}

export interface JobDefinition<P = unknown, R = unknown> {
  type: string;
  /** One line for people: shown in the Jobs panel and the CLI. */
  title: string;
  /** The title naming what this job works on, from its payload (file names, never internal paths). */
  describe?(payload: P): string;
  /** A succeeded result that still waits on someone, in words ("Held" with why); null when it does not. */
  outcome?(result: unknown): { label: string; detail: string } | null;
  payloadSchema: z.ZodType<P>;
  run(ctx: JobContext, payload: P, signal: AbortSignal): Promise<R> | R;
  /** 'worker' runs in a worker thread so the process serving the UI never blocks. */
  thread?: 'main' | 'worker';
  /** Most jobs of this type running at once across every runner on the workspace. */
  concurrency?: number;
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, with ±25 % jitter, capped at maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** May people start it from the UI? */
  userStartable?: boolean;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 5_000;
export const DEFAULT_MAX_BACKOFF_MS = 15 * 60_000;

/** Thrown (or rejected) by a job when its AbortSignal fires. */
export class JobCancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'JobCancelledError';
  }
}
