import type { EventBus } from '../core/app/event-bus';
import { watchJobChanges, type JobSystem } from '../core/jobs/system';
import { toJobView } from '../core/jobs/view';
import { watchExternalChanges } from '../core/workspace/external-changes';
import type { Workspace } from '../core/workspace/workspace';

/** Pushes each audit event this process records, so the Audit log refreshes at once. */
export function publishAuditEvents(workspace: Workspace, events: EventBus): () => void {
  return workspace.audit.onAppend((record) =>
    events.emit('audit.appended', { seq: record.seq, action: record.action }),
  );
}

/**
 * Pushes what other processes changed in the workspace (a CLI import, say) so open screens refetch
 * instead of showing the data as it was until their next refetch.
 */
export function publishExternalChanges(workspace: Workspace, events: EventBus): () => void {
  return watchExternalChanges(workspace, (latest) => {
    events.emit('audit.appended', latest);
    events.emit('data.changed', { reason: `another process: ${latest.action}`, at: new Date().toISOString() });
  });
}

const DATA_CHANGING_JOB_TYPES = new Set(['costs.import']);

/** Pushes every job change (this process's runner, or another process's seen by polling) to the UI. */
export function publishJobChanges(jobs: JobSystem, events: EventBus): () => void {
  const unsubscribe = jobs.queue.onChange((row) => {
    events.emit('jobs.changed', { job: toJobView(row, jobs.registry) });
    // Screens showing costs refetch when a job that changes cost data has finished its work.
    if (row.status === 'succeeded' && DATA_CHANGING_JOB_TYPES.has(row.type)) {
      events.emit('data.changed', { reason: row.type, at: new Date().toISOString() });
    }
  });
  const stopWatching = watchJobChanges(jobs.queue);
  return () => {
    unsubscribe();
    stopWatching();
  };
}
