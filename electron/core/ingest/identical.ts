/**
 * A re-import of an unchanged export: the same bytes, options and source as an earlier import whose
 * snapshots are all still as it left them. The answer is known from the file hashes, without reading
 * the files again.
 */
import { recordRunSucceeded } from '../ledger';
import type { ImportRun } from './import-run';
import type { ImportResult } from './types';

/** The earlier import's answer for this run, or null when the files must be read. */
export function identicalImport(ctx: ImportRun): ImportResult | null {
  if (ctx.fileHashes === null) return null;
  const { files, report, fileHashes } = ctx;
  const { store, audit, now } = ctx.deps;
  const { sqlite } = store;
  const source = ctx.source;
  const sourceName = source.name;
  const runId = ctx.run.id;
  const fingerprint = ctx.fingerprintOf(fileHashes);
  const previous = sqlite
    .prepare(
      `SELECT id, summary FROM import_run WHERE source_id = ? AND kind = 'import' AND status = 'succeeded'
         AND json_extract(summary, '$.fingerprint') = ? ORDER BY id DESC LIMIT 1`,
    )
    .get(source.id, fingerprint) as { id: string; summary: string } | undefined;
  if (!previous) return null;
  const earlier = JSON.parse(previous.summary) as ImportResult & {
    snapshotDigests?: { billingAccountId: string; billingPeriod: string; digest: string }[];
  };
  const digests = earlier.snapshotDigests;
  if (!digests || earlier.files.length !== files.length) return null;
  const current = sqlite.prepare(
    'SELECT digest FROM cost_snapshot WHERE source_id = ? AND billing_account_id = ? AND billing_period = ?',
  );
  for (const snapshot of digests) {
    const row = current.get(source.id, snapshot.billingAccountId, snapshot.billingPeriod) as
      { digest: string } | undefined;
    if (row?.digest !== snapshot.digest) return null;
  }
  const finishedAt = now().toISOString();
  const result: ImportResult = {
    ...earlier,
    runId,
    source: sourceName,
    files: earlier.files.map((file, index) => ({ ...file, path: files[index]! })),
    inserted: 0,
    updated: 0,
    unchanged: earlier.snapshots.reduce((sum, snapshot) => sum + snapshot.lines, 0),
    removed: 0,
    restated: 0,
    snapshots: earlier.snapshots.map((snapshot) => ({ ...snapshot, status: 'unchanged' as const })),
    alerts: [],
    alertCount: 0,
  };
  for (const key of ['snapshotDigests', 'fileScopes', 'fingerprint', 'fileHashes', 'pid', 'host', 'jobId'] as const) {
    delete (result as unknown as Record<string, unknown>)[key];
  }
  report('publishing', '', result.rowsRead, 0, 0);
  sqlite
    .transaction(() => {
      recordRunSucceeded(store, runId, {
        finishedAt,
        rowsRead: result.rowsRead,
        summary: {
          ...result,
          fingerprint,
          fileHashes,
          snapshotDigests: digests,
          fileScopes: (earlier as { fileScopes?: unknown }).fileScopes,
          identicalTo: previous.id,
        },
      });
      audit.record({
        action: 'costs.imported',
        entityType: 'import_run',
        entityId: runId,
        runId,
        details: {
          source: sourceName,
          files: result.files,
          rowsRead: result.rowsRead,
          inserted: 0,
          updated: 0,
          unchanged: result.unchanged,
          removed: 0,
          restated: 0,
          skipped: result.skippedCount,
          alerts: 0,
          totals: result.totals,
          snapshots: [],
          fileHashes,
          identicalTo: previous.id,
        },
      });
    })
    .immediate();
  return result;
}
