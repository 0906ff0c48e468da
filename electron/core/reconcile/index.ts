/**
 * Reconciliation: which source a billing account and period is counted from (its source of record),
 * and, as issue 17 continues, finality, comparison, invoice tie-out, the restatement bridge and close.
 */
export { createReconcileServices, reconcileHandlers, type ReconcileServices } from './service';
