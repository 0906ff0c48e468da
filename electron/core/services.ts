import type { AppInfo, Overview, OverviewInput } from '../../shared/api/contract';
import { JobsListInputSchema, OverviewInputSchema } from '../../shared/api/contract';
import { AppError } from '../../shared/api/errors';
import type { Alert, Job, JobAttempt } from '../../shared/api/jobs';
import { listAlerts } from './alerts/alerts';
import { jobMetrics } from './jobs/metrics';
import type { JobSystem } from './jobs/system';
import { toAttemptView, toJobView } from './jobs/view';
import type { Clock } from './app/clock';
import { today } from './app/clock';
import type { EventBus } from './app/event-bus';
import { appVersion } from './app/version';
import { computeOverview } from './costs/overview';
import type { Logger } from './log/logger';
import { reportingCurrency, type Workspace } from './workspace/workspace';

export interface CoreContext {
  workspace: Workspace;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  jobs: JobSystem;
  mode: 'electron' | 'browser';
}

/** The core's services over one open workspace; every host (Electron, browser bridge, CLI, tests) builds these. */
export function createServices(ctx: CoreContext) {
  const { queue, registry } = ctx.jobs;
  const view = (row: Parameters<typeof toJobView>[0]) => toJobView(row, registry);
  return {
    app: {
      /** Version, mode, clock and workspace facts. */
      info(): AppInfo {
        const { workspace } = ctx;
        return {
          name: 'Valdrix',
          version: appVersion(),
          mode: ctx.mode,
          asOf: today(ctx.clock),
          clockFrozen: ctx.clock.frozen,
          workspace: {
            id: workspace.meta.id,
            name: workspace.meta.name,
            path: workspace.paths.dir,
            schemaVersion: workspace.store.schemaVersion,
            isDemo: workspace.meta.isDemo,
            reportingCurrency: reportingCurrency(workspace.store),
          },
        };
      },
    },
    overview: {
      /** Month-to-date, daily spend and top services in the reporting currency. */
      get(input: OverviewInput = {}): Overview {
        const parsed = OverviewInputSchema.parse(input);
        return computeOverview(ctx.workspace.store.sqlite, {
          asOf: today(ctx.clock),
          currency: reportingCurrency(ctx.workspace.store),
          groupBy: parsed.groupBy,
          metric: parsed.metric,
        });
      },
    },
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
      cancel: (id: string): Job => view(queue.cancel(id)),
      retry: (id: string): Job => view(queue.retry(id)),
      /** Starts a job type people may start; other types are refused. */
      start(type: string, payload: unknown): Job {
        const definition = registry.get(type);
        if (!definition?.userStartable) {
          throw new AppError('FORBIDDEN', `job type "${type}" cannot be started by hand`, {
            startable: registry
              .all()
              .filter((d) => d.userStartable)
              .map((d) => d.type),
          });
        }
        return view(queue.enqueue(type, payload ?? {}).job);
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
    alerts: {
      list: (input: { kind?: string; limit?: number } = {}): Alert[] =>
        listAlerts(ctx.workspace.store, input).map((a) => ({
          id: a.id,
          kind: a.kind,
          severity: a.severity,
          title: a.title,
          message: a.message,
          details: a.details,
          entityType: a.entityType,
          entityId: a.entityId,
          createdAt: a.createdAt,
          acknowledgedAt: a.acknowledgedAt,
        })),
    },
  };
}

export type Services = ReturnType<typeof createServices>;
