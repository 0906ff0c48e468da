import type { AppInfo, Overview, OverviewInput } from '../../shared/api/contract';
import { OverviewInputSchema } from '../../shared/api/contract';
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
  mode: 'electron' | 'browser';
}

/** The core's services over one open workspace; every host (Electron, browser bridge, CLI, tests) builds these. */
export function createServices(ctx: CoreContext) {
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
  };
}

export type Services = ReturnType<typeof createServices>;
