/**
 * Which running import holds each snapshot scope (source, billing account, billing period). Two imports
 * of the same data at once (the app and the CLI, or two windows) used to wait on each other's write
 * lock until one failed with "database is locked"; now the second is told at once who holds the data.
 */
import os from 'node:os';
import { AppError } from '../../../shared/api/errors';
import { excerpt } from '../../../shared/text';
import type { Store } from '../store';

export interface ScopeClaim {
  runId: string;
  sourceId: string;
  billingAccountId: string;
  billingPeriod: string;
}

interface Holder {
  runId: string;
  status: string;
  startedAt: string;
  pid: bigint | null;
  host: string | null;
}

/**
 * Takes a scope for a run, or throws CONFLICT naming the running import that holds it. A claim left by
 * a finished run or a process that no longer exists is taken over. Idempotent for the run's own claims.
 */
export function claimScope(store: Store, claim: ScopeClaim, nowIso: string): void {
  const { sqlite } = store;
  sqlite
    .transaction(() => {
      const holder = sqlite
        .prepare(
          `SELECT c.import_run_id AS runId, r.status, r.started_at AS startedAt,
             json_extract(r.summary, '$.pid') AS pid, json_extract(r.summary, '$.host') AS host
           FROM import_claim c JOIN import_run r ON r.id = c.import_run_id
           WHERE c.source_id = ? AND c.billing_account_id = ? AND c.billing_period = ?`,
        )
        .get(claim.sourceId, claim.billingAccountId, claim.billingPeriod) as Holder | undefined;
      if (holder && holder.runId !== claim.runId && holder.status === 'running' && importerAlive(holder)) {
        throw new AppError(
          'CONFLICT',
          `another import of account ${excerpt(claim.billingAccountId, 80)}, ${claim.billingPeriod} is running since ${readableTime(holder.startedAt)} (run ${holder.runId}${holder.pid === null ? '' : `, process ${holder.pid} on ${holder.host ?? 'an unknown host'}`}); try again when it finishes`,
          {
            billingAccountId: claim.billingAccountId,
            billingPeriod: claim.billingPeriod,
            heldBy: {
              runId: holder.runId,
              startedAt: holder.startedAt,
              pid: holder.pid === null ? null : Number(holder.pid),
              host: holder.host,
            },
          },
        );
      }
      sqlite
        .prepare(
          `INSERT INTO import_claim (source_id, billing_account_id, billing_period, import_run_id, claimed_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (source_id, billing_account_id, billing_period)
           DO UPDATE SET import_run_id = excluded.import_run_id, claimed_at = excluded.claimed_at
           WHERE import_run_id <> excluded.import_run_id`,
        )
        .run(claim.sourceId, claim.billingAccountId, claim.billingPeriod, claim.runId, nowIso);
    })
    .immediate();
}

/** Gives up a run's claims: in the transaction that publishes it, fails it or finds it abandoned. */
export function releaseClaims(store: Store, runId: string): void {
  store.sqlite.prepare('DELETE FROM import_claim WHERE import_run_id = ?').run(runId);
}

/**
 * Whether the process that runs an import still exists. A workspace is used on one machine at a time
 * (SQLite's WAL does not work across machines), so a run of another host was left behind when the
 * folder was copied: not alive.
 */
export function importerAlive(run: { pid: bigint | number | null; host: string | null }): boolean {
  return run.host === os.hostname() && run.pid !== null && processAlive(Number(run.pid));
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "2026-12-06 10:41 UTC" from an ISO timestamp. */
function readableTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}
