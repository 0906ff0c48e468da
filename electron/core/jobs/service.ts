/** The jobs capability's services and handlers: the queue as people see it, and its metrics. */
import type { HandlersOf } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/errors';
import { JobsListInputSchema, type Job, type JobAttempt, type jobsChannels } from '../../../shared/api/jobs';
import type { CoreContext, CoreKit } from '../context';
import { jobMetrics } from './metrics';
import { toAttemptView } from './view';

export function createJobServices(ctx: CoreContext, kit: CoreKit) {
  const { queue, registry } = ctx.jobs;
  const { audit } = ctx.workspace;
  const view = kit.jobView;
  return {
    jobs: {
      /** Jobs newest first, filtered by status and type, with counts by status. */
      list(input: { statuses?: Job['status'][]; type?: string; limit?: number } = {}) {
        const parsed = JobsListInputSchema.parse(input);
        return { jobs: queue.list(parsed).map(view), counts: queue.counts() };
      },
      /** One job and its attempts. */
      get(id: string): { job: Job; attempts: JobAttempt[] } {
        return { job: view(queue.require(id)), attempts: queue.attempts(id).map(toAttemptView) };
      },
      async cancel(id: string): Promise<Job> {
        const job = await kit.atomically(() => {
          const row = queue.cancel(id);
          audit.record({
            action: row.status === 'cancelled' ? 'job.cancelled' : 'job.cancel_requested',
            entityType: 'job',
            entityId: id,
            details: { type: row.type },
          });
          return row;
        });
        return view(job);
      },
      async retry(id: string): Promise<Job> {
        const job = await kit.atomically(() => {
          const row = queue.retry(id);
          audit.record({ action: 'job.retried', entityType: 'job', entityId: id, details: { type: row.type } });
          return row;
        });
        return view(job);
      },
      /** Starts a job type people may start; other types are refused. */
      async start(type: string, payload: unknown): Promise<Job> {
        const definition = registry.get(type);
        if (!definition?.userStartable) {
          throw new AppError('FORBIDDEN', `job type "${type}" cannot be started by hand`, {
            startable: registry
              .all()
              .filter((d) => d.userStartable)
              .map((d) => d.type),
          });
        }
        const job = await kit.atomically(() => {
          const { job: row } = queue.enqueue(type, payload ?? {});
          audit.record({
            action: 'job.started',
            entityType: 'job',
            entityId: row.id,
            details: { type, payload: row.payload },
          });
          return row;
        });
        return view(job);
      },
      /**
       * Enqueues a job of any declared type (an operator's `valdrix jobs enqueue`), with its audit event;
       * while a job with the same dedup key is unfinished, that job is returned instead.
       */
      async enqueue(type: string, payload: unknown, options: { dedupKey?: string; priority?: number } = {}) {
        const { job, created } = await kit.atomically(() => {
          const result = queue.enqueue(type, payload, options);
          if (result.created) {
            audit.record({
              action: 'job.enqueued',
              entityType: 'job',
              entityId: result.job.id,
              details: { type, payload: result.job.payload, dedupKey: result.job.dedupKey },
            });
          }
          return result;
        });
        return { job: view(job), created };
      },
      types: () =>
        registry.all().map((d) => ({
          type: d.type,
          title: d.title,
          thread: d.thread ?? ('main' as const),
          concurrency: d.concurrency ?? null,
          maxAttempts: d.maxAttempts ?? 5,
          userStartable: !!d.userStartable,
        })),
    },
    diagnostics: {
      /** Prometheus text exposition of job metrics. */
      metrics: () => ({ text: jobMetrics(queue), generatedAt: new Date(queue.now()).toISOString() }),
    },
  };
}

export type JobServices = ReturnType<typeof createJobServices>;

export function jobsHandlers(services: JobServices): HandlersOf<typeof jobsChannels> {
  return {
    'jobs.list': (input) => services.jobs.list(input),
    'jobs.get': (input) => services.jobs.get(input.id),
    'jobs.cancel': (input) => services.jobs.cancel(input.id),
    'jobs.retry': (input) => services.jobs.retry(input.id),
    'jobs.start': (input) => services.jobs.start(input.type, input.payload),
    'jobs.types': () => services.jobs.types(),
    'diagnostics.metrics': () => services.diagnostics.metrics(),
  };
}
