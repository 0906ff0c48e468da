import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../../shared/api/errors';
import { clockFromState } from '../app';
import { createLogger } from '../log';
import { openStore, type Store } from '../store';
import { createJobRegistry } from '../job-catalog';
import type { JobRegistry } from './registry';
import { JobCancelledError, type JobContext } from './types';
import type { RunnerMessage, WorkerMessage, WorkerRequest } from './worker-protocol';

// Runs one CPU-heavy job off the runner's event loop. Writes, if the job makes any, go through a
// connection of its own (SQLite serialises writers; busy_timeout waits for the runner's short
// transactions). Job state itself is only ever written by the runner.

const request = workerData as WorkerRequest;
const clock = clockFromState(request.clock);
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);
const controller = new AbortController();
port.on('message', (message: RunnerMessage) => {
  if (message.kind === 'abort') controller.abort(new JobCancelledError('cancelled'));
});

async function loadRegistry(): Promise<JobRegistry> {
  if (!request.catalog) return createJobRegistry();
  const module = (await import(request.catalog)) as { createJobRegistry(): JobRegistry };
  return module.createJobRegistry();
}

let store = null as Store | null;
try {
  const registry = await loadRegistry();
  const definition = registry.get(request.type);
  if (!definition) throw new Error(`job type "${request.type}" is not known to the worker`);
  const ctx: JobContext = {
    jobId: request.jobId,
    attempt: request.attempt,
    logger: createLogger({ level: 'warn' }).child({ jobId: request.jobId, thread: 'worker' }),
    now: () => clock.stamp().getTime(),
    clock,
    progress: (progress) => post({ kind: 'progress', progress }),
    store: () => (store ??= openStore({ file: request.databaseFile, mustExist: true, now: () => clock.stamp() })),
    commit: () => {
      throw new Error('ctx.commit is only available to main-thread jobs');
    },
  };
  const payload = definition.payloadSchema.parse(request.payload);
  const value = await definition.run(ctx, payload, controller.signal);
  post({ kind: 'result', value: value ?? null });
} catch (error) {
  const cancelled = controller.signal.aborted || error instanceof JobCancelledError;
  post({ kind: 'error', error: toErrorData(error), cancelled });
} finally {
  (store as Store | null)?.close();
  // The message listener keeps the port, and so this thread, alive; the runner has what it needs.
  port.close();
}
