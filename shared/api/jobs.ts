import { z } from 'zod';

export const JobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'dead']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

const IsoTimestamp = z.iso.datetime();

export const JobErrorSchema = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });

export const JobSchema = z.object({
  id: z.string(),
  type: z.string(),
  /** The job type's title, for people. */
  title: z.string(),
  status: JobStatusSchema,
  /**
   * What a succeeded job's result still waits on, when it does ("Held": an import written but not
   * published until someone accepts it); null otherwise. Screens show it instead of "Succeeded".
   */
  outcome: z.object({ label: z.string(), detail: z.string() }).nullable(),
  priority: z.number().int(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  dedupKey: z.string().nullable(),
  payload: z.unknown(),
  progress: z
    .object({
      done: z.number().int(),
      total: z.number().int().nullable(),
      unit: z.string().nullable(),
      message: z.string().nullable(),
    })
    .nullable(),
  result: z.unknown(),
  error: JobErrorSchema.nullable(),
  cancelRequested: z.boolean(),
  /** May a person cancel it now / retry it now? */
  cancellable: z.boolean(),
  retryable: z.boolean(),
  leaseOwner: z.string().nullable(),
  scheduleId: z.string().nullable(),
  createdAt: IsoTimestamp,
  startedAt: IsoTimestamp.nullable(),
  finishedAt: IsoTimestamp.nullable(),
  nextRunAt: IsoTimestamp,
  heartbeatAt: IsoTimestamp.nullable(),
  updatedAt: IsoTimestamp,
});
export type Job = z.infer<typeof JobSchema>;

export const JobAttemptSchema = z.object({
  attempt: z.number().int(),
  runner: z.string(),
  startedAt: IsoTimestamp,
  finishedAt: IsoTimestamp.nullable(),
  durationMs: z.number().int().nullable(),
  outcome: z.string().nullable(),
  error: JobErrorSchema.nullable(),
});
export type JobAttempt = z.infer<typeof JobAttemptSchema>;

export const JobTypeInfoSchema = z.object({
  type: z.string(),
  title: z.string(),
  thread: z.enum(['main', 'worker']),
  concurrency: z.number().int().nullable(),
  maxAttempts: z.number().int(),
  userStartable: z.boolean(),
});

export const JobCountsSchema = z.record(JobStatusSchema, z.number().int());

export const AlertSchema = z.object({
  id: z.string(),
  kind: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  title: z.string(),
  message: z.string(),
  details: z.unknown(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  createdAt: IsoTimestamp,
  acknowledgedAt: IsoTimestamp.nullable(),
});
export type Alert = z.infer<typeof AlertSchema>;
