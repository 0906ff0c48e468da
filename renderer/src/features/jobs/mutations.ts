import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call } from '../../lib/api';
import { applyJobUpdate } from './cache';
import { jobsQueryKeys } from './queries';

/** The demo job people can start from the Jobs screen: 40 steps of a quarter second of CPU work. */
export const DEMO_JOB = { type: 'demo.long', payload: { steps: 40, stepMs: 250 } } as const;

/** Starts a user-startable job type; resolves with the queued job. */
export function useStartJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { type: string; payload?: unknown }) => call('jobs.start', input),
    onSuccess: (job) => {
      // Seed the job so its progress shows before the first refetch; attempts arrive with that refetch.
      queryClient.setQueryData(jobsQueryKeys.get(job.id), { job, attempts: [] });
      applyJobUpdate(queryClient, job);
    },
  });
}

/** Cancels a waiting job at once, or asks a running one to stop. */
export function useCancelJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('jobs.cancel', { id }),
    onSuccess: (job) => applyJobUpdate(queryClient, job),
  });
}

/** Runs a failed, dead or cancelled job again. */
export function useRetryJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('jobs.retry', { id }),
    onSuccess: (job) => applyJobUpdate(queryClient, job),
  });
}
