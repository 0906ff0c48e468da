import type { AuditLog } from '../audit';
import type { Store } from '../store';

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
  workspace: { store: Store; audit: AuditLog },
  onChange: (latest: LatestAuditEvent) => void,
  intervalMs = 1_000,
): () => void {
  const { store, audit } = workspace;
  const dataVersion = () => Number(store.sqlite.pragma('data_version', { simple: true }));
  let version = dataVersion();
  let seen = audit.head()?.seq ?? 0;
  // This process's own events are never news; without this, another process's first commit (an import
  // run row, which records no event) would report the newest event, which may be one of ours.
  const stopOwn = audit.onAppend((record) => (seen = Math.max(seen, record.seq)));
  const timer = setInterval(() => {
    if (!store.sqlite.open) return stop();
    const current = dataVersion();
    if (current === version) return;
    version = current;
    const latest = audit.head();
    if (!latest || latest.seq <= seen) return;
    seen = latest.seq;
    onChange({ seq: latest.seq, action: latest.action });
  }, intervalMs);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    stopOwn();
  };
  return stop;
}
