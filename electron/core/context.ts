/**
 * What every capability's services are built from: the open workspace and the process's clock, logger,
 * event bus, job system and keychain (CoreContext), and the few habits they share (CoreKit).
 */
import type { Job } from '../../shared/api/jobs';
import type { Clock, EventBus, ImportPathPolicy } from './app';
import { toJobView } from './jobs';
// The job system's type only: hosts build it (jobs/system.ts) from the top-level catalog.
import type { JobSystem } from './jobs/system';
import type { Logger } from './log';
import type { SecretStore } from './secrets';
import { whenWritable } from './store';
import type { Workspace } from './workspace';

export interface CoreContext {
  workspace: Workspace;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  jobs: JobSystem;
  /** The OS keychain (the audit signing key lives there). */
  secrets: SecretStore;
  mode: 'electron' | 'browser';
  /** Which local files imports may read; by default any in Electron, uploads and confirmed paths in browser mode. */
  importPaths?: ImportPathPolicy;
}

export interface CoreKit {
  /**
   * A change and its audit event commit together or not at all. The services answer the UI, so a
   * change waits for another process's write (an import publishing) without blocking the thread, and
   * gives up with CONFLICT after store/nonblocking.ts's deadline.
   */
  atomically<T>(fn: () => T): Promise<T>;
  /** A job as the contract shows it. */
  jobView(row: Parameters<typeof toJobView>[0]): Job;
  /** When a change is made (audit, settings, exports): real time even while --as-of freezes clock.now(). */
  stamp(): Date;
}

export function coreKit(ctx: CoreContext): CoreKit {
  const { store } = ctx.workspace;
  return {
    atomically: (fn) => whenWritable(store.sqlite, fn),
    jobView: (row) => toJobView(row, ctx.jobs.registry),
    stamp: () => ctx.clock.stamp(),
  };
}
