import { AppError } from '../../../shared/api/errors';

/** Whether the OS keychain answers; `problem` says why not, in its own words. */
export type KeychainStatus = { available: true; problem: null } | { available: false; problem: string };

/** Secrets live only in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service). */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Asks the keychain without reading or writing a secret. */
  status(): Promise<KeychainStatus>;
}

export const KEYCHAIN_SERVICE = 'Valdrix';

/** How to get a keychain, for people who have none; Settings and the CLI's errors show it. */
export const KEYCHAIN_HELP =
  'On Linux, install and unlock gnome-keyring, KWallet or another Secret Service provider, then start Valdrix again; macOS Keychain and Windows Credential Manager are always present.';

/** An account no one writes: deleting it asks the keychain whether it answers, and changes nothing. */
const PROBE_ACCOUNT = 'availability-probe';

/**
 * The OS keychain through @napi-rs/keyring. On Linux it is pinned to the Secret Service: the library
 * would otherwise fall back to the kernel keyring, which forgets everything at logout or reboot, and a
 * signing key kept there would be lost without a word.
 */
export function keychainSecretStore(service = KEYCHAIN_SERVICE): SecretStore {
  const entry = async (account: string) => {
    const keyring = await import('@napi-rs/keyring').catch((error: Error) => {
      throw new AppError('UNAVAILABLE', `the OS keychain module cannot load: ${error.message}`);
    });
    return new keyring.AsyncEntry(service, account, { linux: { store: 'secret-service' } });
  };
  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        'UNAVAILABLE',
        `the OS keychain is not available (${what}): ${(error as Error).message}. ${KEYCHAIN_HELP}`,
      );
    }
  };
  return {
    get: (account) => wrap('read', async () => (await entry(account)).getPassword()),
    set: (account, secret) => wrap('write', async () => (await entry(account)).setPassword(secret)),
    delete: (account) => wrap('delete', async () => (await entry(account)).deletePassword()),
    async status() {
      try {
        await (await entry(PROBE_ACCOUNT)).deletePassword();
        return { available: true, problem: null };
      } catch (error) {
        return { available: false, problem: (error as Error).message };
      }
    },
  };
}
