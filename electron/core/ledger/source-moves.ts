/**
 * Moving a file's snapshots from one source to another (`import --replace-source`): the other source's
 * snapshots are retracted in the transaction that publishes the new ones, so no reader ever sees the
 * month twice, or not at all.
 */
import { AppError } from '../../../shared/api/errors';
import type { AuditLog } from '../audit';
import type { Store } from '../store';
import { applyScopeToCube } from './rollups';

/** A snapshot of another source that holds a file being imported: retracted when the file moves. */
export interface SourceMove {
  /** The file's SHA-256 and the path it is imported from now. */
  sha256: string;
  file: string;
  fromSourceId: string;
  fromSource: string;
  /** The run the snapshot points at, checked again when the move is published. */
  runId: string;
  billingAccountId: string;
  billingPeriod: string;
}

/**
 * Retracts the other sources' snapshots in the publishing transaction (call it inside): each must still
 * be the one found before the import, or the import is refused like any other concurrent change.
 * One `costs.source_moved` event per file and source names both sources and the file's hash.
 */
export function retractMovedSnapshots(
  deps: { store: Store; audit: AuditLog },
  moves: readonly SourceMove[],
  to: { runId: string; sourceId: string; sourceName: string },
): void {
  const { sqlite } = deps.store;
  const current = sqlite.prepare(
    'SELECT import_run_id AS runId, counted FROM cost_snapshot WHERE source_id = ? AND billing_account_id = ? AND billing_period = ?',
  );
  const remove = sqlite.prepare(
    'DELETE FROM cost_snapshot WHERE source_id = ? AND billing_account_id = ? AND billing_period = ? AND import_run_id = ?',
  );
  const retracted = new Set<string>();
  for (const move of moves) {
    const key = JSON.stringify([move.fromSourceId, move.billingAccountId, move.billingPeriod]);
    if (retracted.has(key)) continue;
    const found = current.get(move.fromSourceId, move.billingAccountId, move.billingPeriod) as
      { runId: string; counted: bigint | number } | undefined;
    if (found?.runId !== move.runId) {
      throw new AppError(
        'CONFLICT',
        `${move.billingAccountId} ${move.billingPeriod} of source "${move.fromSource}": another import replaced this snapshot meanwhile; import again`,
        { file: `${move.billingAccountId} ${move.billingPeriod}` },
      );
    }
    const scope = {
      sourceId: move.fromSourceId,
      billingAccountId: move.billingAccountId,
      billingPeriod: move.billingPeriod,
    };
    // Only the source of record's snapshot is in the cube (records.ts); the caller settles the record.
    if (Number(found.counted) === 1) applyScopeToCube(sqlite, move.runId, scope, -1);
    remove.run(move.fromSourceId, move.billingAccountId, move.billingPeriod, move.runId);
    retracted.add(key);
  }
  const byFileAndSource = new Map<string, SourceMove[]>();
  for (const move of moves) {
    const key = `${move.sha256} ${move.fromSourceId}`;
    byFileAndSource.set(key, [...(byFileAndSource.get(key) ?? []), move]);
  }
  for (const group of byFileAndSource.values()) {
    const first = group[0]!;
    deps.audit.record({
      action: 'costs.source_moved',
      entityType: 'import_run',
      entityId: to.runId,
      runId: to.runId,
      details: {
        sha256: first.sha256,
        from: { source: first.fromSource, sourceId: first.fromSourceId },
        to: { source: to.sourceName, sourceId: to.sourceId },
        retracted: group.map((m) => ({
          runId: m.runId,
          billingAccountId: m.billingAccountId,
          billingPeriod: m.billingPeriod,
        })),
      },
    });
  }
}
