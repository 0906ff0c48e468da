import { z } from 'zod';
import { NoInputSchema } from './schemas';

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
  /** Sync columns: alerts are entities that will sync. */
  version: z.number().int(),
  updatedAt: IsoTimestamp,
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

const JobIdInput = z.strictObject({ id: z.string().min(1).max(64) });

export const JobsListInputSchema = z.strictObject({
  statuses: z.array(JobStatusSchema).max(6).optional(),
  type: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const jobsChannels = {
  /** Jobs, newest first, with counts by status. */
  'jobs.list': {
    input: JobsListInputSchema,
    output: z.object({ jobs: z.array(JobSchema), counts: JobCountsSchema }),
  },
  /** One job with its attempts. */
  'jobs.get': { input: JobIdInput, output: z.object({ job: JobSchema, attempts: z.array(JobAttemptSchema) }) },
  /** Cancels a waiting job at once, or asks a running one to stop. */
  'jobs.cancel': { input: JobIdInput, output: JobSchema },
  /** Runs a failed, dead or cancelled job again. */
  'jobs.retry': { input: JobIdInput, output: JobSchema },
  /** Starts a job type that people may start (e.g. the demo job); returns at once with the job. */
  'jobs.start': {
    input: z.strictObject({ type: z.string().min(1).max(100), payload: z.unknown().optional() }),
    output: JobSchema,
  },
  /** The declared job types. */
  'jobs.types': { input: NoInputSchema, output: z.array(JobTypeInfoSchema) },
  /** Job metrics in Prometheus text format. */
  'diagnostics.metrics': {
    input: NoInputSchema,
    output: z.object({ text: z.string(), generatedAt: z.iso.datetime() }),
  },
} as const;
