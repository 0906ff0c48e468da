import type { AuditLog, ChainCheck } from './audit-log';

/**
 * Verifies the whole chain and records the check in the trail, where the app's chain status continues
 * from it: the scheduled integrity job and `valdrix audit check` both go through here.
 */
export function checkWholeChain(audit: AuditLog, runId?: string): ChainCheck {
  const check = audit.verifyChain();
  audit.record({
    action: 'audit.integrity_checked',
    entityType: 'audit_trail',
    ...(runId ? { runId } : {}),
    details: check,
  });
  return check;
}
