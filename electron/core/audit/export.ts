import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import { AUDIT_CSV_COLUMNS, canonicalJson } from '../../../shared/audit';
import { appVersion } from '../app';
import { KEYCHAIN_HELP, type SecretStore } from '../secrets';
import type { Store } from '../store';
import type { AuditLog } from './audit-log';
import { signingKey, type SigningKey } from './signing';
import { PieceBuffer, StoredEvents } from './stored';

export const AuditFormatSchema = z.enum(['jsonl', 'csv']);
export type AuditFormat = z.infer<typeof AuditFormatSchema>;

const ManifestFields = {
  manifestVersion: z.literal(1),
  format: AuditFormatSchema,
  file: z.string(),
  count: z.number().int().nonnegative(),
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  /** prevHash of the first exported record: the anchor for a range that does not start at the genesis. */
  firstPrevHash: z.string().nullable(),
  firstHash: z.string().nullable(),
  lastHash: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  exportedAt: z.iso.datetime(),
  appVersion: z.string(),
  workspaceId: z.string(),
  fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
};

export const SignedManifestSchema = z.strictObject({
  ...ManifestFields,
  signatureAlgorithm: z.literal('Ed25519'),
  publicKey: z.string(),
  publicKeyFingerprint: z.string(),
  /** Base64 Ed25519 signature over the canonical JSON of this manifest without `signature`. */
  signature: z.string(),
});

/** What an unsigned manifest says about itself, so that no one takes it for a signed one. */
export const UNSIGNED_NOTE =
  'UNSIGNED export (--unsigned): no signature proves which workspace wrote it. `valdrix audit verify` checks its hash chain and file SHA-256 only.';

/** Made with --unsigned (or "Export unsigned"), for machines without an OS keychain. */
export const UnsignedManifestSchema = z.strictObject({
  ...ManifestFields,
  signatureAlgorithm: z.literal('none'),
  publicKey: z.null(),
  publicKeyFingerprint: z.null(),
  signature: z.null(),
  note: z.string(),
});

export const AuditManifestSchema = z.discriminatedUnion('signatureAlgorithm', [
  SignedManifestSchema,
  UnsignedManifestSchema,
]);
export type AuditManifest = z.infer<typeof AuditManifestSchema>;
export type SignedManifest = z.infer<typeof SignedManifestSchema>;

export function manifestPath(file: string): string {
  return `${file}.manifest.json`;
}

export interface ExportOptions {
  store: Store;
  audit: AuditLog;
  secrets: SecretStore;
  workspaceId: string;
  out: string;
  format?: AuditFormat;
  from?: string;
  to?: string;
  /**
   * No signature: for machines without an OS keychain. The keychain is then never touched, and the
   * manifest and the audit event say the export is unsigned.
   */
  unsigned?: boolean;
  /** The manifest's exportedAt: a stamp of the workspace clock (app/clock.ts). */
  now: () => Date;
  /**
   * Runs the write that records the export. The app passes one that waits for another process's write
   * without blocking its thread (store/nonblocking.ts); by default it runs at once.
   */
  write?: <T>(fn: () => T) => T | Promise<T>;
}

/**
 * Writes the audit events (optionally a date range) to `out` in JSONL or CSV, plus `out.manifest.json`
 * signed with the workspace's Ed25519 key, or marked unsigned when asked. The export itself is then
 * recorded as an event.
 */
