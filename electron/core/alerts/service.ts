/** The alerts capability's service and handler. */
import type { alertsChannels } from '../../../shared/api/alerts';
import type { HandlersOf } from '../../../shared/api/contract';
import type { Alert } from '../../../shared/api/jobs';
import type { CoreContext } from '../context';
import { listAlerts } from './alerts';

export function createAlertServices(ctx: CoreContext) {
  return {
    alerts: {
      list: (input: { kind?: string; limit?: number } = {}): Alert[] =>
        listAlerts(ctx.workspace.store, input).map((a) => ({
          id: a.id,
          version: a.version,
          updatedAt: a.updatedAt,
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

export type AlertServices = ReturnType<typeof createAlertServices>;

export function alertsHandlers(services: AlertServices): HandlersOf<typeof alertsChannels> {
  return { 'alerts.list': (input) => services.alerts.list(input) };
}
