import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelOutput } from '../../../../shared/api/contract';
import { call } from '../../lib/api';
import { localDayEnd, localDayStart, type AuditFilters } from './screen-state';

export type AuditListInput = Omit<ChannelInput<'audit.list'>, 'beforeSeq' | 'limit'>;
export type AuditPage = ChannelOutput<'audit.list'>;
export type AuditStatus = ChannelOutput<'audit.status'>;

export const auditQueryKeys = {
  /** Every event list, for invalidation. */
  lists: ['audit.list'] as const,
  list: (input: AuditListInput) => ['audit.list', input] as const,
  status: ['audit.status'] as const,
  facets: ['audit.facets'] as const,
};

/**
 * Events per request at most; "Load more" asks for the next page. A page also stops at 4 MiB, so it may
 * hold fewer (the core then says where the next one starts).
 */
export const AUDIT_PAGE_SIZE = 100;

/** The chain is re-verified this often while the screen is open. */
export const AUDIT_STATUS_REFRESH_MS = 30_000;

/** The filters as the API takes them: empty controls are left out, local days become UTC instants. */
export function auditListInput(filters: AuditFilters): AuditListInput {
  const input: AuditListInput = {};
  const from = localDayStart(filters.from);
  const to = localDayEnd(filters.to);
  if (from) input.from = from;
  if (to) input.to = to;
  if (filters.actor) input.actor = filters.actor;
  if (filters.action) input.action = filters.action;
  if (filters.entityType) input.entityType = filters.entityType;
  return input;
}

/** Matching events, newest first, a page at a time; keeps the previous answer on screen while filters change. */
export function useAuditEvents(input: AuditListInput) {
  return useInfiniteQuery({
    queryKey: auditQueryKeys.list(input),
    queryFn: ({ pageParam }) => call('audit.list', { ...input, beforeSeq: pageParam, limit: AUDIT_PAGE_SIZE }),
    initialPageParam: undefined as number | undefined,
    // Paging by sequence number is stable while new events arrive: they only ever get higher numbers.
    getNextPageParam: (last) => (last.hasMore ? (last.nextBeforeSeq ?? undefined) : undefined),
    placeholderData: keepPreviousData,
  });
}

/**
 * The chain check, re-run every 30 s. When it reports a new last event, the event lists and facets are
 * refetched too: jobs, schedules and the command line record events without a push to this window.
 */
export function useAuditStatus() {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: auditQueryKeys.status,
    queryFn: async () => {
      const previous = queryClient.getQueryData<AuditStatus>(auditQueryKeys.status);
      const status = await call('audit.status', {});
      if (previous && previous.lastSeq !== status.lastSeq) {
        void queryClient.invalidateQueries({ queryKey: auditQueryKeys.lists });
        void queryClient.invalidateQueries({ queryKey: auditQueryKeys.facets });
      }
      return status;
    },
    refetchInterval: AUDIT_STATUS_REFRESH_MS,
    staleTime: 0,
  });
}

/** The actions, actors and entity types present in the log, for the filter menus. */
export function useAuditFacets() {
  return useQuery({
    queryKey: auditQueryKeys.facets,
    queryFn: () => call('audit.facets', {}),
  });
}
