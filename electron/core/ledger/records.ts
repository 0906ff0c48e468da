/**
 * One source of record per billing account and period. Two sources may hold the same account and
 * period (a CUR file and a Cost Explorer pull, a FOCUS export and a native one); cost views count only
 * the source of record's snapshot (cost_snapshot.counted), and the others stay current as comparison
 * sources. The record is the source that published the account and period first, until a person picks
 * another; a record whose source no longer holds the period passes to the earliest source that does.
 */
import { AppError } from '../../../shared/api/errors';
import type { AuditLog } from '../audit';
import type { Store, Sqlite } from '../store';
import { applyScopeToCube } from './rollups';

export interface RecordKey {
  billingAccountId: string;
  billingPeriod: string;
}

/**
 * The source of record of `key`; `candidateSourceId` becomes it when the key has none yet (its first
 * publication). Call inside the publishing transaction.
 */
export function recordSourceFor(sqlite: Sqlite, key: RecordKey, candidateSourceId: string, nowIso: string): string {
  const found = sqlite
    .prepare('SELECT source_id FROM source_of_record WHERE billing_account_id = ? AND billing_period = ?')
    .pluck()
    .get(key.billingAccountId, key.billingPeriod) as string | undefined;
  if (found !== undefined) return found;
  sqlite
    .prepare(
      `INSERT INTO source_of_record (billing_account_id, billing_period, source_id, chosen, chosen_at)
       VALUES (?, ?, ?, 'first', ?)`,
    )
    .run(key.billingAccountId, key.billingPeriod, candidateSourceId, nowIso);
  return candidateSourceId;
}

/**
 * Brings the snapshots of each key in line with its record after snapshots were added or retracted or
 * the record changed: a record whose source holds no current snapshot of the key passes to the source
 * created first among those that do (or is removed when none does), and each snapshot's `counted` flag
 * and its share of the cube follow. Call inside the writer's transaction. Returns the keys whose counted
 * snapshot changed.
 */
export function settleRecords(sqlite: Sqlite, keys: Iterable<RecordKey>, nowIso: string): RecordKey[] {
  const holders = sqlite.prepare(
    `SELECT s.source_id AS sourceId, s.import_run_id AS runId, s.counted AS counted
     FROM cost_snapshot s JOIN cost_source src ON src.id = s.source_id
     WHERE s.billing_account_id = ? AND s.billing_period = ?
     ORDER BY src.created_at, src.id`,
  );
  const record = sqlite
    .prepare('SELECT source_id FROM source_of_record WHERE billing_account_id = ? AND billing_period = ?')
    .pluck();
  const setCounted = sqlite.prepare(
    'UPDATE cost_snapshot SET counted = ? WHERE source_id = ? AND billing_account_id = ? AND billing_period = ?',
  );
  const changed: RecordKey[] = [];
  const seen = new Set<string>();
  for (const given of keys) {
    // Only the key: callers pass richer objects (a SourceMove names its own run).
    const key: RecordKey = { billingAccountId: given.billingAccountId, billingPeriod: given.billingPeriod };
    const id = JSON.stringify([key.billingAccountId, key.billingPeriod]);
    if (seen.has(id)) continue;
    seen.add(id);
    const snapshots = holders.all(key.billingAccountId, key.billingPeriod) as {
      sourceId: string;
      runId: string;
      counted: bigint | number;
    }[];
    let recordSource = record.get(key.billingAccountId, key.billingPeriod) as string | undefined;
    if (snapshots.length === 0) {
      if (recordSource !== undefined) {
        sqlite
          .prepare('DELETE FROM source_of_record WHERE billing_account_id = ? AND billing_period = ?')
          .run(key.billingAccountId, key.billingPeriod);
      }
      continue;
    }
    if (recordSource === undefined || !snapshots.some((snapshot) => snapshot.sourceId === recordSource)) {
      recordSource = snapshots[0]!.sourceId;
      writeRecord(sqlite, key, recordSource, 'first', nowIso);
    }
    let moved = false;
    // Out of the cube first, then in: a cell both leave and enter keeps its sums exact either way.
    for (const pass of [0, 1] as const) {
      for (const snapshot of snapshots) {
        const wanted = snapshot.sourceId === recordSource;
        const counted = Number(snapshot.counted) === 1;
        if (wanted === counted || (pass === 0) === wanted) continue;
        const scope = { sourceId: snapshot.sourceId, ...key };
        applyScopeToCube(sqlite, snapshot.runId, scope, wanted ? 1 : -1);
        setCounted.run(wanted ? 1 : 0, snapshot.sourceId, key.billingAccountId, key.billingPeriod);
        moved = true;
      }
    }
    if (moved) changed.push(key);
  }
  return changed;
}

function writeRecord(sqlite: Sqlite, key: RecordKey, sourceId: string, chosen: 'first' | 'user', nowIso: string): void {
  sqlite
    .prepare(
      `INSERT INTO source_of_record (billing_account_id, billing_period, source_id, chosen, chosen_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (billing_account_id, billing_period) DO UPDATE SET
         source_id = excluded.source_id, chosen = excluded.chosen, chosen_at = excluded.chosen_at`,
    )
    .run(key.billingAccountId, key.billingPeriod, sourceId, chosen, nowIso);
}

