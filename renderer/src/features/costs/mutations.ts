import { useMutation } from '@tanstack/react-query';
import type { CostQueryInput } from '../../../../shared/api/costs';
import { call } from '../../lib/api';
import { downloadTextFile } from './download';

/** Asks the core for the question as CSV (exact amounts; the export is audited) and downloads it. */
export function useExportCostsCsv() {
  return useMutation({
    mutationFn: (input: CostQueryInput) => call('costs.exportCsv', input),
    onSuccess: ({ fileName, csv }) => downloadTextFile(fileName, csv),
  });
}
