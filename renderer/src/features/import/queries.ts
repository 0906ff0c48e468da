import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { z } from 'zod';
import {
  ImportResultSchema,
  ImportStartInputSchema,
  StoredImportResultSchema,
  type ImportResult,
} from '../../../../shared/api/costs';
import { AppErrorDataSchema } from '../../../../shared/api/errors';
import type { Job } from '../../../../shared/api/jobs';
import { call } from '../../lib/api';
import { costsQueryKeys } from '../costs/queries';
import { useJob } from '../jobs/queries';
import { overviewQueryKeys } from '../overview/queries';
import type { FormatChoice } from './format';

export const importQueryKeys = {
  detect: (paths: readonly string[], format: FormatChoice) => ['imports.detect', { paths, format }] as const,
  runs: ['imports.list'] as const,
  runsList: (limit: number) => ['imports.list', { limit }] as const,
  held: ['imports.held'] as const,
};

/** Imports the replacement guard holds until someone accepts or discards them. */
export function useHeldImports() {
  return useQuery({ queryKey: importQueryKeys.held, queryFn: () => call('imports.held', {}) });
}

/** Each file's detected format (or why it cannot be read), before importing; re-asked when the format is forced. */
export function useDetectedFiles(paths: readonly string[], format: FormatChoice) {
  return useQuery({
    queryKey: importQueryKeys.detect(paths, format),
    queryFn: () => call('imports.detect', { paths: [...paths], format }),
    enabled: paths.length > 0,
    staleTime: 0,
  });
}

/** Recent import runs, newest first, with their summaries. */
export function useImportRuns(limit = 20) {
  return useQuery({
    queryKey: importQueryKeys.runsList(limit),
    queryFn: () => call('imports.list', { limit }),
  });
}

/** Everything an import can change: costs, lines, restatements, alerts, the run list and the Overview. */
export function invalidateCostData(queryClient: QueryClient): void {
  for (const queryKey of [
    costsQueryKeys.queries,
    costsQueryKeys.lines,
    ['restatements.list'],
    ['alerts.list'],
    importQueryKeys.runs,
    importQueryKeys.held,
    overviewQueryKeys.all,
  ]) {
    void queryClient.invalidateQueries({ queryKey });
  }
}

/**
 * The import job started from this screen, followed through the jobs cache (push events and polling).
 * When it finishes, the screens showing costs read them again (the core also pushes data.changed on success;
 * a failed or cancelled run still changes the run list).
 */
export function useImportJob(id: string | null) {
  const query = useJob(id);
  const queryClient = useQueryClient();
  const status = query.data?.job.status;
  useEffect(() => {
    if (status === 'succeeded' || status === 'dead' || status === 'cancelled') invalidateCostData(queryClient);
  }, [status, queryClient]);
  return query;
}

/** The job's result as the contract describes it; null (with the reason) when it does not match. */
export function parseImportResult(job: Job): { result: ImportResult } | { problem: string } {
  const parsed = StoredImportResultSchema.safeParse(job.result);
  return parsed.success ? { result: parsed.data } : { problem: z.prettifyError(parsed.error) };
}

/** The options the job was started with (to tell whether bad rows were skipped). */
export function importJobOptions(job: Job) {
  const parsed = ImportStartInputSchema.safeParse(job.payload);
  return parsed.success ? parsed.data : null;
}

const RunSummarySchema = z.object({
  files: z.array(z.object({ path: z.string() })).catch([]),
  restated: z.number().int().catch(0),
  skippedCount: z.number().int().catch(0),
  // Runs stored before totals were per currency hold { billed, currency, byCurrency }: read their byCurrency.
  totals: z
    .preprocess(
      (value) =>
        value !== null && typeof value === 'object' && 'byCurrency' in value
          ? (value as { byCurrency: unknown }).byCurrency
          : value,
      ImportResultSchema.shape.totals,
    )
    .catch([]),
  error: AppErrorDataSchema.nullable().catch(null),
});

/** The parts of a run's stored summary the list shows; missing or odd fields read as empty. */
export function runSummary(summary: Record<string, unknown>) {
  return RunSummarySchema.parse({
    files: summary.files,
    restated: summary.restated,
    skippedCount: summary.skippedCount,
    totals: summary.totals ?? [],
    error: summary.error ?? null,
  });
}
