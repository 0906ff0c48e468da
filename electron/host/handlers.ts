import { alertsHandlers } from '../core/alerts';
import { appHandlers } from '../core/workspace';
import { auditHandlers } from '../core/audit';
import { costsHandlers } from '../core/costs';
import { importsHandlers } from '../core/ingest';
import { jobsHandlers } from '../core/jobs';
import { reconcileHandlers } from '../core/reconcile';
import { restatementsHandlers } from '../core/restatements';
import type { Services } from '../core/services';
import { settingsHandlers } from '../core/settings';
import type { Handlers } from './registry';

/** Maps every contract channel to a core service call: the composition of each capability's handlers. */
export function createHandlers(services: Services): Handlers {
  return {
    ...appHandlers(services),
    ...costsHandlers(services),
    ...jobsHandlers(services),
    ...auditHandlers(services),
    ...settingsHandlers(services),
    ...importsHandlers(services),
    ...restatementsHandlers(services),
    ...alertsHandlers(services),
    ...reconcileHandlers(services),
  };
}
