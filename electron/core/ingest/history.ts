/** Import history, restatements and the import settings (alert thresholds, size limits), for the CLI and the UI. */
import { ulid } from 'ulid';
import { AppError } from '../../../shared/api/errors';
import { NonNegativeDecimalSchema, PercentSchema } from '../../../shared/api/schemas';
import type { AuditLog } from '../audit';
import type { Store } from '../store';
import { DEFAULT_READ_LIMITS, sizeText, type ReadLimits } from './readers';

/** The guard's default share, in percent: more than this removed holds the import. */
export const DEFAULT_REPLACE_GUARD_PCT = '10';

export interface ImportSettings {
  alertThresholdPct: string;
  alertMinAmount: string;
  /** Percent of a snapshot's lines or cost an import may remove before it is held (replace-guard.ts). */
  replaceGuardPct: string;
}

export const DEFAULT_IMPORT_SETTINGS: ImportSettings = {
  alertThresholdPct: '2',
  // A minimum of 0 alerted on every rounding restatement ($0.000005 → $0.00): 200 cards for one import.
  alertMinAmount: '1.00',
  replaceGuardPct: DEFAULT_REPLACE_GUARD_PCT,
};
const SETTING_KEYS = {
  alertThresholdPct: 'import.alertThresholdPct',
  alertMinAmount: 'import.alertMinAmount',
  replaceGuardPct: 'import.replaceGuardPct',
} as const;

/**
 * Workspace settings over their defaults: `keys` maps each field to its setting key; a stored value
 * `accept` turns down (wrong type) leaves the default.
 */
function readSettings<T extends object>(
  store: Store,
  keys: { [K in keyof T]: string },
  defaults: T,
  accept: (value: unknown) => T[keyof T] | undefined,
): T {
  const fields = Object.keys(keys) as (keyof T)[];
  const rows = store.sqlite
    .prepare(`SELECT key, value FROM setting WHERE key IN (${fields.map(() => '?').join(', ')})`)
    .all(...fields.map((field) => keys[field])) as { key: string; value: string }[];
  const settings = { ...defaults };
  for (const row of rows) {
    const field = fields.find((name) => keys[name] === row.key);
    const value = accept(JSON.parse(row.value) as unknown);
    if (field !== undefined && value !== undefined) settings[field] = value;
  }
  return settings;
}

/** The restatement alert thresholds and the replacement guard: workspace settings over the defaults (2 %, 1.00, 10 %). */
export function importSettings(store: Store): ImportSettings {
  return readSettings<ImportSettings>(store, SETTING_KEYS, DEFAULT_IMPORT_SETTINGS, (value) =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : undefined,
  );
}

/**
 * Changes the restatement alert thresholds and the replacement guard. Each changed setting is written
 * with its audit event (before and after) in one transaction; values pass the contract's own schemas
 * (a non-negative decimal; the guard a percent from 0 to 100), so every path refuses the same values.
 */
export function updateImportSettings(
  store: Store,
  audit: AuditLog,
  patch: Partial<ImportSettings>,
  nowIso: string,
): ImportSettings {
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const schema = name === 'replaceGuardPct' ? PercentSchema : NonNegativeDecimalSchema;
    const checked = schema.safeParse(value);
    if (!checked.success) {
      const rule = checked.error.issues[0]!.message.replace(/^expected /, '');
      throw new AppError('VALIDATION', `${name} must be ${rule}, got "${value}"`, { field: name });
    }
  }
  return store.sqlite
    .transaction(() => {
      const before = importSettings(store);
      for (const name of Object.keys(SETTING_KEYS) as (keyof ImportSettings)[]) {
        const value = patch[name];
        if (value === undefined || value === before[name]) continue;
        const key = SETTING_KEYS[name];
        writeSetting(store, key, value, nowIso);
        audit.record({
          action: 'setting.changed',
          entityType: 'setting',
          entityId: key,
          before: before[name],
          after: value,
        });
      }
      return importSettings(store);
    })
    .immediate();
}

const LIMIT_KEYS = {
  maxRecordBytes: 'import.maxRecordBytes',
  maxFieldBytes: 'import.maxFieldBytes',
} as const;

/** How the limits are named to people. */
const LIMIT_NAMES = { maxRecordBytes: 'the longest row', maxFieldBytes: 'the longest cell' } as const;

/** Bounds a limit may be set to: a real export's row is a few KB; a GiB record is never one. */
export const IMPORT_LIMIT_RANGE = { min: 1024, max: 256 * 1024 * 1024 } as const;

