import type { Store } from '../store/database';

export interface LatestAuditEvent {
  seq: number;
  action: string;
}

/**
 * Calls `onChange` when another process (a CLI import, another job runner) changed the workspace file:
 * PRAGMA data_version moves only on other connections' commits, and every change to data records an
 * audit event, so a newer event after such a commit means data changed (an import still writing its
 * invisible batches does not count until it publishes). Polls every `intervalMs`; returns a stop function.
 */
export function watchExternalChanges(
  store: Store,
  onChange: (latest: LatestAuditEvent) => void,
  intervalMs = 1_000,
): () => void {
  const tail = store.sqlite.prepare('SELECT seq, action FROM audit_event ORDER BY seq DESC LIMIT 1');
  const dataVersion = () => Number(store.sqlite.pragma('data_version', { simple: true }));
  const latestSeq = () => {
    const row = tail.get() as { seq: bigint; action: string } | undefined;
    return row ? { seq: Number(row.seq), action: row.action } : null;
  };
  let version = dataVersion();
  let seen = latestSeq()?.seq ?? 0;
  const timer = setInterval(() => {
    if (!store.sqlite.open) return stop();
    const current = dataVersion();
    if (current === version) return;
    version = current;
    const latest = latestSeq();
    if (!latest || latest.seq <= seen) return;
    seen = latest.seq;
    onChange(latest);
  }, intervalMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  return stop;
}
