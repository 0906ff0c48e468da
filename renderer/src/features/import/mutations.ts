import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImportStartInput } from '../../../../shared/api/costs';
import { call } from '../../lib/api';
import { applyJobUpdate } from '../jobs/cache';
import { jobsQueryKeys } from '../jobs/queries';
import { prepareSources, sourceFromGrant } from './files';
import { importQueryKeys, invalidateCostData } from './queries';

/** Paths for picked or dropped files; in browser mode this uploads them to the workspace first. */
export function usePrepareSources() {
  return useMutation({
    mutationFn: ({ files, onProgress }: { files: File[]; onProgress?: (done: number, total: number) => void }) =>
      prepareSources(files, onProgress),
  });
}

/**
 * Browser mode: lets the core read a path the user typed and then confirmed (the core reads nothing
 * else but uploads; the grant is audited). Resolves with the source to add, by its real path.
 */
export function useGrantPath() {
  return useMutation({
    mutationFn: async (path: string) => sourceFromGrant(await call('imports.grantPath', { path })),
  });
}

/** Starts the import job (all or nothing); resolves with the queued job to follow. */
export function useStartImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ImportStartInput) => call('imports.start', input),
    onSuccess: (job) => {
      // Seed the job so its progress shows before the first refetch, as the Jobs screen does.
      queryClient.setQueryData(jobsQueryKeys.get(job.id), { job, attempts: [] });
      applyJobUpdate(queryClient, job);
      void queryClient.invalidateQueries({ queryKey: importQueryKeys.runs });
    },
  });
}

/** Publishes a held import (audited); every screen showing costs reads them again. */
export function useAcceptHeldImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => call('imports.accept', { runId }),
    onSuccess: () => invalidateCostData(queryClient),
  });
}

/** Discards a held import (audited); nothing it read is published. */
export function useDiscardHeldImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => call('imports.discard', { runId }),
    onSuccess: () => invalidateCostData(queryClient),
  });
}
