/** The audit capability's job: the trail's integrity check, in a worker thread every six hours. */
import { z } from 'zod';
import { recordAlert } from '../alerts';
import type { JobRegistry } from '../jobs';
import { AuditLog } from './audit-log';
import { checkWholeChain } from './check';

export const AUDIT_SCHEDULES = [
  { name: 'audit-integrity-check', type: 'audit.verify-chain', spec: { everyMinutes: 360 } },
] as const;

export function defineAuditJobs(registry: JobRegistry): JobRegistry {
  return registry.define({
    type: 'audit.verify-chain',
    title: 'Audit trail integrity check',
    payloadSchema: z.strictObject({}),
    // Reading the whole trail and its writes stay off the thread that answers the UI.
    thread: 'worker',
    concurrency: 1,
    maxAttempts: 3,
    run(ctx) {
      const store = ctx.store();
      const audit = new AuditLog(store, () => new Date(ctx.now()));
      const check = checkWholeChain(audit, ctx.jobId);
      if (!check.ok && check.firstBad) {
        recordAlert(
          store,
          {
            kind: 'audit.chain_broken',
            severity: 'critical',
            title: 'The audit trail failed its integrity check',
            message: `Event ${check.firstBad.seq}: ${check.firstBad.reason}. Events may have been altered outside Valdrix.`,
            details: check,
            entityType: 'audit_event',
            entityId: String(check.firstBad.seq),
          },
          new Date(ctx.now()),
          audit,
        );
      }
      return check;
    },
  });
}