/** A billing account and period with its source of record and every source that holds it. */
export interface RecordEntry extends RecordKey {
  source: string;
  chosen: 'first' | 'user';
  chosenAt: string;
  holders: { source: string; counted: boolean; lines: number; currency: string; runId: string }[];
}

/** Every billing account and period some source holds, with its source of record. */
export function listRecords(sqlite: Sqlite): RecordEntry[] {
  const rows = sqlite
    .prepare(
      `SELECT s.billing_account_id AS billingAccountId, s.billing_period AS billingPeriod, src.name AS holder,
         s.counted AS counted, s.line_count AS lines, s.currency AS currency, s.import_run_id AS runId,
         rs.name AS recordSource, r.chosen AS chosen, r.chosen_at AS chosenAt
       FROM cost_snapshot s
       JOIN cost_source src ON src.id = s.source_id
       LEFT JOIN source_of_record r ON r.billing_account_id = s.billing_account_id AND r.billing_period = s.billing_period
       LEFT JOIN cost_source rs ON rs.id = r.source_id
       ORDER BY s.billing_period DESC, s.billing_account_id, src.created_at, src.id`,
    )
    .all() as {
    billingAccountId: string;
    billingPeriod: string;
    holder: string;
    counted: bigint | number;
    lines: bigint | number;
    currency: string;
    runId: string;
    recordSource: string | null;
    chosen: 'first' | 'user' | null;
    chosenAt: string | null;
  }[];
  const entries = new Map<string, RecordEntry>();
  for (const row of rows) {
    const id = JSON.stringify([row.billingAccountId, row.billingPeriod]);
    let entry = entries.get(id);
    if (!entry) {
      entry = {
        billingAccountId: row.billingAccountId,
        billingPeriod: row.billingPeriod,
        source: row.recordSource ?? row.holder,
        chosen: row.chosen ?? 'first',
        chosenAt: row.chosenAt ?? '',
        holders: [],
      };
      entries.set(id, entry);
    }
    entry.holders.push({
      source: row.holder,
      counted: Number(row.counted) === 1,
      lines: Number(row.lines),
      currency: row.currency,
      runId: row.runId,
    });
  }
  return [...entries.values()];
}

/**
 * A person picks the source of record of a billing account and period: the source must hold a current
 * snapshot of it. The counted snapshot and the cube move in one transaction, audited with the source
 * before and after. Choosing the current record again changes nothing and records nothing.
 */
export function chooseSourceOfRecord(
  deps: { store: Store; audit: AuditLog; now: () => Date },
  choice: RecordKey & { source: string },
): { changed: boolean; before: string; after: string } {
  const { sqlite } = deps.store;
  return sqlite
    .transaction(() => {
      const source = sqlite.prepare('SELECT id, name FROM cost_source WHERE name = ?').get(choice.source) as
        { id: string; name: string } | undefined;
      const where = `${choice.billingAccountId} ${choice.billingPeriod}`;
      if (!source) {
        throw new AppError('NOT_FOUND', `there is no source named "${choice.source}" (see valdrix sources)`, {
          file: where,
        });
      }
      const holds = sqlite
        .prepare('SELECT 1 FROM cost_snapshot WHERE source_id = ? AND billing_account_id = ? AND billing_period = ?')
        .get(source.id, choice.billingAccountId, choice.billingPeriod);
      if (!holds) {
        throw new AppError(
          'VALIDATION',
          `source "${source.name}" holds no data for billing account ${choice.billingAccountId} in ${choice.billingPeriod}: only a source that holds the period can be its source of record`,
          { file: where },
        );
      }
      const current = sqlite
        .prepare(
          `SELECT src.name FROM source_of_record r JOIN cost_source src ON src.id = r.source_id
           WHERE r.billing_account_id = ? AND r.billing_period = ?`,
        )
        .pluck()
        .get(choice.billingAccountId, choice.billingPeriod) as string | undefined;
      const before = current ?? source.name;
      if (current === source.name) return { changed: false, before, after: source.name };
      const nowIso = deps.now().toISOString();
      writeRecord(sqlite, choice, source.id, 'user', nowIso);
      settleRecords(sqlite, [choice], nowIso);
      deps.audit.record({
        action: 'sources.record_changed',
        entityType: 'source_of_record',
        entityId: `${choice.billingAccountId}/${choice.billingPeriod}`,
        before: { source: before },
        after: { source: source.name },
        details: { billingAccountId: choice.billingAccountId, billingPeriod: choice.billingPeriod },
      });
      return { changed: true, before, after: source.name };
    })
    .immediate();
}

/**
 * The snapshots of `sourceId` with `sourceOfRecord` set on those whose billing account and period
 * another source is the source of record of (the snapshot is then a comparison source).
 */
export function withSourcesOfRecord<T extends RecordKey>(
  sqlite: Sqlite,
  sourceId: string,
  snapshots: readonly T[],
): (T & { sourceOfRecord?: string })[] {
  const other = sqlite
    .prepare(
      `SELECT src.name FROM source_of_record r JOIN cost_source src ON src.id = r.source_id
       WHERE r.billing_account_id = ? AND r.billing_period = ? AND r.source_id <> ?`,
    )
    .pluck();
  return snapshots.map((snapshot) => {
    const name = other.get(snapshot.billingAccountId, snapshot.billingPeriod, sourceId) as string | undefined;
    return name === undefined ? snapshot : { ...snapshot, sourceOfRecord: name };
  });
}
