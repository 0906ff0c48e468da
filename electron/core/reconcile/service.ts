/** The reconciliation capability's services and handlers: sources of record. */
import type { HandlersOf } from '../../../shared/api/contract';
import type { reconcileChannels, SourceOfRecord } from '../../../shared/api/reconcile';
import type { CoreContext, CoreKit } from '../context';
import { chooseSourceOfRecord, listRecords } from '../ledger';

export function createReconcileServices(ctx: CoreContext, kit: CoreKit) {
  const { store, audit } = ctx.workspace;
  return {
    sources: {
      list: (): SourceOfRecord[] => listRecords(store.sqlite),
      setRecord: (input: { billingAccountId: string; billingPeriod: string; source: string }) =>
        kit.atomically(() => chooseSourceOfRecord({ store, audit, now: () => kit.stamp() }, input)),
    },
  };
}

export type ReconcileServices = ReturnType<typeof createReconcileServices>;

export function reconcileHandlers(services: ReconcileServices): HandlersOf<typeof reconcileChannels> {
  return {
    'sources.list': () => services.sources.list(),
    'sources.setRecord': (input) => services.sources.setRecord(input),
  };
}
