import { desc, eq } from 'drizzle-orm';
import { newUlid } from '../app';
import type { AuditLog } from '../audit';
import type { Store } from '../store';
import { alertTable } from '../store';

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
 * Records alerts, each unless an unacknowledged one of the same kind for the same entity exists (a stuck
 * job found on every check is one alert, not one a minute), with one audit event per new alert, in one
 * transaction. Statements are prepared once for the whole list: an import can raise tens of thousands.
 */
export function recordAlerts(
  store: Store,
  alerts: readonly NewAlert[],
  /** When they were raised: a stamp of the workspace clock (app/clock.ts). */
  now: Date,
  audit?: AuditLog,
): { id: string; created: boolean }[] {
  const findOpen = store.sqlite.prepare(
    'SELECT id FROM alert WHERE kind = ? AND entity_id = ? AND acknowledged_at IS NULL LIMIT 1',
  );
  const insert = store.sqlite.prepare(
    `INSERT INTO alert (id, version, updated_at, kind, severity, title, message, details, entity_type, entity_id, created_at)
     VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const iso = now.toISOString();
  return store.sqlite
    .transaction(() =>
      alerts.map((alert) => {
        if (alert.entityId) {
          const open = findOpen.get(alert.kind, alert.entityId) as { id: string } | undefined;
          if (open) return { id: open.id, created: false };
        }
        const id = newUlid(now.getTime());
        insert.run(
          id,
          iso,
          alert.kind,
          alert.severity,
          alert.title,
          alert.message,
          JSON.stringify(alert.details ?? {}),
          alert.entityType ?? null,
          alert.entityId ?? null,
          iso,
        );
        audit?.record({
          action: 'alert.raised',
          entityType: alert.entityType ?? 'alert',
          entityId: alert.entityId ?? id,
          details: {
            alertId: id,
            kind: alert.kind,
            severity: alert.severity,
            title: alert.title,
            message: alert.message,
          },
        });
        return { id, created: true };
      }),
    )
    .immediate();
}

/** Records one alert (see recordAlerts). Returns the alert and whether it is new. */
export function recordAlert(
  store: Store,
  alert: NewAlert,
  now: Date,
  audit?: AuditLog,
): { alert: AlertRow; created: boolean } {
  const [recorded] = recordAlerts(store, [alert], now, audit);
  const row = store.db.select().from(alertTable).where(eq(alertTable.id, recorded!.id)).get()!;
  return { alert: row, created: recorded!.created };
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
