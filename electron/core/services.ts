/**
 * The core's services over one open workspace, as the composition of each capability's slice; every
 * host (Electron, browser bridge, CLI, tests) builds these. A new capability adds one line here, one in
 * electron/host/handlers.ts and its contract slice in shared/api/contract.ts.
 */
import { createAlertServices } from './alerts';
import { createAuditServices } from './audit';
import { coreKit, type CoreContext } from './context';
import { createCostsServices } from './costs';
import { createImportServices } from './ingest';
import { createJobServices } from './jobs';
import { createReconcileServices } from './reconcile';
import { createRestatementServices } from './restatements';
import { createSettingsServices } from './settings';
import { createAppServices } from './workspace';

export type { CoreContext } from './context';

export function createServices(ctx: CoreContext) {
  const kit = coreKit(ctx);
  return {
    ...createAppServices(ctx),
    ...createCostsServices(ctx, kit),
    ...createJobServices(ctx, kit),
    ...createAuditServices(ctx, kit),
    ...createSettingsServices(ctx, kit),
    ...createImportServices(ctx, kit),
    ...createRestatementServices(ctx),
    ...createAlertServices(ctx),
    ...createReconcileServices(ctx, kit),
  };
}

export type Services = ReturnType<typeof createServices>;
