import type { Logger } from '../log';
import type { Workspace } from '../workspace';
// The composition of every capability's job types (a top-level module, like services.ts).
import { createJobRegistry, DEFAULT_SCHEDULES } from '../job-catalog';
import { JobQueue } from './queue';
import type { JobRegistry } from './registry';
import { JobRunner, type RunnerOptions } from './runner';
import { ensureSchedule } from './scheduler';
import type { TimeSource } from './types';

export interface JobSystem {
  registry: JobRegistry;
  queue: JobQueue;
  /** Present when this process runs jobs (the app, `valdrix worker`); absent for one-shot CLI commands. */
  runner: JobRunner | null;
  stop(graceMs?: number): Promise<void>;
}

/**
 * The job system over a workspace: the built-in registry, the queue, the default schedules, and
 * (with `run`) a runner started in this process.
 */
export function createJobSystem(options: {
  workspace: Workspace;
  logger: Logger;
  /** The job system's time, for tests that move it; the workspace clock's stamps otherwise. */
  now?: TimeSource;
  run?: boolean;
  registry?: JobRegistry;
  runner?: Omit<RunnerOptions, 'queue' | 'logger' | 'clock'>;
}): JobSystem {
  const registry = options.registry ?? createJobRegistry();
  const { clock } = options.workspace;
  const now = options.now ?? (() => clock.stamp().getTime());
  const queue = new JobQueue(options.workspace.store, registry, now, options.workspace.audit);
  let runner: JobRunner | null = null;
  if (options.run) {
    for (const schedule of DEFAULT_SCHEDULES) {
      if (registry.has(schedule.type)) ensureSchedule(queue, schedule);
    }
    runner = new JobRunner({
      queue,
      logger: options.logger,
      clock,
      workspaceId: options.workspace.meta.id,
      ...options.runner,
    }).start();
  }
  return {
    registry,
    queue,
    runner,
    stop: async (graceMs) => {
      await runner?.stop(graceMs);
    },
  };
}

/**
 * Announces, through the queue's change listeners, jobs changed by any process (other runners write
 * to the same file), by polling the job table's updated_at. Returns a stop function.
 */
export function watchJobChanges(queue: JobQueue, intervalMs = 1_000): () => void {
  let since = queue.now();
  const timer = setInterval(() => {
    const changed = queue.changedSince(since);
    if (!changed.length) return;
    since = Math.max(since, ...changed.map((j) => j.updatedAt));
    for (const job of changed) queue.notify(job);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
