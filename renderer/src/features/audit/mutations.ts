import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/api/contract';
import { call } from '../../lib/api';
import { settingsQueryKeys } from '../settings/queries';
import { auditQueryKeys } from './queries';

export type AuditExportInput = ChannelInput<'audit.export'>;

/**
 * Exports events with a signed manifest into the workspace's exports folder. The export is itself recorded
 * (a new event), and the first one creates the signing key that Settings shows.
 */
export function useExportAudit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AuditExportInput) => call('audit.export', input),
    onSettled: () => {
      // Even a failed export may have created the key or recorded something: read both again.
      void queryClient.invalidateQueries({ queryKey: auditQueryKeys.status });
      void queryClient.invalidateQueries({ queryKey: auditQueryKeys.lists });
      void queryClient.invalidateQueries({ queryKey: auditQueryKeys.facets });
      void queryClient.invalidateQueries({ queryKey: settingsQueryKeys.get });
    },
  });
}
