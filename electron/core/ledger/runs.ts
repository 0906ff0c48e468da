/**
 * A run's life in the store: begun (numbered, invisible to readers), then published (ledger/publish.ts),
 * failed or cancelled, or found abandoned when the process that wrote it is gone.
 */
import { monotonicFactory, ulid } from 'ulid';
import { AppError } from '../../../shared/api/errors';
import type { AuditLog } from '../audit';
import type { Logger } from '../log';
import type { Store } from '../store';
import { NEXT_RUN_SEQ } from '../store';
import { importerAlive, releaseClaims } from './claims';
import { collectGarbage } from './garbage';

export interface LedgerDeps {
  store: Store;
  audit: AuditLog;
  now: () => Date;
  logger?: Logger;
}

// Monotonic: run ids sort in creation order even when the business clock is frozen (--as-of).
const nextRunId = monotonicFactory();

/** The source named `name`, created (as an import source) when it does not exist yet. */
export function ensureSource(store: Store, name: string, nowIso: string): { id: string } {
  const found = store.sqlite.prepare('SELECT id FROM cost_source WHERE name = ?').get(name) as
    { id: string } | undefined;
  if (found) return found;
  const id = ulid();
  store.sqlite
    .prepare(
      `INSERT INTO cost_source (id, version, updated_at, name, kind, created_at) VALUES (?, 1, ?, ?, 'import', ?)`,
    )
    .run(id, nowIso, name, nowIso);
  return { id };
}

/** What a run records when it begins; `summary` is the writer's own (files, process, job). */
export interface RunStart {
  sourceId: string;
  kind: 'import' | 'demo';
  summary?: Record<string, unknown>;
}

export interface RunRecord {
  id: string;
  /** The run's number: lines and daily rollup rows name their run by it. */
  seq: number;
  sourceId: string;
  startedAt: string;
}

/** Records a new run, numbered after every run before it; its lines stay invisible until it publishes. */
export function beginRun(deps: Pick<LedgerDeps, 'store' | 'now'>, start: RunStart): RunRecord {
  const id = nextRunId(deps.now().getTime());
  const startedAt = deps.now().toISOString();
  const { seq } = deps.store.sqlite
    .prepare(
      `INSERT INTO import_run (id, seq, source_id, kind, status, started_at, rows_read, summary)
       VALUES (@id, ${NEXT_RUN_SEQ}, @sourceId, @kind, 'running', @startedAt, 0, @summary) RETURNING seq`,
    )
    .get({
      id,
      sourceId: start.sourceId,
      kind: start.kind,
      startedAt,
      summary: JSON.stringify(start.summary ?? {}),
    }) as { seq: bigint };
  return { id, seq: Number(seq), sourceId: start.sourceId, startedAt };
}

/** Marks a run succeeded with its summary; call in the transaction that publishes it. */
export function recordRunSucceeded(
  store: Store,
  runId: string,
  record: { finishedAt: string; rowsRead: number; summary: Record<string, unknown> },
): void {
  store.sqlite
    .prepare(`UPDATE import_run SET status = 'succeeded', finished_at = ?, rows_read = ?, summary = ? WHERE id = ?`)
    .run(record.finishedAt, record.rowsRead, JSON.stringify(record.summary), runId);
}

/**
 * Ends a run that will not publish: 'cancelled' for a CANCELLED error, 'failed' otherwise, with the
 * error in its summary and an audit event carrying `details`; its claims are released and its lines
 * collected (a failing clean-up is only logged: the next writer retries it).
 */
export function failRun(
  deps: LedgerDeps,
  run: Pick<RunRecord, 'id'>,
  error: unknown,
  details: Record<string, unknown>,
  chunk?: number,
): void {
  const { sqlite } = deps.store;
  const cancelled = error instanceof AppError && error.code === 'CANCELLED';
  const data = error instanceof AppError ? error.toData() : { code: 'INTERNAL', message: (error as Error).message };
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `UPDATE import_run SET status = ?, finished_at = ?, summary = json_set(summary, '$.error', json(?)) WHERE id = ?`,
      )
      .run(cancelled ? 'cancelled' : 'failed', deps.now().toISOString(), JSON.stringify(data), run.id);
    releaseClaims(deps.store, run.id);
    deps.audit.record({
      action: cancelled ? 'costs.import_cancelled' : 'costs.import_failed',
      entityType: 'import_run',
      entityId: run.id,
      runId: run.id,
      details: { ...details, error: data },
    });
  })();
  try {
    collectGarbage(sqlite, [], chunk);
  } catch (cleanupError) {
    deps.logger?.warn(
      { err: cleanupError, runId: run.id },
      'import clean-up failed; it will be retried by the next import',
    );
  }
}

/**
 * Runs left 'running' by a process that no longer exists (killed mid-import) are marked failed, so
 * their invisible lines can be collected, and the abandonment is recorded in the audit trail: the run,
 * its files, when it started and when it was found. Runs of live processes are left alone.
 */
export function abandonOrphanedRuns(store: Store, audit: AuditLog, now: () => Date): number {
  const running = store.sqlite
    .prepare(
      `SELECT r.id, s.name AS source, r.started_at AS startedAt, json_extract(r.summary, '$.pid') AS pid,
         json_extract(r.summary, '$.host') AS host, json_extract(r.summary, '$.jobId') AS jobId,
         json_extract(r.summary, '$.files') AS files
       FROM import_run r JOIN cost_source s ON s.id = r.source_id WHERE r.status = 'running' AND r.kind = 'import'`,
    )
    .all() as {
    id: string;
    source: string;
    startedAt: string;
    pid: bigint | null;
    host: string | null;
    jobId: string | null;
    files: string | null;
  }[];
  let abandoned = 0;
  for (const run of running) {
    if (importerAlive(run)) continue;
    const foundAt = now().toISOString();
    const error = { code: 'INTERNAL', message: 'the importing process stopped before finishing' };
    store.sqlite
      .transaction(() => {
        const { changes } = store.sqlite
          .prepare(
            `UPDATE import_run SET status = 'failed', finished_at = ?, summary = json_set(summary, '$.error', json(?))
             WHERE id = ? AND status = 'running'`,
          )
          .run(foundAt, JSON.stringify(error), run.id);
        // Another process may have found it first.
        if (!changes) return;
        releaseClaims(store, run.id);
        audit.record({
          action: 'costs.import_abandoned',
          entityType: 'import_run',
          entityId: run.id,
          runId: run.id,
          details: {
            source: run.source,
            files: run.files ? (JSON.parse(run.files) as unknown) : [],
            startedAt: run.startedAt,
            process: { pid: run.pid === null ? null : Number(run.pid), host: run.host },
            jobId: run.jobId,
            foundAt,
            error,
          },
        });
        abandoned++;
      })
      .immediate();
  }
  return abandoned;
}
