import { and, desc, eq, isNull } from 'drizzle-orm';
import { ulid } from 'ulid';
import type { AuditLog } from '../audit/audit-log';
import type { Store } from '../store/database';
import { alertTable } from '../store/schema';

export type AlertRow = typeof alertTable.$inferSelect;

export interface NewAlert {
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  message: string;
  details?: unknown;
  entityType?: string;
  entityId?: string;
}

/**
 * Records an alert unless an unacknowledged one of the same kind for the same entity exists (a stuck
 * job found on every check is one alert, not one a minute). Returns the alert and whether it is new.
 */
export function recordAlert(
  store: Store,
  alert: NewAlert,
  now: Date = new Date(),
  audit?: AuditLog,
): { alert: AlertRow; created: boolean } {
  return store.sqlite
    .transaction(() => {
      if (alert.entityId) {
        const open = store.db
          .select()
          .from(alertTable)
          .where(
            and(
              eq(alertTable.kind, alert.kind),
              eq(alertTable.entityId, alert.entityId),
              isNull(alertTable.acknowledgedAt),
            ),
          )
          .get();
        if (open) return { alert: open, created: false };
      }
      const iso = now.toISOString();
      const row = store.db
        .insert(alertTable)
        .values({
          id: ulid(now.getTime()),
          kind: alert.kind,
          severity: alert.severity,
          title: alert.title,
          message: alert.message,
          details: alert.details ?? {},
          entityType: alert.entityType ?? null,
          entityId: alert.entityId ?? null,
          createdAt: iso,
          updatedAt: iso,
        })
        .returning()
        .get();
      audit?.record({
        action: 'alert.raised',
        entityType: alert.entityType ?? 'alert',
        entityId: alert.entityId ?? row.id,
        details: {
          alertId: row.id,
          kind: alert.kind,
          severity: alert.severity,
          title: alert.title,
          message: alert.message,
        },
      });
      return { alert: row, created: true };
    })
    .immediate();
}

export function listAlerts(store: Store, options: { kind?: string; limit?: number } = {}): AlertRow[] {
  return store.db
    .select()
    .from(alertTable)
    .where(options.kind ? eq(alertTable.kind, options.kind) : undefined)
    .orderBy(desc(alertTable.createdAt), desc(alertTable.id))
    .limit(options.limit ?? 100)
    .all();
}
