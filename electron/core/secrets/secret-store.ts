import { AppError } from '../../../shared/api/errors';

/** Secrets live only in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service). */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'Valdrix';

/** The OS keychain through @napi-rs/keyring's keytar-compatible API (keytar itself is archived). */
export function keychainSecretStore(service = KEYCHAIN_SERVICE): SecretStore {
  const load = async () => {
    try {
      return await import('@napi-rs/keyring/keytar');
    } catch (error) {
      throw new AppError('UNAVAILABLE', `the OS keychain module cannot load: ${(error as Error).message}`);
    }
  };
  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        'UNAVAILABLE',
        `the OS keychain is not available (${what}): ${(error as Error).message}. On Linux a Secret Service (gnome-keyring or KWallet) must be running and unlocked.`,
      );
    }
  };
  return {
    get: (account) => wrap('read', async () => (await load()).getPassword(service, account)),
    set: (account, secret) => wrap('write', async () => (await load()).setPassword(service, account, secret)),
    delete: (account) => wrap('delete', async () => (await load()).deletePassword(service, account)),
  };
}