export async function exportAudit(
  options: ExportOptions,
): Promise<{ file: string; manifestFile: string; manifest: AuditManifest }> {
  const format = options.format ?? 'jsonl';
  const file = path.resolve(options.out);
  if (!fs.existsSync(path.dirname(file)))
    throw new AppError('NOT_FOUND', `folder ${path.dirname(file)} does not exist`);
  // Before anything is written: an export that cannot be signed fails with nothing left behind.
  const key = options.unsigned ? null : await keyOrExplain(options);

  // Written as it is read, in chunks: each event's line is put together from its stored text (stored.ts)
  // and the file's SHA-256 taken on the way, so memory stays bounded whatever the trail holds.
  const hash = crypto.createHash('sha256');
  const temp = `${file}.partial-${process.pid}`;
  const fd = fs.openSync(temp, 'w');
  let count = 0;
  type End = { seq: number; prevHash: string | null; hash: string | null };
  let first: End | null = null;
  let last: End | null = null;
  let written = false;
  try {
    const out = new PieceBuffer((chunk) => {
      hash.update(chunk);
      writeAll(fd, chunk);
    }, 1024 * 1024);
    const write = (piece: Buffer | string) => out.write(piece);
    if (format === 'csv') write(`${AUDIT_CSV_COLUMNS.join(',')}\n`);
    const { reader, events } = options.audit.stored({ from: options.from, to: options.to });
    for (const event of events) {
      if (format === 'csv') reader.csvRow(event, write);
      else reader.canonical(event, true, write);
      write('\n');
      last = {
        seq: event.seq,
        prevHash: StoredEvents.text(event.values.prev_hash),
        hash: StoredEvents.text(event.values.hash),
      };
      first ??= last;
      count++;
    }
    out.flush();
    fs.fsyncSync(fd);
    written = true;
  } finally {
    fs.closeSync(fd);
    if (!written) fs.rmSync(temp, { force: true });
  }
  fs.renameSync(temp, file);

  const fields = {
    manifestVersion: 1 as const,
    format,
    file: path.basename(file),
    count,
    firstSeq: first?.seq ?? null,
    lastSeq: last?.seq ?? null,
    firstPrevHash: first?.prevHash ?? null,
    firstHash: first?.hash ?? null,
    lastHash: last?.hash ?? null,
    from: options.from ?? null,
    to: options.to ?? null,
    exportedAt: options.now().toISOString(),
    appVersion: appVersion(),
    workspaceId: options.workspaceId,
    fileSha256: hash.digest('hex'),
  };
  let manifest: AuditManifest;
  if (key) {
    const toSign: Omit<SignedManifest, 'signature'> = {
      ...fields,
      signatureAlgorithm: 'Ed25519',
      publicKey: key.publicKeyPem,
      publicKeyFingerprint: key.fingerprint,
    };
    const signature = crypto.sign(null, Buffer.from(canonicalJson(toSign), 'utf8'), key.privateKey).toString('base64');
    manifest = { ...toSign, signature };
  } else {
    manifest = {
      ...fields,
      signatureAlgorithm: 'none',
      publicKey: null,
      publicKeyFingerprint: null,
      signature: null,
      note: UNSIGNED_NOTE,
    };
  }
  const manifestFile = manifestPath(file);
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

  const write = options.write ?? (<T>(fn: () => T) => fn());
  await write(() =>
    options.audit.record({
      action: 'audit.exported',
      entityType: 'audit_export',
      entityId: path.basename(file),
      details: {
        format,
        count,
        firstSeq: manifest.firstSeq,
        lastSeq: manifest.lastSeq,
        from: manifest.from,
        to: manifest.to,
        fileSha256: manifest.fileSha256,
        signed: key !== null,
        publicKeyFingerprint: manifest.publicKeyFingerprint,
      },
    }),
  );
  return { file, manifestFile, manifest };
}

/**
 * The signing key, or an error that says what to do: without a keychain there is no key, and the way
 * out is an unsigned export.
 */
async function keyOrExplain(options: ExportOptions): Promise<SigningKey> {
  const unsignedHint =
    'Or export without a signature: `valdrix audit export --unsigned`, or tick "Export unsigned" in the app.';
  const status = await options.secrets.status();
  if (!status.available) {
    throw new AppError(
      'UNAVAILABLE',
      `No OS keychain is available (${status.problem}), so the export cannot be signed. ${KEYCHAIN_HELP} ${unsignedHint}`,
    );
  }
  try {
    return await signingKey(options.store, options.workspaceId, options.secrets);
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAVAILABLE')
      throw new AppError('UNAVAILABLE', `${error.message} ${unsignedHint}`, error.details);
    throw error;
  }
}

function writeAll(fd: number, chunk: Buffer): void {
  for (let written = 0; written < chunk.length;) written += fs.writeSync(fd, chunk, written);
}
