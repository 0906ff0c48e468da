import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ChannelInput, ChannelOutput } from '../../../../shared/api/contract';
import type { CostQueryInput } from '../../../../shared/api/costs';
import { call } from '../../lib/api';

export type CostAnswer = ChannelOutput<'costs.query'>;
export type CostRow = CostAnswer['rows'][number];
export type CostLinesInput = Omit<ChannelInput<'costs.lines'>, 'limit' | 'offset'>;
export type CostLinesPage = ChannelOutput<'costs.lines'>;
export type CostLine = CostLinesPage['lines'][number];

export const costsQueryKeys = {
  /** Every cost answer, for invalidation after an import. */
  queries: ['costs.query'] as const,
  query: (input: CostQueryInput) => ['costs.query', input] as const,
  lines: ['costs.lines'] as const,
  linesFor: (input: CostLinesInput) => ['costs.lines', input] as const,
};

/** The exact answer to a cost question; keeps the previous answer on screen while the question changes. */
export function useCosts(input: CostQueryInput | null) {
  return useQuery({
    queryKey: costsQueryKeys.query(input ?? { by: [] }),
    queryFn: () => call('costs.query', input ?? { by: [] }),
    enabled: input !== null,
    placeholderData: keepPreviousData,
  });
}

/** Lines per request in the drill-down; "Load more" asks for the next page. */
export const LINES_PAGE_SIZE = 100;

/** The cost lines behind a cell (or given line ids), with their lineage, a page at a time. */
export function useCostLines(input: CostLinesInput | null) {
  return useInfiniteQuery({
    queryKey: costsQueryKeys.linesFor(input ?? {}),
    queryFn: ({ pageParam }) => call('costs.lines', { ...input, limit: LINES_PAGE_SIZE, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => (last.hasMore ? pages.length * LINES_PAGE_SIZE : undefined),
    enabled: input !== null,
  });
}
