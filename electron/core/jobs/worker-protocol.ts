import type { AppErrorData } from '../../../shared/api/errors';
import type { ClockState } from '../app';
import type { JobProgress } from './types';

/** What the runner hands a worker thread (workerData). */
export interface WorkerRequest {
  jobId: string;
  attempt: number;
  type: string;
  payload: unknown;
  databaseFile: string;
  /** The runner's workspace clock, so a job in a thread reads the same as-of instant (--as-of / VALDRIX_NOW). */
  clock: ClockState;
  /** Module URL exporting createJobRegistry(); the built-in catalog when absent. */
  catalog?: string;
}

/** Messages from a worker thread to its runner. */
export type WorkerMessage =
  | { kind: 'progress'; progress: JobProgress }
  | { kind: 'result'; value: unknown }
  | { kind: 'error'; error: AppErrorData; cancelled: boolean };

/** Messages from the runner to a worker thread. */
export type RunnerMessage = { kind: 'abort' };