/** How large a record and a field of an imported file may be: workspace settings over the defaults. */
export function importLimits(store: Store): ReadLimits {
  return readSettings<ReadLimits>(store, LIMIT_KEYS, DEFAULT_READ_LIMITS, (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined,
  );
}

/** Changes the import size limits; each change is audited with before and after, in one transaction. */
export function updateImportLimits(
  store: Store,
  audit: AuditLog,
  patch: Partial<ReadLimits>,
  nowIso: string,
): ReadLimits {
  return store.sqlite
    .transaction(() => {
      const before = importLimits(store);
      const after = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
      for (const name of Object.keys(LIMIT_KEYS) as (keyof ReadLimits)[]) {
        const value = after[name];
        if (!Number.isSafeInteger(value) || value < IMPORT_LIMIT_RANGE.min || value > IMPORT_LIMIT_RANGE.max) {
          throw new AppError(
            'VALIDATION',
            `${LIMIT_NAMES[name]} (${LIMIT_KEYS[name]}) must be from ${sizeText(IMPORT_LIMIT_RANGE.min)} to ${sizeText(IMPORT_LIMIT_RANGE.max)}, not ${Number.isFinite(value) ? sizeText(value) : String(value)}`,
            { field: name },
          );
        }
      }
      if (after.maxFieldBytes > after.maxRecordBytes) {
        throw new AppError(
          'VALIDATION',
          `the longest cell (${sizeText(after.maxFieldBytes)}) cannot be larger than the longest row (${sizeText(after.maxRecordBytes)}): a cell is part of a row`,
          { field: 'maxFieldBytes' },
        );
      }
      for (const name of Object.keys(LIMIT_KEYS) as (keyof ReadLimits)[]) {
        if (after[name] === before[name]) continue;
        writeSetting(store, LIMIT_KEYS[name], after[name], nowIso);
        audit.record({
          action: 'setting.changed',
          entityType: 'setting',
          entityId: LIMIT_KEYS[name],
          before: before[name],
          after: after[name],
        });
      }
      return importLimits(store);
    })
    .immediate();
}

function writeSetting(store: Store, key: string, value: unknown, nowIso: string): void {
  store.sqlite
    .prepare(
      `INSERT INTO setting (id, version, updated_at, key, value) VALUES (?, 1, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = version + 1, updated_at = excluded.updated_at`,
    )
    .run(ulid(), nowIso, key, JSON.stringify(value));
}

export interface ImportRunView {
  id: string;
  source: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  rowsRead: number;
  summary: Record<string, unknown>;
}

export function listImportRuns(store: Store, limit = 50): ImportRunView[] {
  const rows = store.sqlite
    .prepare(
      // Without the lists a summary may hold (alerts, skipped rows, digests): Recent imports shows counts,
      // and a run of older versions could hold a million alerts.
      `SELECT r.id, s.name AS source, r.status, r.started_at AS startedAt, r.finished_at AS finishedAt,
         r.rows_read AS rowsRead, json_remove(r.summary, '$.alerts', '$.skipped', '$.snapshotDigests') AS summary
       FROM import_run r JOIN cost_source s ON s.id = r.source_id
       WHERE r.kind = 'import' ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
    )
    .all(limit) as (Omit<ImportRunView, 'summary' | 'rowsRead'> & { summary: string; rowsRead: bigint })[];
  return rows.map((row) => ({
    ...row,
    rowsRead: Number(row.rowsRead),
    summary: JSON.parse(row.summary) as Record<string, unknown>,
  }));
}

export interface RestatementView {
  id: number;
  runId: string;
  previousRunId: string;
  source: string;
  billingAccountId: string;
  billingPeriod: string;
  kind: 'changed' | 'added' | 'removed';
  chargeDay: string;
  serviceName: string;
  resourceId: string | null;
  chargeCategory: string;
  currency: string;
  oldBilled: string | null;
  newBilled: string | null;
  oldEffective: string | null;
  newEffective: string | null;
  oldLineId: number | null;
  newLineId: number | null;
  createdAt: string;
}

/** Restatements of published imports, newest first. */
export function listRestatements(store: Store, options: { runId?: string; limit?: number } = {}): RestatementView[] {
  const rows = store.sqlite
    .prepare(
      `SELECT c.id, c.import_run_id AS runId, c.previous_run_id AS previousRunId, s.name AS source,
         c.billing_account_id AS billingAccountId, c.billing_period AS billingPeriod, c.kind, c.charge_day AS chargeDay,
         c.service_name AS serviceName, c.resource_id AS resourceId, c.charge_category AS chargeCategory, c.currency,
         c.old_billed AS oldBilled, c.new_billed AS newBilled, c.old_effective AS oldEffective,
         c.new_effective AS newEffective, c.old_line_id AS oldLineId, c.new_line_id AS newLineId, c.created_at AS createdAt
       FROM cost_restatement c JOIN import_run r ON r.id = c.import_run_id JOIN cost_source s ON s.id = c.source_id
       WHERE r.status = 'succeeded' AND (@runId IS NULL OR c.import_run_id = @runId)
       ORDER BY c.import_run_id DESC, c.id LIMIT @limit`,
    )
    .all({ runId: options.runId ?? null, limit: options.limit ?? 1000 }) as (Omit<
    RestatementView,
    'id' | 'oldLineId' | 'newLineId'
  > & { id: bigint; oldLineId: bigint | null; newLineId: bigint | null })[];
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    oldLineId: row.oldLineId === null ? null : Number(row.oldLineId),
    newLineId: row.newLineId === null ? null : Number(row.newLineId),
  }));
}
