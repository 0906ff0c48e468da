import { expect } from 'vitest';
import { exportAudit, type AuditLog, type ExportOptions } from '../../electron/core/audit';
import type { Workspace } from '../../electron/core/workspace';
import type { AuditRecord } from '../../shared/audit';

/**
 * Runs `action` and asserts that it appended exactly the expected audit events (in order, matched
 * on the given fields) and that the chain still verifies. Use it for every new user action or data change.
 */
export async function expectAudited(
  audit: AuditLog,
  expected: Partial<Pick<AuditRecord, 'action' | 'entityType' | 'entityId' | 'runId' | 'before' | 'after'>>[],
  action: () => unknown,
): Promise<AuditRecord[]> {
  const before = audit.head()?.seq ?? 0;
  await action();
  const added = audit
    .list({ limit: 1000 })
    .filter((e) => e.seq > before)
    .reverse();
  expect(added.map((e) => e.action)).toEqual(expected.map((e) => e.action));
  added.forEach((event, i) => expect(event).toMatchObject(expected[i]!));
  expect(audit.verifyChain()).toMatchObject({ ok: true, firstBad: null });
  return added;
}

/** Exports a workspace's audit trail as the app does, stamped by the workspace's clock. */
export function exportWorkspaceAudit(
  ws: Workspace,
  options: Omit<ExportOptions, 'store' | 'audit' | 'now' | 'workspaceId'>,
): ReturnType<typeof exportAudit> {
  return exportAudit({
    store: ws.store,
    audit: ws.audit,
    now: () => ws.clock.stamp(),
    workspaceId: ws.meta.id,
    ...options,
  });
}
