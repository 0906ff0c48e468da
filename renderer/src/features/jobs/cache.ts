import type { QueryClient } from '@tanstack/react-query';
import type { Job } from '../../../../shared/api/jobs';
import { jobsQueryKeys, type JobDetail, type JobsList, type JobsListInput } from './queries';

/** At most this often a burst of job events refetches the lists (about four times a second). */
export const JOB_REFETCH_THROTTLE_MS = 250;

const isNewer = (incoming: Job, cached: Job) => incoming.updatedAt >= cached.updatedAt;

/**
 * Puts a changed job into the cached answers that already show it. Returns true when that is not enough:
 * the job moved between statuses or is new to a list, so the lists and counts must be fetched again.
 */
export function mergeJobIntoCaches(
  queryClient: QueryClient,
  job: Job,
): { refetchLists: boolean; refetchDetail: boolean } {
  let refetchLists = false;
  for (const [key, data] of queryClient.getQueriesData<JobsList>({ queryKey: jobsQueryKeys.lists })) {
    if (!data) continue;
    const input = (key[1] ?? {}) as JobsListInput;
    const index = data.jobs.findIndex((j) => j.id === job.id);
    const cached = index === -1 ? undefined : data.jobs[index];
    if (!cached) {
      // A job this list would show but does not have yet (just started, or retried into it).
      if (!input.statuses || input.statuses.includes(job.status)) refetchLists = true;
      continue;
    }
    if (!isNewer(job, cached)) continue;
    if (cached.status !== job.status) refetchLists = true;
    const jobs = data.jobs.slice();
    jobs[index] = job;
    queryClient.setQueryData<JobsList>(key, { ...data, jobs });
  }

  let refetchDetail = false;
  const detail = queryClient.getQueryData<JobDetail>(jobsQueryKeys.get(job.id));
  if (detail && isNewer(job, detail.job)) {
    // A new status means a new or finished attempt: the attempts table must be read again.
    refetchDetail = detail.job.status !== job.status || detail.job.attempts !== job.attempts;
    queryClient.setQueryData<JobDetail>(jobsQueryKeys.get(job.id), { ...detail, job });
  }
  return { refetchLists, refetchDetail };
}

/**
 * Handles `jobs.changed` pushes: progress is written straight into the caches (no request), while status
 * changes refetch the affected queries, throttled so a burst of events costs at most a few requests.
 */
export function createJobChangeHandler(queryClient: QueryClient, throttleMs = JOB_REFETCH_THROTTLE_MS) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastFlush = 0;
  let lists = false;
  const details = new Set<string>();

  const flush = () => {
    timer = null;
    lastFlush = Date.now();
    if (lists) void queryClient.invalidateQueries({ queryKey: jobsQueryKeys.lists });
    for (const id of details) void queryClient.invalidateQueries({ queryKey: jobsQueryKeys.get(id) });
    lists = false;
    details.clear();
  };

  return {
    onJobChanged(job: Job) {
      const { refetchLists, refetchDetail } = mergeJobIntoCaches(queryClient, job);
      if (refetchLists) lists = true;
      if (refetchDetail) details.add(job.id);
      if ((lists || details.size > 0) && timer === null) {
        timer = setTimeout(flush, Math.max(0, lastFlush + throttleMs - Date.now()));
      }
    },
    dispose() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/** After the user acted on a job: show its new state at once, then refetch what depends on it. */
export function applyJobUpdate(queryClient: QueryClient, job: Job): void {
  mergeJobIntoCaches(queryClient, job);
  void queryClient.invalidateQueries({ queryKey: jobsQueryKeys.lists });
  void queryClient.invalidateQueries({ queryKey: jobsQueryKeys.get(job.id) });
}
