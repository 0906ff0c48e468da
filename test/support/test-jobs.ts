import { threadId } from 'node:worker_threads';
import { z } from 'zod';
import { AppError } from '../../shared/api/errors';
import { JobRegistry } from '../../electron/core/jobs/registry';
import { JobCancelledError } from '../../electron/core/jobs/types';

export const EFFECT_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS test_effect (job_id TEXT NOT NULL, runner TEXT NOT NULL, n INTEGER NOT NULL)';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new JobCancelledError());
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new JobCancelledError());
    });
  });
}

/** Job types for the job-system tests; also loaded by runner child processes and worker threads. */
export function createJobRegistry(): JobRegistry {
  return new JobRegistry()
    .define({
      type: 'test.effect',
      title: 'Test: record an effect exactly once',
      payloadSchema: z.object({ n: z.number().int() }),
      maxAttempts: 10,
      backoffMs: 10,
      run(ctx, payload) {
        // The effect is written in the same transaction that completes the job (fenced by the lease).
        return ctx.commit((store) => {
          store.sqlite
            .prepare('INSERT INTO test_effect (job_id, runner, n) VALUES (?, ?, ?)')
            .run(ctx.jobId, String(process.pid), payload.n);
          return { n: payload.n };
        });
      },
    })
    .define({
      type: 'test.fail',
      title: 'Test: always fails',
      payloadSchema: z.object({}),
      maxAttempts: 4,
      backoffMs: 40,
      maxBackoffMs: 10_000,
      run() {
        throw new AppError('UNAVAILABLE', 'upstream is down', { endpoint: 'https://example.invalid' });
      },
    })
    .define({
      type: 'test.bad-input',
      title: 'Test: rejects its input',
      payloadSchema: z.object({ name: z.string().default('costs.csv') }),
      describe: (payload) => `Check ${payload.name}`,
      maxAttempts: 4,
      backoffMs: 10,
      run() {
        throw new AppError('IMPORT_FORMAT', '/internal/uploads/b1/costs.csv:5 (column "BilledCost"): not a number', {
          file: '/internal/uploads/b1/costs.csv',
          line: 5,
          column: 'BilledCost',
          reason: 'not a number',
        });
      },
    })
    .define({
      type: 'test.sleep',
      title: 'Test: sleep until done or aborted',
      payloadSchema: z.object({ ms: z.number().int().min(0) }),
      maxAttempts: 5,
      backoffMs: 10,
      async run(ctx, payload, signal) {
        const step = 20;
        for (let slept = 0; slept < payload.ms; slept += step) {
          await sleep(step, signal);
          ctx.progress({ done: slept + step, total: payload.ms, unit: 'ms' });
        }
        return { slept: payload.ms };
      },
    })
    .define({
      type: 'test.limited',
      title: 'Test: one at a time',
      payloadSchema: z.object({ ms: z.number().int() }),
      concurrency: 1,
      async run(ctx, payload, signal) {
        const { sqlite } = ctx.store();
        const running = sqlite
          .prepare(`SELECT COUNT(*) AS n FROM job WHERE type = 'test.limited' AND status = 'running'`)
          .get() as { n: bigint };
        await sleep(payload.ms, signal);
        return { runningAtStart: Number(running.n) };
      },
    })
    .define({
      type: 'test.thread',
      title: 'Test: report the thread and the clock it was given',
      payloadSchema: z.object({}),
      thread: 'worker',
      run(ctx) {
        ctx.progress({ done: 1, total: 1 });
        return { threadId, asOf: ctx.clock.now().toISOString(), frozen: ctx.clock.frozen };
      },
    });
}
