import { z } from 'zod';

/**
 * The audit record and its canonical form. Canonical JSON: object keys sorted by code point at every
 * level, no insignificant whitespace, strings escaped as JSON.stringify does (UTF-8, non-ASCII kept),
 * integers only (money travels as decimal strings). It equals Python's
 * json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=False) for such values.
 */

/** prevHash of the first record: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

export const AuditRecordSchema = z.strictObject({
  seq: z.number().int().positive(),
  ts: z.iso.datetime(),
  actor: z.strictObject({ os: z.string(), user: z.string().nullable() }),
  action: z.string().min(1),
  entityType: z.string().min(1),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  details: z.unknown(),
  runId: z.string().nullable(),
  appVersion: z.string(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** Canonical JSON of any JSON value (see the module comment). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/** The bytes hashed for a record: its previous hash, a newline, and its canonical JSON without `hash`. */
export function hashInput(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...rest } = record;
  return `${record.prevHash}\n${canonicalJson(rest)}`;
}

/** The columns of the CSV export, in order. JSON-valued columns hold canonical JSON; an empty cell is null. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'ts',
  'actor_os',
  'actor_user',
  'action',
  'entity_type',
  'entity_id',
  'before',
  'after',
  'details',
  'run_id',
  'app_version',
  'prev_hash',
  'hash',
] as const;
