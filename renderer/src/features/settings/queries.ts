import { useQuery } from '@tanstack/react-query';
import { call } from '../../lib/api';

export const settingsQueryKeys = {
  get: ['settings.get'] as const,
  keychain: ['audit.keychain'] as const,
};

/** Workspace settings and the audit public key (null until the first audit export creates it). */
export function useSettings() {
  return useQuery({
    queryKey: settingsQueryKeys.get,
    queryFn: () => call('settings.get', {}),
  });
}

/** Whether the OS keychain answers (signed audit exports need it), and how to get one if it does not. */
export function useKeychain() {
  return useQuery({
    queryKey: settingsQueryKeys.keychain,
    queryFn: () => call('audit.keychain', {}),
  });
}
