import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/api/contract';
import { call } from '../../lib/api';
import { settingsQueryKeys } from './queries';

/** Saves the import size limits (the core checks and audits the change). */
export function useUpdateImportLimits() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'settings.updateImportLimits'>) => call('settings.updateImportLimits', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: settingsQueryKeys.get }),
  });
}

/** Saves the restatement alert thresholds (the core audits the change). */
export function useUpdateImportAlerts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'settings.updateImportAlerts'>) => call('settings.updateImportAlerts', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: settingsQueryKeys.get }),
  });
}
