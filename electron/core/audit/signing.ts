import crypto from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type { SecretStore } from '../secrets';
import type { Store } from '../store';
import { setWorkspaceMeta } from '../store';

export interface SigningKey {
  privateKey: crypto.KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

const META_KEY = 'audit_public_key';

export function keychainAccount(workspaceId: string): string {
  return `audit-signing-key:${workspaceId}`;
}

/** SHA-256 of the public key's DER (SPKI) bytes, hex: what an auditor compares with Settings. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = crypto.createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex');
}

export function storedPublicKey(store: Store): string | null {
  const row = store.sqlite.prepare('SELECT value FROM workspace_meta WHERE key = ?').get(META_KEY) as
    { value: string } | undefined;
  return row?.value ?? null;
}

/**
 * The workspace's Ed25519 audit signing key. The private half lives only in the OS keychain; the
 * public half is kept in the workspace (and shown in Settings). Created on first use.
 */
export async function signingKey(store: Store, workspaceId: string, secrets: SecretStore): Promise<SigningKey> {
  const account = keychainAccount(workspaceId);
  const saved = await secrets.get(account);
  const knownPublic = storedPublicKey(store);
  if (saved) {
    const privateKey = crypto.createPrivateKey({ key: Buffer.from(saved, 'base64'), format: 'der', type: 'pkcs8' });
    const publicKeyPem = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    if (knownPublic && knownPublic !== publicKeyPem) {
      throw new AppError(
        'AUTH',
        'the audit signing key in the keychain does not match the public key this workspace published',
      );
    }
    if (!knownPublic) setWorkspaceMeta(store, META_KEY, publicKeyPem);
    return { privateKey, publicKeyPem, fingerprint: publicKeyFingerprint(publicKeyPem) };
  }
  if (knownPublic) {
    throw new AppError(
      'AUTH',
      `this workspace's audit signing key is missing from the OS keychain (account "${account}"): exports signed earlier still verify with the published public key, but new exports cannot be signed with it`,
    );
  }
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  await secrets.set(account, der.toString('base64'));
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  setWorkspaceMeta(store, META_KEY, publicKeyPem);
  return { privateKey, publicKeyPem, fingerprint: publicKeyFingerprint(publicKeyPem) };
}
