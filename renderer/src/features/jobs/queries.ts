import { useQuery } from '@tanstack/react-query';
import type { ChannelInput, ChannelOutput } from '../../../../shared/api/contract';
import { call } from '../../lib/api';
import { ACTIVE_STATUSES, FINISHED_STATUSES, hasActiveJobs, isActiveStatus } from './status';

export type JobsListInput = ChannelInput<'jobs.list'>;
export type JobsList = ChannelOutput<'jobs.list'>;
export type JobDetail = ChannelOutput<'jobs.get'>;

export const jobsQueryKeys = {
  /** Every jobs query, for invalidation. */
  lists: ['jobs.list'] as const,
  list: (input: JobsListInput) => ['jobs.list', input] as const,
  details: ['jobs.get'] as const,
  get: (id: string) => ['jobs.get', { id }] as const,
  types: ['jobs.types'] as const,
};

/** Push events keep jobs current; polling is only the fallback while something is still moving. */
export const JOBS_POLL_MS = 2000;

/** What the Active section lists: the Shell's activity indicator shares this query. */
export const ACTIVE_JOBS_INPUT: JobsListInput = { statuses: [...ACTIVE_STATUSES], limit: 100 };
export const HISTORY_JOBS_INPUT: JobsListInput = { statuses: [...FINISHED_STATUSES], limit: 50 };

/** Jobs (newest first) with counts by status; polls every 2 s while any job is queued, running or retrying. */
export function useJobs(input: JobsListInput = {}) {
  return useQuery({
    queryKey: jobsQueryKeys.list(input),
    queryFn: () => call('jobs.list', input),
    refetchInterval: (query) => (hasActiveJobs(query.state.data?.counts) ? JOBS_POLL_MS : false),
    staleTime: 5_000,
  });
}

/** One job with its attempts; null id means nothing is selected. Polls while the job is still active. */
export function useJob(id: string | null) {
  return useQuery({
    queryKey: jobsQueryKeys.get(id ?? ''),
    queryFn: () => call('jobs.get', { id: id ?? '' }),
    enabled: id !== null,
    refetchInterval: (query) => {
      const job = query.state.data?.job;
      return job && isActiveStatus(job.status) ? JOBS_POLL_MS : false;
    },
    staleTime: 5_000,
  });
}

/** The declared job types; they only change with the app version. */
export function useJobTypes() {
  return useQuery({
    queryKey: jobsQueryKeys.types,
    queryFn: () => call('jobs.types', {}),
    staleTime: Infinity,
  });
}
