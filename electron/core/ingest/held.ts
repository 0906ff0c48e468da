/**
 * Held imports: runs whose lines are written but not published because the replacement guard stopped
 * them (replace-guard.ts). People accept one (it publishes exactly as the import would have) or discard
 * it; a newer import of the same snapshot discards it (publish.ts), so a held run never blocks later ones.
 */
import { AppError } from '../../../shared/api/errors';
import { parseExact } from '../../../shared/exact';
import type { AuditLog } from '../audit';
import type { Store } from '../store';
import type { ImportResult } from './import';
import { collectGarbage, publishRun, type PendingScope, type PublishOutcome, type SourceMove } from '../ledger';

/** What a held run stores to be published later. */
export interface PendingRun {
  scopes: PendingScope[];
  /** Lines of snapshots the store had no snapshot of, and of snapshots the run left as they were. */
  newLines: number;
  unchangedLines: number;
  /** The restatement alert thresholds the import was started with (decimal text). */
  thresholdPct: string;
  minAmount: string;
}

/** How many cell alerts a result lists (import.ts MAX_ALERTS_LISTED). */
const ALERTS_LISTED = 1000;

/** The import's result once published, from its result before publishing and what publishing found. */
export function publishedResult(
  base: ImportResult,
  pending: PendingRun,
  outcome: Extract<PublishOutcome, { status: 'published' }>,
): ImportResult {
  const { counts } = outcome;
  const result: ImportResult = {
    ...base,
    inserted: pending.newLines + counts.added,
    updated: counts.changed,
    unchanged: pending.unchangedLines + counts.unchanged,
    removed: counts.removed,
    restated: counts.added + counts.changed + counts.removed,
    alerts: outcome.cells.slice(0, ALERTS_LISTED),
    alertCount: outcome.cells.length,
    alertId: outcome.alertId,
    status: 'published',
  };
  delete result.held;
  return result;
}

/** The import's result while held: what publishing would add, change and remove, and why it waits. */
export function heldResult(
  base: ImportResult,
  pending: PendingRun,
  outcome: Extract<PublishOutcome, { status: 'held' }>,
): ImportResult {
  const { counts } = outcome;
  return {
    ...base,
    inserted: pending.newLines + counts.added,
    updated: counts.changed,
    unchanged: pending.unchangedLines + counts.unchanged,
    removed: counts.removed,
    restated: 0,
    alerts: [],
    alertCount: 0,
    status: 'held',
    held: { reasons: outcome.reasons, preview: outcome.preview },
  };
}

/** The details of a `costs.imported` (or accepted) audit event: counts, totals and what changed. */
export function importedDetails(result: ImportResult) {
  return {
    source: result.source,
    files: result.files,
    rowsRead: result.rowsRead,
    inserted: result.inserted,
    updated: result.updated,
    unchanged: result.unchanged,
    removed: result.removed,
    restated: result.restated,
    skipped: result.skippedCount,
    alerts: result.alertCount,
    alertId: result.alertId ?? null,
    totals: result.totals,
    snapshots: result.snapshots.filter((s) => s.status !== 'unchanged'),
  };
}

/** Writes a held run (in the publishing transaction) and its audit event. */
export function recordHeld(
  store: Store,
  audit: AuditLog,
  held: { result: ImportResult; pending: PendingRun; stored: Record<string, unknown>; finishedAt: string },
): void {
  const { result } = held;
  store.sqlite
    .prepare(`UPDATE import_run SET status = 'held', finished_at = ?, rows_read = ?, summary = ? WHERE id = ?`)
    .run(
      held.finishedAt,
      result.rowsRead,
      JSON.stringify({ ...result, ...held.stored, pending: held.pending }),
      result.runId,
    );
  audit.record({
    action: 'costs.import_held',
    entityType: 'import_run',
    entityId: result.runId,
    runId: result.runId,
    details: {
      ...importedDetails(result),
      reasons: result.held!.reasons,
      preview: { snapshots: result.held!.preview.snapshots, totals: result.held!.preview.totals },
      fileHashes: held.stored.fileHashes ?? null,
    },
  });
}

interface HeldRow {
  id: string;
  sourceId: string;
  source: string;
  status: string;
  summary: ImportResult & { pending?: PendingRun; moves?: SourceMove[] };
}

