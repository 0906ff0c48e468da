/** The app capability's service and handler: what is running, in which mode, on which workspace and clock. */
import type { AppInfo, appChannels } from '../../../shared/api/app';
import type { HandlersOf } from '../../../shared/api/contract';
import type { CoreContext } from '../context';
import { appVersion, today } from '../app';
import { reportingCurrency } from './workspace';

export function createAppServices(ctx: CoreContext) {
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
  };
}

export type AppServices = ReturnType<typeof createAppServices>;

export function appHandlers(services: AppServices): HandlersOf<typeof appChannels> {
  return { 'app.info': () => services.app.info() };
}
