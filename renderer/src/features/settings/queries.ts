import { useQuery } from '@tanstack/react-query';
import { call } from '../../lib/api';

export const settingsQueryKeys = {
  get: ['settings.get'] as const,
};

/** Workspace settings and the audit public key (null until the first audit export creates it). */
export function useSettings() {
  return useQuery({
    queryKey: settingsQueryKeys.get,
    queryFn: () => call('settings.get', {}),
  });
}
