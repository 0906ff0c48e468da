/** The demo capability's job: a long CPU-bound computation to show progress and cancellation. */
import crypto from 'node:crypto';
import { z } from 'zod';
import { JobCancelledError, type JobRegistry } from '../jobs';

/** Payload of the demo job people can start from the Jobs panel to see progress and cancellation. */
export const DemoLongPayloadSchema = z.strictObject({
  steps: z.number().int().min(1).max(10_000).default(60),
  /** CPU time burnt per step, in milliseconds. */
  stepMs: z.number().int().min(0).max(60_000).default(250),
});

export function defineDemoJobs(registry: JobRegistry): JobRegistry {
  return registry.define({
    type: 'demo.long',
    title: 'Demo: a long computation',
    payloadSchema: DemoLongPayloadSchema,
    thread: 'worker',
    concurrency: 2,
    maxAttempts: 1,
    userStartable: true,
    async run(ctx, payload, signal) {
      // Genuinely CPU-bound (hash chains), to show that the UI process stays responsive meanwhile.
      let digest = Buffer.alloc(32);
      for (let step = 0; step < payload.steps; step++) {
        // Yield between steps so the worker sees the runner's abort message.
        await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted) throw new JobCancelledError();
        // A duration, not a time of day: the monotonic timer, which no clock setting moves.
        const until = performance.now() + payload.stepMs;
        do digest = crypto.createHash('sha256').update(digest).digest();
        while (performance.now() < until);
        ctx.progress({
          done: step + 1,
          total: payload.steps,
          unit: 'steps',
          message: `step ${step + 1} of ${payload.steps}`,
        });
      }
      return { steps: payload.steps, digest: digest.toString('hex') };
    },
  });
}