function heldRun(store: Store, runId: string): HeldRow {
  const row = store.sqlite
    .prepare(
      `SELECT r.id, r.source_id AS sourceId, s.name AS source, r.status, r.summary FROM import_run r
       JOIN cost_source s ON s.id = r.source_id WHERE r.id = ? AND r.kind = 'import'`,
    )
    .get(runId) as (Omit<HeldRow, 'summary'> & { summary: string }) | undefined;
  if (!row) throw new AppError('NOT_FOUND', `no import run ${runId}`, { runId });
  const summary = JSON.parse(row.summary) as HeldRow['summary'];
  if (row.status !== 'held' || !summary.pending) {
    const why =
      row.status === 'discarded'
        ? 'it was discarded (or a newer import of the same data replaced it)'
        : row.status === 'succeeded'
          ? 'it is already published'
          : `its status is ${row.status}`;
    throw new AppError('CONFLICT', `import run ${runId} is not waiting for confirmation: ${why}`, {
      runId,
      status: row.status,
    });
  }
  return { ...row, summary };
}

export interface HeldDeps {
  store: Store;
  audit: AuditLog;
  now: () => Date;
}

/**
 * Publishes a held run as it was imported (restatements, the run's alert, the cube), audited as
 * `costs.import_accepted` by whoever runs it. CONFLICT when its snapshots changed since: import again.
 */
export function acceptHeldImport(deps: HeldDeps, runId: string): ImportResult {
  const now = deps.now;
  const run = heldRun(deps.store, runId);
  const pending = run.summary.pending!;
  const { pending: _pending, held, ...stored } = run.summary;
  const base: ImportResult = { ...stored, status: 'published' };
  let result = base;
  publishRun(
    { store: deps.store, audit: deps.audit, now },
    {
      runId,
      sourceId: run.sourceId,
      sourceName: run.source,
      scopes: pending.scopes,
      thresholdPct: parseExact(pending.thresholdPct),
      minAmount: parseExact(pending.minAmount),
      guard: null,
      moves: run.summary.moves ?? [],
    },
    (outcome, finishedAt) => {
      if (outcome.status !== 'published') throw new Error('a confirmed run cannot be held');
      result = publishedResult(base, pending, outcome);
      deps.store.sqlite
        .prepare(`UPDATE import_run SET status = 'succeeded', finished_at = ?, summary = ? WHERE id = ?`)
        .run(
          finishedAt,
          JSON.stringify({ ...stored, ...result, accepted: { at: finishedAt, reasons: held?.reasons } }),
          runId,
        );
      deps.audit.record({
        action: 'costs.import_accepted',
        entityType: 'import_run',
        entityId: runId,
        runId,
        details: { ...importedDetails(result), reasons: held?.reasons ?? [] },
      });
    },
  );
  return result;
}

/** Discards a held run: nothing is published, its lines are collected; audited as `costs.import_discarded`. */
export function discardHeldImport(deps: HeldDeps, runId: string): { runId: string; status: 'discarded' } {
  const now = deps.now;
  const { sqlite } = deps.store;
  sqlite
    .transaction(() => {
      const run = heldRun(deps.store, runId);
      const at = now().toISOString();
      sqlite
        .prepare(
          `UPDATE import_run SET status = 'discarded', summary = json_set(summary, '$.discarded', json(?)) WHERE id = ?`,
        )
        .run(JSON.stringify({ at, by: 'user' }), runId);
      deps.audit.record({
        action: 'costs.import_discarded',
        entityType: 'import_run',
        entityId: runId,
        runId,
        details: { source: run.source, reason: 'user', reasons: run.summary.held?.reasons ?? [] },
      });
    })
    .immediate();
  collectGarbage(sqlite);
  return { runId, status: 'discarded' };
}

/** Held runs, newest first, with their results (reasons and preview) for the Import screen. */
export function listHeldImports(store: Store): ImportResult[] {
  const rows = store.sqlite
    .prepare(
      `SELECT json_remove(summary, '$.pending', '$.snapshotDigests', '$.fileHashes', '$.fingerprint', '$.fileScopes', '$.moves') AS summary
       FROM import_run WHERE status = 'held' AND kind = 'import' ORDER BY id DESC`,
    )
    .all() as { summary: string }[];
  return rows.map((row) => JSON.parse(row.summary) as ImportResult);
}
