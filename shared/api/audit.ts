/** The audit capability's contract slice: the trail, its chain status, facets, exports, the keychain. */
import { z } from 'zod';
import { AuditRecordSchema } from '../audit';
import { IsoDaySchema, NoInputSchema } from './schemas';

const DayOrTimestamp = z.union([IsoDaySchema, z.iso.datetime()]);

export const AuditListInputSchema = z.strictObject({
  from: DayOrTimestamp.optional(),
  to: DayOrTimestamp.optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  entityType: z.string().max(200).optional(),
  entityId: z.string().max(200).optional(),
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

const ChainStatusSchema = z.object({
  ok: z.boolean(),
  count: z.number().int(),
  lastSeq: z.number().int().nullable(),
  lastHash: z.string(),
  firstBad: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  checkedAt: z.iso.datetime(),
});

export const auditChannels = {
  /**
   * Audit events, newest first, filtered, a page at a time (at most `limit` and 4 MiB of JSON; a value too
   * large for a page is replaced by a marker with its size). `total` counts every match; when `hasMore`,
   * `nextBeforeSeq` is the `beforeSeq` of the next page.
   */
  'audit.list': {
    input: AuditListInputSchema,
    output: z.object({
      events: z.array(AuditRecordSchema),
      total: z.number().int(),
      hasMore: z.boolean(),
      nextBeforeSeq: z.number().int().nullable(),
    }),
  },
  /** Re-verifies the hash chain now. */
  'audit.status': { input: NoInputSchema, output: ChainStatusSchema },
  /** Values for the audit filters. */
  'audit.facets': {
    input: NoInputSchema,
    output: z.object({ actions: z.array(z.string()), actors: z.array(z.string()), entityTypes: z.array(z.string()) }),
  },
  /**
   * Exports events to the workspace's exports folder with a signed manifest, or with `unsigned` an
   * unsigned one (no keychain needed; verifiable by its hash chain only). Without a keychain and without
   * `unsigned` it fails with UNAVAILABLE.
   */
  'audit.export': {
    input: z.strictObject({
      format: z.enum(['jsonl', 'csv']).default('jsonl'),
      from: DayOrTimestamp.optional(),
      to: DayOrTimestamp.optional(),
      unsigned: z.boolean().default(false),
    }),
    output: z.object({
      file: z.string(),
      manifestFile: z.string(),
      count: z.number().int(),
      lastHash: z.string().nullable(),
      fileSha256: z.string(),
      signed: z.boolean(),
      /** Null for an unsigned export. */
      publicKeyFingerprint: z.string().nullable(),
    }),
  },
  /** Whether the OS keychain that keeps the audit signing key answers, and how to get one if not. */
  'audit.keychain': {
    input: NoInputSchema,
    output: z.object({ available: z.boolean(), problem: z.string().nullable(), help: z.string() }),
  },
} as const;
