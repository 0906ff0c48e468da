import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { auditQueryKeys } from '../features/audit/queries';
import { createJobChangeHandler } from '../features/jobs/cache';
import { subscribe } from '../lib/api';
import { useHostStatus } from './host-status';

/** Listens to push events from the core for as long as the shell is mounted. */
export function useEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const jobs = createJobChangeHandler(queryClient);
    const unsubscribe = subscribe((envelope) => {
      switch (envelope.event) {
        case 'data.changed':
          // Any screen may show the changed data; refetch whatever is on screen, except what reads files
          // rather than the workspace (the formats detected on the Import screen).
          void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'imports.detect' });
          break;
        case 'jobs.changed':
          // Progress is written into the caches; status changes refetch the job lists, throttled.
          jobs.onJobChanged(envelope.payload.job);
          break;
        case 'audit.appended':
          void queryClient.invalidateQueries({ queryKey: auditQueryKeys.lists });
          void queryClient.invalidateQueries({ queryKey: auditQueryKeys.status });
          void queryClient.invalidateQueries({ queryKey: auditQueryKeys.facets });
          break;
        case 'app.closing':
          useHostStatus.getState().setClosing(envelope.payload.at);
          break;
      }
    });
    return () => {
      unsubscribe();
      jobs.dispose();
    };
  }, [queryClient]);
}
